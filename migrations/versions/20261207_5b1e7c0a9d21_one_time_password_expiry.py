"""one-time passwords expire

Revision ID: 5b1e7c0a9d21
Revises: d4e1a7c35b90
Create Date: 2026-12-07 16:05:00

One-time passwords handed out before this revision get the default 14 days from the upgrade.
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '5b1e7c0a9d21'
down_revision = 'd4e1a7c35b90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('one_time_password_expires_at',
                                      app.models.types.UTCDateTime(), nullable=True))
    users = sa.table('user_account', sa.column('must_change_password', sa.Boolean()),
                     sa.column('one_time_password_expires_at', sa.DateTime()))
    expires = (datetime.now(UTC) + timedelta(days=14)).replace(tzinfo=None)
    op.execute(users.update().where(users.c.must_change_password == sa.true())
               .values(one_time_password_expires_at=expires))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('one_time_password_expires_at')
