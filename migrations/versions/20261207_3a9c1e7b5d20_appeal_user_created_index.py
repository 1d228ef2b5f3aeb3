"""appeal: one index on (user_id, created_at) instead of user_id alone, so a cadre's appeals
of a year are one index range (PostgreSQL otherwise sometimes walked the whole table)

Revision ID: 3a9c1e7b5d20
Revises: 09928ae8da30
Create Date: 2026-12-07 19:30:00
"""

from alembic import op

revision = "3a9c1e7b5d20"
down_revision = "09928ae8da30"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index("ix_appeal_user_id")
        batch_op.create_index("ix_appeal_user_id_created_at", ["user_id", "created_at"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        batch_op.drop_index("ix_appeal_user_id_created_at")
        batch_op.create_index("ix_appeal_user_id", ["user_id"], unique=False)
