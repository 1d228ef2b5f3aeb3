"""a cancelled training class keeps why it was cancelled, for its members

Revision ID: 5c0d2e7a91b4
Revises: 348a9c6e8e4d
Create Date: 2026-12-09 10:00:00.000000
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = '5c0d2e7a91b4'
down_revision = '348a9c6e8e4d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_class') as batch_op:
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=False,
                                      server_default=''))


def downgrade():
    # SQLite's batch copy reflects the tables the class refers to, user_account among them,
    # whose index on upper(username) reflection cannot read (it stays as it is).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection")
        with op.batch_alter_table('training_class') as batch_op:
            batch_op.drop_column('cancel_reason')
