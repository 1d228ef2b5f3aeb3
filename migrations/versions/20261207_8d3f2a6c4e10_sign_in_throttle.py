"""sign-in throttling per name replaces the account lockout

Revision ID: 8d3f2a6c4e10
Revises: 5b1e7c0a9d21
Create Date: 2026-12-07 16:20:00
"""

import sqlalchemy as sa
from alembic import op

import app.models.types  # noqa: F401 - custom column types used below


revision = '8d3f2a6c4e10'
down_revision = '5b1e7c0a9d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', app.models.types.UTCDateTime(), nullable=True),
    sa.Column('blocked_until', app.models.types.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_last_failure_at'),
                              ['last_failure_at'], unique=False)
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', app.models.types.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_last_failure_at'))
    op.drop_table('sign_in_throttle')
