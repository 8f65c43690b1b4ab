"""the public satisfaction survey (SKM): periods with their questionnaire, the respondents' forms and the
follow-up actions on weak unsur

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('questionnaire', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_period')),
    sa.UniqueConstraint('name', name=op.f('uq_survey_period_name'))
    )
    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=False),
    sa.Column('age_band', sa.String(length=40), nullable=False),
    sa.Column('education', sa.String(length=60), nullable=False),
    sa.Column('occupation', sa.String(length=60), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_survey_response_agency_id_agency'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['counter_id'], ['counter.id'], name=op.f('fk_survey_response_counter_id_counter'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['survey_period.id'],
                            name=op.f('fk_survey_response_period_id_survey_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_survey_response_service_id_service'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response'))
    )
    for col in ('agency_id', 'counter_id', 'period_id', 'service_id'):
        op.create_index(op.f(f'ix_survey_response_{col}'), 'survey_response', [col], unique=False)
    op.create_table('survey_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('unsur', sa.Integer(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('need_id', sa.Integer(), nullable=True),
    sa.Column('budget_line_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['budget_line_id'], ['budget_line.id'],
                            name=op.f('fk_survey_action_budget_line_id_budget_line'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['finding_id'], ['visit_finding.id'],
                            name=op.f('fk_survey_action_finding_id_visit_finding'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['need_id'], ['need.id'], name=op.f('fk_survey_action_need_id_need'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['period_id'], ['survey_period.id'],
                            name=op.f('fk_survey_action_period_id_survey_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_action'))
    )
    for col in ('budget_line_id', 'finding_id', 'need_id', 'period_id'):
        op.create_index(op.f(f'ix_survey_action_{col}'), 'survey_action', [col], unique=False)


def downgrade() -> None:
    op.drop_table('survey_action')
    op.drop_table('survey_response')
    op.drop_table('survey_period')
