"""row versions on every table (optimistic concurrency in team mode), the change log (who changed what,
and when), money as 64-bit integers on PostgreSQL

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# every table of schema 0008 (frozen here: the model moves on)
TABLES = ('account_code', 'agency', 'budget_ceiling', 'floor', 'item_type', 'signatory', 'site', 'sub_activity',
          'survey_period', 'visit', 'annotation', 'counter', 'floor_background', 'floor_underlay', 'room', 'service',
          'wall', 'checklist_tick', 'counter_assignment', 'counter_service', 'inventory_item', 'survey_response',
          'visit_finding', 'wall_opening', 'need', 'budget_line', 'survey_action')
# money in sen (model.base.Money): a 32-bit column ends at Rp 21 juta; SQLite's INTEGER is 64-bit already
MONEY = (('budget_ceiling', 'amount', False), ('item_type', 'ref_price', False),
         ('site', 'capitalisation_threshold', False), ('sub_activity', 'allocation_prev', True),
         ('sub_activity', 'allocation_next', True), ('inventory_item', 'quantity', False),
         ('inventory_item', 'purchase_price', True), ('need', 'quantity', False), ('budget_line', 'unit_price', False),
         ('budget_line', 'approved_amount', True))


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade() -> None:
    for name in TABLES:  # SQLite adds a column with a constant default in place (no table copy)
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column('row_version', sa.Integer(), nullable=False, server_default='1'))
    if _postgresql():
        for table, column, nullable in MONEY:
            op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer(),
                            existing_nullable=nullable)
    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('computer', sa.String(length=100), nullable=False),
    sa.Column('table_name', sa.String(length=60), nullable=False),
    sa.Column('row_key', sa.String(length=100), nullable=False),
    sa.Column('verb', sa.String(length=10), nullable=False),
    sa.Column('command', sa.String(length=300), nullable=False),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('row_version', sa.Integer(), nullable=False, server_default='1'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    op.create_index('ix_change_log_row', 'change_log', ['table_name', 'row_key'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_change_log_row', table_name='change_log')
    op.drop_table('change_log')
    if _postgresql():  # fails on an amount above Rp 21 juta: such a project cannot go back
        for table, column, nullable in MONEY:
            op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger(),
                            existing_nullable=nullable)
    for name in reversed(TABLES):
        with op.batch_alter_table(name) as batch:
            batch.drop_column('row_version')
