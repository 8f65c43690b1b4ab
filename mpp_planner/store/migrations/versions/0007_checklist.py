"""checklist ticks: items the plan cannot show, ticked per room or for the site, with date and who

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checklist_tick',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('ticked', sa.Boolean(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('checked_by', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_checklist_tick_room_id_room'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_tick'))
    )
    op.create_index(op.f('ix_checklist_tick_key'), 'checklist_tick', ['key'], unique=False)
    op.create_index(op.f('ix_checklist_tick_room_id'), 'checklist_tick', ['room_id'], unique=False)


def downgrade() -> None:
    op.drop_table('checklist_tick')
