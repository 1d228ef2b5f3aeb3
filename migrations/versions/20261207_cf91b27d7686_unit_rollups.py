"""unit and cadre rollups of the HR dashboard and their refresh time

Revision ID: cf91b27d7686
Revises: c912b902f02e
Create Date: 2026-12-07 12:00:13.245878
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = 'cf91b27d7686'
down_revision = 'c912b902f02e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cadre_rollup',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=255), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('unit_name', sa.String(length=100), nullable=False),
    sa.Column('rank', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('hours', sa.Numeric(precision=8, scale=1), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('enrollments', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=7, scale=3), nullable=True),
    sa.Column('rating', sa.String(length=20), nullable=True),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('first_due', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_cadre_rollup_unit_id_org_unit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_cadre_rollup_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('year', 'user_id', name=op.f('pk_cadre_rollup'))
    )
    with op.batch_alter_table('cadre_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_cadre_rollup_year_path', ['year', 'path'], unique=False)

    op.create_table('rollup_refresh',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('refreshed_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('seconds', sa.Double(), nullable=False),
    sa.Column('cadres', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_rollup_refresh'))
    )
    op.create_table('unit_rollup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('own', sa.Boolean(), nullable=False),
    sa.Column('rank', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('cadres', sa.Integer(), nullable=False),
    sa.Column('enrolled', sa.Integer(), nullable=False),
    sa.Column('enrollments', sa.Integer(), nullable=False),
    sa.Column('completed', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=12, scale=1), nullable=False),
    sa.Column('on_target', sa.Integer(), nullable=False),
    sa.Column('scored', sa.Integer(), nullable=False),
    sa.Column('score_total', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('score_buckets', sa.JSON(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('mastery', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_unit_rollup_org_unit_id_org_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_rollup')),
    sa.UniqueConstraint('year', 'org_unit_id', 'own', 'rank', 'category', name=op.f('uq_unit_rollup_year_org_unit_id_own_rank_category'))
    )
    with op.batch_alter_table('unit_rollup', schema=None) as batch_op:
        batch_op.create_index('ix_unit_rollup_year_unit', ['year', 'org_unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('unit_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_unit_rollup_year_unit')

    op.drop_table('unit_rollup')
    op.drop_table('rollup_refresh')
    with op.batch_alter_table('cadre_rollup', schema=None) as batch_op:
        batch_op.drop_index('ix_cadre_rollup_year_path')

    op.drop_table('cadre_rollup')
