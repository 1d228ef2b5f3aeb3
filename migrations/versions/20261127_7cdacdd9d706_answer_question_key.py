"""answer question key

Revision ID: 7cdacdd9d706
Revises: c7cfd7251c2f
Create Date: 2026-11-27 04:22:50.339152
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '7cdacdd9d706'
down_revision = 'c7cfd7251c2f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_key', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_attempt_answer_question_key'), ['question_key'], unique=False)



def downgrade():
    with op.batch_alter_table('attempt_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_answer_question_key'))
        batch_op.drop_column('question_key')

