"""site: the default paper of official sheets (A4 or F4) and the decree the allocation list is attached to

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('site') as batch:
        batch.add_column(sa.Column('paper', sa.String(length=10), nullable=False, server_default='A4'))
        batch.add_column(sa.Column('decree_title', sa.String(length=300), nullable=False, server_default=''))
        batch.add_column(sa.Column('decree_number', sa.String(length=100), nullable=False, server_default=''))
        batch.add_column(sa.Column('decree_date', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('site') as batch:
        batch.drop_column('decree_date')
        batch.drop_column('decree_number')
        batch.drop_column('decree_title')
        batch.drop_column('paper')
