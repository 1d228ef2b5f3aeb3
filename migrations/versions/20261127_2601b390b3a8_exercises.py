"""exercises

Revision ID: 2601b390b3a8
Revises: 7cdacdd9d706
Create Date: 2026-11-27 06:56:46.848953
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '2601b390b3a8'
down_revision = '7cdacdd9d706'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('exercise',
    sa.Column('quiz_id', sa.Integer(), nullable=False),
    sa.Column('brief', sa.Text(), nullable=False),
    sa.Column('scenario_key', sa.String(length=40), nullable=True),
    sa.Column('scenario_params', sa.JSON(), nullable=False),
    sa.Column('dataset', sa.JSON(), nullable=True),
    sa.Column('tasks', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['quiz_id'], ['quiz.id'], name=op.f('fk_exercise_quiz_id_quiz'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('quiz_id', name=op.f('pk_exercise'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant', sa.JSON(), nullable=True))

    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('detail', sa.JSON(), nullable=True))

    # The kind's CHECK constraint lists the allowed values: replace it with the longer list.
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_quiz_quiz_kind'), type_='check')
        batch_op.alter_column('kind', existing_type=sa.String(length=6),
                              type_=sa.String(length=8), existing_nullable=False)
        batch_op.create_check_constraint('quiz_kind', "kind IN ('course', 'annual', 'exercise')")


def downgrade():
    op.execute("DELETE FROM quiz WHERE kind = 'exercise'")
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_quiz_quiz_kind'), type_='check')
        batch_op.alter_column('kind', existing_type=sa.String(length=8),
                              type_=sa.String(length=6), existing_nullable=False)
        batch_op.create_check_constraint('quiz_kind', "kind IN ('course', 'annual')")

    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.drop_column('detail')

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('variant')

    op.drop_table('exercise')
