"""attempt answers keep their unrounded points, so an attempt's total is rounded once

Revision ID: d4e1a7c35b90
Revises: cf91b27d7686
Create Date: 2026-12-07 16:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = 'd4e1a7c35b90'
down_revision = 'cf91b27d7686'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_answer') as batch_op:
        batch_op.add_column(sa.Column('exact_points', sa.Numeric(precision=18, scale=10),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('attempt_answer') as batch_op:
        batch_op.drop_column('exact_points')
