"""appraisal

Revision ID: ace5979a736c
Revises: 2601b390b3a8
Create Date: 2026-11-27 08:40:25.896528
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = 'ace5979a736c'
down_revision = '2601b390b3a8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appraisal_exemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('document_ref', sa.String(length=200), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_appraisal_exemption_granted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_appraisal_exemption_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_exemption')),
    sa.UniqueConstraint('user_id', 'year', name=op.f('uq_appraisal_exemption_user_id_year'))
    )
    op.create_table('appraisal_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=7, scale=1), nullable=False),
    sa.Column('hours_target', sa.Integer(), nullable=False),
    sa.Column('hours_component', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('scores_component', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('practice_component', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('coverage_component', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('index', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('rating', sa.Enum('excellent', 'pass', 'basic', 'fail', 'exempt', name='appraisal_rating', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('run_id', sa.String(length=32), nullable=False),
    sa.Column('run_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_appraisal_result_org_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_appraisal_result_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_result')),
    sa.UniqueConstraint('user_id', 'year', name=op.f('uq_appraisal_result_user_id_year'))
    )
    with op.batch_alter_table('appraisal_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appraisal_result_run_id'), ['run_id'], unique=False)
        batch_op.create_index('ix_appraisal_result_year_unit', ['year', 'org_unit_id'], unique=False)

    op.create_table('appraisal_scheme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=True),
    sa.Column('hours_targets', sa.JSON(), nullable=False),
    sa.Column('weight_hours', sa.Integer(), nullable=False),
    sa.Column('weight_scores', sa.Integer(), nullable=False),
    sa.Column('weight_practice', sa.Integer(), nullable=False),
    sa.Column('weight_coverage', sa.Integer(), nullable=False),
    sa.Column('excellent_at', sa.Integer(), nullable=False),
    sa.Column('pass_at', sa.Integer(), nullable=False),
    sa.Column('basic_at', sa.Integer(), nullable=False),
    sa.Column('quota_percent', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_appraisal_scheme_org_unit_id_org_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_appraisal_scheme_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_scheme')),
    sa.UniqueConstraint('year', 'org_unit_id', name=op.f('uq_appraisal_scheme_year_org_unit_id'))
    )
    with op.batch_alter_table('appraisal_scheme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appraisal_scheme_year'), ['year'], unique=False)

    op.create_table('plan_due_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('document_ref', sa.String(length=200), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by_id'], ['user_account.id'], name=op.f('fk_plan_due_extension_granted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plan.id'], name=op.f('fk_plan_due_extension_plan_id_training_plan'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_plan_due_extension_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_due_extension')),
    sa.UniqueConstraint('plan_id', 'user_id', name=op.f('uq_plan_due_extension_plan_id_user_id'))
    )
    with op.batch_alter_table('plan_due_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_due_extension_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_due_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_due_extension_user_id'))

    op.drop_table('plan_due_extension')
    with op.batch_alter_table('appraisal_scheme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appraisal_scheme_year'))

    op.drop_table('appraisal_scheme')
    with op.batch_alter_table('appraisal_result', schema=None) as batch_op:
        batch_op.drop_index('ix_appraisal_result_year_unit')
        batch_op.drop_index(batch_op.f('ix_appraisal_result_run_id'))

    op.drop_table('appraisal_result')
    op.drop_table('appraisal_exemption')
