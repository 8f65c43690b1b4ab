"""budget: sub kegiatan per fiscal year (every line belongs to one); SSH codes on items and lines;
kode barang (Permendagri 108/2016) on items and KIR rows; the accounts an SSH entry allows

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Existing lines are placed in the two supporting sub kegiatan a DPMPTSP uses for its own goods
# (Kepmendagri 050-5889/2021); the user moves them afterwards if another one fits better.
_CONTEXT = {
    'affair': 'URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR',
    'affair_field': 'URUSAN PEMERINTAHAN BIDANG PENANAMAN MODAL',
    'program': 'PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA',
    'schedule': 'Januari s.d. Desember',
}
_PROCUREMENT = ('2.18.01.2.07.0006', 'Pengadaan Peralatan dan Mesin Lainnya',
                'Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintah Daerah',
                'Jumlah Unit Peralatan dan Mesin Lainnya yang Disediakan')
_MAINTENANCE = ('2.18.01.2.09.0006', 'Pemeliharaan Peralatan dan Mesin Lainnya',
                'Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah',
                'Jumlah Peralatan dan Mesin Lainnya yang Dipelihara')


def upgrade() -> None:
    op.create_table('sub_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('affair', sa.String(length=300), nullable=False),
    sa.Column('affair_field', sa.String(length=300), nullable=False),
    sa.Column('program', sa.String(length=300), nullable=False),
    sa.Column('activity', sa.String(length=300), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=300), nullable=False),
    sa.Column('funding_source', sa.String(length=300), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('schedule', sa.String(length=200), nullable=False),
    sa.Column('output_indicator', sa.Text(), nullable=False),
    sa.Column('output_target', sa.String(length=200), nullable=False),
    sa.Column('allocation_prev', sa.Integer(), nullable=True),
    sa.Column('allocation_next', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_activity')),
    sa.UniqueConstraint('fiscal_year', 'code', name=op.f('uq_sub_activity_fiscal_year'))
    )
    op.create_index(op.f('ix_sub_activity_fiscal_year'), 'sub_activity', ['fiscal_year'], unique=False)
    with op.batch_alter_table('item_type') as batch:
        batch.add_column(sa.Column('standard_price_code', sa.String(length=60), nullable=False, server_default=''))
        batch.add_column(sa.Column('allowed_accounts', sa.Text(), nullable=False, server_default='[]'))
        batch.add_column(sa.Column('asset_code', sa.String(length=40), nullable=False, server_default=''))
    with op.batch_alter_table('inventory_item') as batch:
        batch.add_column(sa.Column('asset_code', sa.String(length=40), nullable=False, server_default=''))
    with op.batch_alter_table('budget_line') as batch:
        batch.add_column(sa.Column('standard_price_code', sa.String(length=60), nullable=False, server_default=''))
        batch.add_column(sa.Column('sub_activity_id', sa.Integer(), nullable=True))

    con = op.get_bind()
    site = con.execute(sa.text('SELECT operator_office, city FROM site ORDER BY id LIMIT 1')).first()
    office, city = (site[0], site[1]) if site else ('', '')
    rows = con.execute(sa.text('SELECT DISTINCT fiscal_year, account_code LIKE :m FROM budget_line'),
                       {'m': '5.1.02.03.%'}).all()
    made = {}
    for year, maintenance in sorted(rows):
        code, name, activity, indicator = _MAINTENANCE if maintenance else _PROCUREMENT
        if (year, code) in made:
            continue
        result = con.execute(sa.text(
            'INSERT INTO sub_activity (fiscal_year, code, name, affair, affair_field, program, activity, '
            'organisation, unit, funding_source, location, schedule, output_indicator, output_target, position) '
            'VALUES (:year, :code, :name, :affair, :affair_field, :program, :activity, :office, :office, '
            "'', :city, :schedule, :indicator, '', :position)"),
            dict(_CONTEXT, year=year, code=code, name=name, activity=activity, office=office or '',
                 city=city or '', indicator=indicator, position=1 if maintenance else 0))
        made[(year, code)] = result.lastrowid
    for (year, code), sub_id in made.items():
        maintenance = code == _MAINTENANCE[0]
        con.execute(sa.text(
            'UPDATE budget_line SET sub_activity_id = :sub WHERE fiscal_year = :year AND '
            + ('account_code LIKE :m' if maintenance else 'account_code NOT LIKE :m')),
            {'sub': sub_id, 'year': year, 'm': '5.1.02.03.%'})

    with op.batch_alter_table('budget_line') as batch:
        batch.alter_column('sub_activity_id', existing_type=sa.Integer(), nullable=False)
        batch.create_index(batch.f('ix_budget_line_sub_activity_id'), ['sub_activity_id'], unique=False)
        batch.create_foreign_key(batch.f('fk_budget_line_sub_activity_id_sub_activity'), 'sub_activity',
                                 ['sub_activity_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('budget_line') as batch:
        batch.drop_constraint(batch.f('fk_budget_line_sub_activity_id_sub_activity'), type_='foreignkey')
        batch.drop_index(batch.f('ix_budget_line_sub_activity_id'))
        batch.drop_column('sub_activity_id')
        batch.drop_column('standard_price_code')
    with op.batch_alter_table('inventory_item') as batch:
        batch.drop_column('asset_code')
    with op.batch_alter_table('item_type') as batch:
        batch.drop_column('asset_code')
        batch.drop_column('allowed_accounts')
        batch.drop_column('standard_price_code')
    op.drop_index(op.f('ix_sub_activity_fiscal_year'), table_name='sub_activity')
    op.drop_table('sub_activity')
