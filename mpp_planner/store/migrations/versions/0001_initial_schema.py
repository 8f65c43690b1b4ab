"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 (first released schema; frozen)
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('account_code',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_account_code'))
    )
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=60), nullable=False),
    sa.Column('tier', sa.String(length=30), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('contact_person', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('mou_number', sa.String(length=200), nullable=False),
    sa.Column('mou_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('name', name=op.f('uq_agency_name'))
    )
    op.create_table('budget_ceiling',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_budget_ceiling'))
    )
    op.create_table('floor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_floor'))
    )
    op.create_table('item_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('ref_price', sa.Integer(), nullable=False),
    sa.Column('account_code', sa.String(length=40), nullable=False),
    sa.Column('specification', sa.Text(), nullable=False),
    sa.Column('tags', sa.String(length=300), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_type')),
    sa.UniqueConstraint('key', name=op.f('uq_item_type_key'))
    )
    op.create_table('signatory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rank', sa.String(length=200), nullable=False),
    sa.Column('nip', sa.String(length=18), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatory')),
    sa.UniqueConstraint('role', name=op.f('uq_signatory_role'))
    )
    op.create_table('site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=200), nullable=False),
    sa.Column('government_name', sa.String(length=200), nullable=False),
    sa.Column('operator_office', sa.String(length=200), nullable=False),
    sa.Column('upt_name', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('letterhead', sa.Text(), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('ppn_rate', sa.Integer(), nullable=False),
    sa.Column('budget_title', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site'))
    )
    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('office', sa.String(length=200), nullable=False),
    sa.Column('visitor', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit'))
    )
    op.create_table('annotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('x1', sa.Integer(), nullable=False),
    sa.Column('y1', sa.Integer(), nullable=False),
    sa.Column('x2', sa.Integer(), nullable=False),
    sa.Column('y2', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('font_size', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_annotation_floor_id_floor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotation'))
    )
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annotation_floor_id'), ['floor_id'], unique=False)

    op.create_table('counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('x', sa.Integer(), nullable=False),
    sa.Column('y', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('rotation', sa.Float(), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_counter_floor_id_floor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter'))
    )
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_floor_id'), ['floor_id'], unique=False)

    op.create_table('floor_background',
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=False),
    sa.Column('image_format', sa.String(length=10), nullable=False),
    sa.Column('mm_per_px', sa.Float(), nullable=False),
    sa.Column('origin_x', sa.Integer(), nullable=False),
    sa.Column('origin_y', sa.Integer(), nullable=False),
    sa.Column('opacity', sa.Float(), nullable=False),
    sa.Column('visible', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_floor_background_floor_id_floor'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('floor_id', name=op.f('pk_floor_background'))
    )
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('floor_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('outline', sa.Text(), nullable=False),
    sa.Column('location_code', sa.String(length=60), nullable=False),
    sa.Column('officer_name', sa.String(length=200), nullable=False),
    sa.Column('officer_nip', sa.String(length=18), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_room_floor_id_floor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_floor_id'), ['floor_id'], unique=False)

    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_service_agency_id_agency'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service'))
    )
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_agency_id'), ['agency_id'], unique=False)

    op.create_table('counter_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_counter_assignment_agency_id_agency'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_counter_assignment_counter_id_counter'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_assignment'))
    )
    with op.batch_alter_table('counter_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_assignment_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_counter_assignment_counter_id'), ['counter_id'], unique=False)

    op.create_table('counter_service',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_counter_service_counter_id_counter'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_counter_service_service_id_service'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('counter_id', 'service_id', name=op.f('pk_counter_service'))
    )
    with op.batch_alter_table('counter_service', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_service_service_id'), ['service_id'], unique=False)

    op.create_table('inventory_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_type_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('floor_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('condition', sa.String(length=2), nullable=False),
    sa.Column('brand_model', sa.String(length=200), nullable=False),
    sa.Column('serial_no', sa.String(length=200), nullable=False),
    sa.Column('size', sa.String(length=100), nullable=False),
    sa.Column('material', sa.String(length=100), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('register_code', sa.String(length=100), nullable=False),
    sa.Column('purchase_price', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('x', sa.Integer(), nullable=True),
    sa.Column('y', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('depth', sa.Integer(), nullable=True),
    sa.Column('rotation', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['floor_id'], ['floor.id'], name=op.f('fk_inventory_item_floor_id_floor'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_type_id'], ['item_type.id'], name=op.f('fk_inventory_item_item_type_id_item_type'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_inventory_item_room_id_room'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_item'))
    )
    with op.batch_alter_table('inventory_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_item_floor_id'), ['floor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_item_item_type_id'), ['item_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_item_room_id'), ['room_id'], unique=False)

    op.create_table('visit_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('planned_year', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_visit_finding_room_id_room'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_finding_visit_id_visit'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_finding'))
    )
    with op.batch_alter_table('visit_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_finding_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_finding_visit_id'), ['visit_id'], unique=False)

    op.create_table('need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('item_type_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('rule_id', sa.String(length=60), nullable=False),
    sa.Column('visit_finding_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_type_id'], ['item_type.id'], name=op.f('fk_need_item_type_id_item_type'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_need_room_id_room'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_finding_id'], ['visit_finding.id'],
                            name=op.f('fk_need_visit_finding_id_visit_finding'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need'))
    )
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_item_type_id'), ['item_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_visit_finding_id'), ['visit_finding_id'], unique=False)

    op.create_table('budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('account_code', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('specification', sa.Text(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('factors', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('unit_price', sa.Integer(), nullable=False),
    sa.Column('ppn_applied', sa.Boolean(), nullable=False),
    sa.Column('ppn_rate', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('approved_amount', sa.Integer(), nullable=True),
    sa.Column('justification', sa.Text(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_budget_line_need_id_need'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_budget_line_room_id_room'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line'))
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_account_code'), ['account_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_line_room_id'), ['room_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_room_id'))
        batch_op.drop_index(batch_op.f('ix_budget_line_need_id'))
        batch_op.drop_index(batch_op.f('ix_budget_line_fiscal_year'))
        batch_op.drop_index(batch_op.f('ix_budget_line_account_code'))

    op.drop_table('budget_line')
    with op.batch_alter_table('need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_visit_finding_id'))
        batch_op.drop_index(batch_op.f('ix_need_room_id'))
        batch_op.drop_index(batch_op.f('ix_need_item_type_id'))

    op.drop_table('need')
    with op.batch_alter_table('visit_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_finding_visit_id'))
        batch_op.drop_index(batch_op.f('ix_visit_finding_room_id'))

    op.drop_table('visit_finding')
    with op.batch_alter_table('inventory_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_item_room_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_item_item_type_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_item_floor_id'))

    op.drop_table('inventory_item')
    with op.batch_alter_table('counter_service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_service_service_id'))

    op.drop_table('counter_service')
    with op.batch_alter_table('counter_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_assignment_counter_id'))
        batch_op.drop_index(batch_op.f('ix_counter_assignment_agency_id'))

    op.drop_table('counter_assignment')
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_agency_id'))

    op.drop_table('service')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_floor_id'))

    op.drop_table('room')
    op.drop_table('floor_background')
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_floor_id'))

    op.drop_table('counter')
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annotation_floor_id'))

    op.drop_table('annotation')
    op.drop_table('visit')
    op.drop_table('site')
    op.drop_table('signatory')
    op.drop_table('item_type')
    op.drop_table('floor')
    op.drop_table('budget_ceiling')
    op.drop_table('agency')
    op.drop_table('account_code')

