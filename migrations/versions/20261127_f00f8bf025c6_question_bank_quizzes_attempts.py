"""question bank quizzes attempts

Revision ID: f00f8bf025c6
Revises: edeb9e362f1a
Create Date: 2026-11-27 04:13:59.342320
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = 'f00f8bf025c6'
down_revision = 'edeb9e362f1a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('type', sa.String(length=16), nullable=False),
    sa.Column('area', sa.Enum('mindset', 'data', 'governance', 'security', 'application', name='question_area', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('difficulty', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('prompt', sa.Text(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('spec', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'active', 'retired', name='question_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('difficulty BETWEEN 1 AND 3', name=op.f('ck_question_difficulty_range')),
    sa.CheckConstraint('points > 0', name=op.f('ck_question_positive_points')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_question_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('key', name=op.f('uq_question_key'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index('ix_question_bank', ['course_id', 'area', 'difficulty', 'status'], unique=False)

    op.create_table('quiz',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('course', 'annual', name='quiz_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('tier', sa.Enum('foundation', 'intermediate', 'advanced', name='quiz_tier', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('graded', sa.Boolean(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('time_limit_minutes', sa.Integer(), nullable=True),
    sa.Column('max_attempts', sa.Integer(), nullable=True),
    sa.Column('grading_method', sa.Enum('highest', 'latest', 'average', 'first', name='grading_method', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('review', sa.Enum('score_only', 'own_answers', 'full', name='review_policy', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('review_after', sa.Enum('submit', 'close', name='review_timing', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('shuffle', sa.Boolean(), nullable=False),
    sa.Column('opens_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('closes_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('question_keys', sa.JSON(), nullable=False),
    sa.Column('draw_rules', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('max_attempts IS NULL OR max_attempts > 0', name=op.f('ck_quiz_positive_attempts')),
    sa.CheckConstraint('pass_mark BETWEEN 0 AND 100', name=op.f('ck_quiz_pass_mark_range')),
    sa.CheckConstraint('time_limit_minutes IS NULL OR time_limit_minutes > 0', name=op.f('ck_quiz_positive_time_limit')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_quiz_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz')),
    sa.UniqueConstraint('code', name=op.f('uq_quiz_code'))
    )
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_course_id'), ['course_id'], unique=False)

    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('in_progress', 'submitted', 'graded', name='attempt_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('started_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('deadline_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('submitted_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('graded_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('score', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('max_score', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_attempt_quiz_id_quiz'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_attempt_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    sa.UniqueConstraint('quiz_id', 'user_id', 'number', name=op.f('uq_attempt_quiz_id_user_id_number'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_attempt_open', ['quiz_id', 'user_id'], unique=True, sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))

    op.create_table('quiz_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_quiz_result_quiz_id_quiz'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_quiz_result_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_result')),
    sa.UniqueConstraint('quiz_id', 'user_id', name=op.f('uq_quiz_result_quiz_id_user_id'))
    )
    with op.batch_alter_table('quiz_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quiz_result_user_id'), ['user_id'], unique=False)

    op.create_table('time_accommodation',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('extra_percent', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['user_account.id'], name=op.f('fk_time_accommodation_set_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_time_accommodation_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_time_accommodation'))
    )
    op.create_table('attempt_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=True),
    sa.Column('client_seq', sa.BigInteger(), nullable=False),
    sa.Column('saved_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('graded_by_id', sa.Integer(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('graded_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempt.id'], name=op.f('fk_attempt_answer_attempt_id_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['graded_by_id'], ['user_account.id'], name=op.f('fk_attempt_answer_graded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt_answer')),
    sa.UniqueConstraint('attempt_id', 'position', name=op.f('uq_attempt_answer_attempt_id_position'))
    )


def downgrade():
    op.drop_table('attempt_answer')
    op.drop_table('time_accommodation')
    with op.batch_alter_table('quiz_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_result_user_id'))

    op.drop_table('quiz_result')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('uq_attempt_open', sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'"))
        batch_op.drop_index(batch_op.f('ix_attempt_user_id'))

    op.drop_table('attempt')
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quiz_course_id'))

    op.drop_table('quiz')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index('ix_question_bank')

    op.drop_table('question')
