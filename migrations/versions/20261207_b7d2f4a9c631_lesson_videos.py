"""lesson videos: lesson_video, video_subtitle, video_upload, video_watch, the admin's
video_hours_scheme; course.hours_rule; hours kept with two decimals (a micro-course earns
0.25 学时) in the course, the ledger, certificates, rollups and appraisal results

Revision ID: b7d2f4a9c631
Revises: 3a9c1e7b5d20
Create Date: 2026-12-07 21:40:00
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "b7d2f4a9c631"
down_revision = "3a9c1e7b5d20"
branch_labels = None
depends_on = None

#: (table, column, old precision, new precision)
HOURS_COLUMNS = (
    ("course", "hours", (5, 1), (5, 2)),
    ("hour_credit", "hours", (5, 1), (5, 2)),
    ("certificate", "hours", (6, 1), (6, 2)),
    ("unit_rollup", "hours", (12, 1), (12, 2)),
    ("cadre_rollup", "hours", (8, 1), (8, 2)),
    ("appraisal_result", "hours", (7, 1), (7, 2)),
)


def _video_status():
    return sa.Enum("processing", "ready", "failed", name="video_status", native_enum=False,
                   create_constraint=True, length=10)


def upgrade():
    op.create_table(
        "lesson_video",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("status", _video_status(), nullable=False),
        sa.Column("storage_key", sa.String(length=64), nullable=False),
        sa.Column("original_filename", sa.String(length=200), nullable=False),
        sa.Column("source_bytes", sa.BigInteger(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("duration_seconds", sa.Numeric(precision=9, scale=3), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_lesson_video_progress_percent")),
        sa.ForeignKeyConstraint(["lesson_id"], ["lesson.id"], name=op.f("fk_lesson_video_lesson_id_lesson"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user_account.id"], name=op.f("fk_lesson_video_uploaded_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_video")),
        sa.UniqueConstraint("lesson_id", name=op.f("uq_lesson_video_lesson_id")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_lesson_video_storage_key")),
    )
    op.create_table(
        "video_subtitle",
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("vtt", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["video_id"], ["lesson_video.id"], name=op.f("fk_video_subtitle_video_id_lesson_video"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("video_id", "language", name=op.f("pk_video_subtitle")),
    )
    op.create_table(
        "video_upload",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("lesson_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("total_bytes", sa.BigInteger(), nullable=False),
        sa.Column("received_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("received_bytes <= total_bytes", name=op.f("ck_video_upload_not_past_end")),
        sa.ForeignKeyConstraint(["lesson_id"], ["lesson.id"], name=op.f("fk_video_upload_lesson_id_lesson"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["user_account.id"], name=op.f("fk_video_upload_owner_id_user_account"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_upload")),
    )
    with op.batch_alter_table("video_upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_video_upload_lesson_id"), ["lesson_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_video_upload_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_video_upload_created_at"), ["created_at"], unique=False)
    op.create_table(
        "video_watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("video_id", sa.Integer(), nullable=False),
        sa.Column("intervals", sa.JSON(), nullable=False),
        sa.Column("pending", sa.JSON(), nullable=False),
        sa.Column("watched_seconds", sa.Numeric(precision=9, scale=1), nullable=False),
        sa.Column("furthest_seconds", sa.Numeric(precision=9, scale=1), nullable=False),
        sa.Column("position_seconds", sa.Numeric(precision=9, scale=1), nullable=False),
        sa.Column("active_tab", sa.String(length=32), nullable=True),
        sa.Column("last_report_at", sa.DateTime(), nullable=True),
        sa.Column("presence_due_at", sa.DateTime(), nullable=True),
        sa.Column("presence_asked_at", sa.DateTime(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_video_watch_user_id_user_account"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["video_id"], ["lesson_video.id"], name=op.f("fk_video_watch_video_id_lesson_video"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_watch")),
        sa.UniqueConstraint("user_id", "video_id", name=op.f("uq_video_watch_user_id_video_id")),
    )
    with op.batch_alter_table("video_watch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_video_watch_video_id"), ["video_id"], unique=False)
    op.create_table(
        "video_hours_scheme",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("long_min_minutes", sa.Integer(), nullable=False),
        sa.Column("long_hours", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("middle_hours", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("short_max_minutes", sa.Integer(), nullable=False),
        sa.Column("short_hours", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("test_bonus_hours", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.Column("complete_percent", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_video_hours_scheme_single_row")),
        sa.CheckConstraint("short_max_minutes < long_min_minutes", name=op.f("ck_video_hours_scheme_bucket_order")),
        sa.CheckConstraint("complete_percent BETWEEN 50 AND 100", name=op.f("ck_video_hours_scheme_complete_share")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"], name=op.f("fk_video_hours_scheme_updated_by_id_user_account"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_video_hours_scheme")),
    )
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "hours_rule", sa.Enum("declared", "video_length", name="hours_rule",
                                  native_enum=False, create_constraint=True, length=12),
            server_default="declared", nullable=False))
    _change_hours_precision(lambda old, new: (old, new))


def _change_hours_precision(old_and_new) -> None:
    # SQLite changes a column's type by copying the table, which reflects the tables it
    # refers to; user_account's index on upper(username) cannot be reflected, and says so.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection")
        for table, column, old, new in HOURS_COLUMNS:
            before, after = old_and_new(old, new)
            with op.batch_alter_table(table, schema=None) as batch_op:
                batch_op.alter_column(column, existing_type=sa.Numeric(*before),
                                      type_=sa.Numeric(*after), existing_nullable=False)


def downgrade():
    _change_hours_precision(lambda old, new: (new, old))
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_course_hours_rule"), type_="check")
        batch_op.drop_column("hours_rule")
    op.drop_table("video_hours_scheme")
    with op.batch_alter_table("video_watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_video_watch_video_id"))
    op.drop_table("video_watch")
    with op.batch_alter_table("video_upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_video_upload_created_at"))
        batch_op.drop_index(batch_op.f("ix_video_upload_owner_id"))
        batch_op.drop_index(batch_op.f("ix_video_upload_lesson_id"))
    op.drop_table("video_upload")
    op.drop_table("video_subtitle")
    op.drop_table("lesson_video")
