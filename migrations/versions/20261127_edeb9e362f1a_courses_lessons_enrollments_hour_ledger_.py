"""courses lessons enrollments hour ledger training plans

Revision ID: edeb9e362f1a
Revises: c93af9a2ac91
Create Date: 2026-11-27 03:51:00.874788
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = 'edeb9e362f1a'
down_revision = 'c93af9a2ac91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('tier', sa.Enum('foundation', 'intermediate', 'advanced', name='course_tier', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('kind', sa.Enum('required', 'elective', name='course_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'archived', name='course_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('audience_ranks', sa.JSON(), nullable=False),
    sa.Column('audience_categories', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_course_positive_hours')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course')),
    sa.UniqueConstraint('code', name=op.f('uq_course_code'))
    )
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_tier'), ['tier'], unique=False)

    op.create_table('course_area',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.Enum('mindset', 'data', 'governance', 'security', 'application', name='competency_area', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_area_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'area', name=op.f('pk_course_area'))
    )
    op.create_table('course_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=80), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_asset_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_asset')),
    sa.UniqueConstraint('course_id', 'filename', name=op.f('uq_course_asset_course_id_filename'))
    )
    op.create_table('course_prerequisite',
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('prerequisite_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('course_id <> prerequisite_id', name=op.f('ck_course_prerequisite_not_self')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_course_prerequisite_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['prerequisite_id'], ['course.id'], name=op.f('fk_course_prerequisite_prerequisite_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('course_id', 'prerequisite_id', name=op.f('pk_course_prerequisite'))
    )
    with op.batch_alter_table('course_prerequisite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_prerequisite_prerequisite_id'), ['prerequisite_id'], unique=False)

    op.create_table('lesson',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_lesson_positive_minutes')),
    sa.CheckConstraint('number > 0', name=op.f('ck_lesson_positive_number')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_lesson_course_id_course'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson')),
    sa.UniqueConstraint('course_id', 'number', name=op.f('uq_lesson_course_id_number'))
    )
    op.create_table('hour_credit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=5, scale=1), nullable=False),
    sa.Column('kind', sa.Enum('required', 'elective', name='credit_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('credited_at', app.models.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_hour_credit_positive_hours')),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_hour_credit_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_hour_credit_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hour_credit')),
    sa.UniqueConstraint('user_id', 'course_id', 'year', name=op.f('uq_hour_credit_user_id_course_id_year'))
    )
    with op.batch_alter_table('hour_credit', schema=None) as batch_op:
        batch_op.create_index('ix_hour_credit_user_year', ['user_id', 'year'], unique=False)

    op.create_table('training_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('org_unit_id', sa.Integer(), nullable=False),
    sa.Column('ranks', sa.JSON(), nullable=False),
    sa.Column('categories', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_training_plan_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_unit_id'], ['org_unit.id'], name=op.f('fk_training_plan_org_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_plan'))
    )
    with op.batch_alter_table('training_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_plan_org_unit_id'), ['org_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_plan_year'), ['year'], unique=False)

    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('self', 'plan', name='enrollment_source', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('enrolled_at', app.models.types.UTCDateTime(), nullable=False),
    sa.Column('last_lesson_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', app.models.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_enrollment_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_lesson_id'], ['lesson.id'], name=op.f('fk_enrollment_last_lesson_id_lesson'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plan.id'], name=op.f('fk_enrollment_plan_id_training_plan'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_enrollment_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment')),
    sa.UniqueConstraint('user_id', 'course_id', name=op.f('uq_enrollment_user_id_course_id'))
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index('ix_enrollment_course_completed', ['course_id', 'completed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_plan_id'), ['plan_id'], unique=False)

    op.create_table('training_plan_course',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_training_plan_course_course_id_course'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plan.id'], name=op.f('fk_training_plan_course_plan_id_training_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('plan_id', 'course_id', name=op.f('pk_training_plan_course'))
    )
    with op.batch_alter_table('training_plan_course', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_plan_course_course_id'), ['course_id'], unique=False)

    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', app.models.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_lesson_progress_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_lesson_progress_lesson_id_lesson'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('enrollment_id', 'lesson_id', name=op.f('uq_lesson_progress_enrollment_id_lesson_id'))
    )
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_progress_lesson_id'), ['lesson_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_progress_lesson_id'))

    op.drop_table('lesson_progress')
    with op.batch_alter_table('training_plan_course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_plan_course_course_id'))

    op.drop_table('training_plan_course')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_plan_id'))
        batch_op.drop_index('ix_enrollment_course_completed')

    op.drop_table('enrollment')
    with op.batch_alter_table('training_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_plan_year'))
        batch_op.drop_index(batch_op.f('ix_training_plan_org_unit_id'))

    op.drop_table('training_plan')
    with op.batch_alter_table('hour_credit', schema=None) as batch_op:
        batch_op.drop_index('ix_hour_credit_user_year')

    op.drop_table('hour_credit')
    op.drop_table('lesson')
    with op.batch_alter_table('course_prerequisite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_prerequisite_prerequisite_id'))

    op.drop_table('course_prerequisite')
    op.drop_table('course_asset')
    op.drop_table('course_area')
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_tier'))
        batch_op.drop_index(batch_op.f('ix_course_status'))

    op.drop_table('course')
