"""user_account: no two 工号 that differ only in case (upper(username) unique)

Revision ID: 5d0e7a1c2b3f
Revises: 8d3f2a6c4e10
Create Date: 2026-12-07 16:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5d0e7a1c2b3f'
down_revision = '8d3f2a6c4e10'
branch_labels = None
depends_on = None


def upgrade():
    # Refuse, naming them, rather than fail on the index: an administrator merges or renames
    # the accounts first (docs/admin-guide.md).
    clashes = op.get_bind().execute(sa.text(
        "SELECT upper(username), count(*) FROM user_account GROUP BY upper(username) "
        "HAVING count(*) > 1 ORDER BY 1")).all()
    if clashes:
        names = ", ".join(f"{key} ({count} accounts)" for key, count in clashes[:20])
        raise RuntimeError(
            "accounts whose 工号 differ only in upper/lower case must be merged or renamed "
            f"before this upgrade: {names}")
    op.create_index('uq_user_account_username_folded', 'user_account',
                    [sa.text('upper(username)')], unique=True)


def downgrade():
    op.drop_index('uq_user_account_username_folded', table_name='user_account')
