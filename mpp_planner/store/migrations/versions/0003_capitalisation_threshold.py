"""site: the capitalisation threshold (items below it are goods spending, not capital)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('site') as batch:
        # Rp 1.000.000 in sen, a common Perwali/Perbup figure; the project sets its own
        batch.add_column(sa.Column('capitalisation_threshold', sa.Integer(), nullable=False,
                                   server_default='100000000'))


def downgrade() -> None:
    with op.batch_alter_table('site') as batch:
        batch.drop_column('capitalisation_threshold')
