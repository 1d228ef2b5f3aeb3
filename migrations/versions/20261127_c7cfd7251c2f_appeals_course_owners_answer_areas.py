"""appeals course owners answer areas

Revision ID: c7cfd7251c2f
Revises: f00f8bf025c6
Create Date: 2026-11-27 04:20:47.369261
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = 'c7cfd7251c2f'
down_revision = 'f00f8bf025c6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_owner',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_owner_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_course_owner_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'user_id', name=op.f('pk_course_owner'))
    )
    with op.batch_alter_table('course_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_owner_user_id'), ['user_id'], unique=False)

    op.create_table('appeal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'rejected', name='appeal_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('remedy', sa.Enum('accept_answer', 'drop_question', 'change_key', name='appeal_remedy', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('decided_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_appeal_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_appeal_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_appeal_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_appeal_attempt_id_position'))
    )
    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_appeal_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_appeal_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area', sa.Enum('mindset', 'data', 'governance', 'security', 'application', name='answer_area', native_enum=False, create_constraint=True), nullable=True))
        batch_op.add_column(sa.Column('max_points', sa.Numeric(precision=8, scale=2), nullable=True))



def downgrade():
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.drop_column('max_points')
        # The CHECK on area's values goes first, or SQLite's table copy still names area.
        batch_op.drop_constraint(op.f('ck_attempt_answer_answer_area'), type_='check')
        batch_op.drop_column('area')

    with op.batch_alter_table('appeal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appeal_user_id'))
        batch_op.drop_index(batch_op.f('ix_appeal_status'))

    op.drop_table('appeal')
    with op.batch_alter_table('course_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_owner_user_id'))

    op.drop_table('course_owner')
