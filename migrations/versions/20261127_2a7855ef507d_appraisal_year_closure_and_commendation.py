"""appraisal year closure and commendation

Revision ID: 2a7855ef507d
Revises: ace5979a736c
Create Date: 2026-11-27 09:01:40.881859
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '2a7855ef507d'
down_revision = 'ace5979a736c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('appraisal_year_closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_appraisal_year_closure_closed_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appraisal_year_closure')),
    sa.UniqueConstraint('year', name=op.f('uq_appraisal_year_closure_year'))
    )
    op.create_table('commendation_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('confirmed_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['user_account.id'], name=op.f('fk_commendation_list_confirmed_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_commendation_list_org_unit_id_org_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commendation_list')),
    sa.UniqueConstraint('year', 'org_unit_id', name=op.f('uq_commendation_list_year_org_unit_id'))
    )
    op.create_table('commendation_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('team_unit_id', sa.Integer(), nullable=True),
    sa.Column('index', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('completion', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('added_reason', sa.String(length=500), nullable=True),
    sa.Column('removed_reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['list_id'], ['commendation_list.id'], name=op.f('fk_commendation_entry_list_id_commendation_list'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_unit_id'], ['org_unit.id'], name=op.f('fk_commendation_entry_team_unit_id_org_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_commendation_entry_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commendation_entry'))
    )
    with op.batch_alter_table('commendation_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commendation_entry_list_id'), ['list_id'], unique=False)



def downgrade():
    with op.batch_alter_table('commendation_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commendation_entry_list_id'))

    op.drop_table('commendation_entry')
    op.drop_table('commendation_list')
    op.drop_table('appraisal_year_closure')
