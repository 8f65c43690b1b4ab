"""walls (polylines with a thickness) and the doors and windows set in them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('wall',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Text(), nullable=False),
    sa.Column('thickness', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_wall_floor_id_floor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wall'))
    )
    op.create_index(op.f('ix_wall_floor_id'), 'wall', ['floor_id'], unique=False)
    op.create_table('wall_opening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wall_id', sa.Integer(), nullable=False),
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('offset', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('hinge', sa.String(length=10), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_wall_opening_floor_id_floor'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wall_id'], ['wall.id'], name=op.f('fk_wall_opening_wall_id_wall'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wall_opening'))
    )
    op.create_index(op.f('ix_wall_opening_floor_id'), 'wall_opening', ['floor_id'], unique=False)
    op.create_index(op.f('ix_wall_opening_wall_id'), 'wall_opening', ['wall_id'], unique=False)


def downgrade() -> None:
    op.drop_table('wall_opening')
    op.drop_table('wall')
