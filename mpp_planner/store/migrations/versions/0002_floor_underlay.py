"""floor underlay: the architect's vector drawing under a floor (imported from DXF)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('floor_underlay',
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=260), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('layers', sa.Text(), nullable=False),
    sa.Column('entities', sa.Integer(), nullable=False),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.Column('printed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_floor_underlay_floor_id_floor'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('floor_id', name=op.f('pk_floor_underlay'))
    )


def downgrade() -> None:
    op.drop_table('floor_underlay')
