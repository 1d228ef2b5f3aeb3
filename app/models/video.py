"""Lesson videos, their subtitles, chunked uploads in progress, and who watched what.

The video files themselves live under the instance folder (``VIDEO_DIR``), in a folder
named by ``LessonVideo.storage_key``; the database keeps what they are and their state.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.models.course import Lesson
from app.models.types import UTCDateTime, enum_type, utcnow


class LessonVideo(db.Model):
    """The one video of a lesson (a lesson is Markdown, a video, or a video with notes)."""

    __tablename__ = "lesson_video"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), unique=True)
    status: Mapped[VideoStatus] = mapped_column(enum_type(VideoStatus, "video_status"))
    #: Folder under VIDEO_DIR with source, video.mp4 and poster.jpg; a new one per upload,
    #: so a replacement never overwrites the file someone is streaming.
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: The name the file was uploaded or imported under (shown, exported; never a path).
    original_filename: Mapped[str] = mapped_column(String(200))
    source_bytes: Mapped[int] = mapped_column(BigInteger)
    #: SHA-256 of the source file: an import of the same file is not a change.
    source_sha256: Mapped[str] = mapped_column(String(64))
    #: Exact duration of the processed file, in seconds (None until processed).
    duration_seconds: Mapped[Decimal | None] = mapped_column(Numeric(9, 3))
    width: Mapped[int | None]
    height: Mapped[int | None]
    #: Transcoding progress while processing, 0-100.
    progress: Mapped[int] = mapped_column(default=0)
    #: Why processing failed, in the user's words (a message id of app.web's messages).
    error: Mapped[str | None] = mapped_column(String(500))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    lesson: Mapped[Lesson] = relationship(backref=db.backref("video", uselist=False,
                                                             cascade="all, delete-orphan"))
    subtitles: Mapped[list[VideoSubtitle]] = relationship(
        cascade="all, delete-orphan", order_by="VideoSubtitle.language")

    @property
    def is_ready(self) -> bool:
        return self.status is VideoStatus.READY


class VideoSubtitle(db.Model):
    """A WebVTT subtitle track of a video (small text, kept in the database)."""

    __tablename__ = "video_subtitle"

    video_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_video.id", ondelete="CASCADE"), primary_key=True)
    #: "zh" or "en".
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    vtt: Mapped[str] = mapped_column(Text)


class VideoUpload(db.Model):
    """A chunked upload in progress; the bytes so far are a file under VIDEO_DIR/uploads."""

    __tablename__ = "video_upload"
    __table_args__ = (CheckConstraint("received_bytes <= total_bytes", name="not_past_end"),)

    #: A random token, also the name of the partial file.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lesson.id", ondelete="CASCADE"),
                                           index=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    total_bytes: Mapped[int] = mapped_column(BigInteger)
    received_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VideoWatch(db.Model):
    """What one cadre watched of one video: one row, whatever the number of sittings.

    Intervals are [start, end] media seconds, kept merged and sorted, so the row stays
    small however often the player reports.
    """

    __tablename__ = "video_watch"
    __table_args__ = (UniqueConstraint("user_id", "video_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    video_id: Mapped[int] = mapped_column(
        ForeignKey("lesson_video.id", ondelete="CASCADE"), index=True)
    #: Credited intervals (watched, and the presence checks since answered).
    intervals: Mapped[list] = mapped_column(JSON, default=list)
    #: Intervals watched since the last answered presence check: credited when the next
    #: check is answered or the viewer stops with no check outstanding, dropped when a
    #: check goes unanswered.
    pending: Mapped[list] = mapped_column(JSON, default=list)
    #: Length of the union of `intervals`, in seconds (what the evidence pages sum).
    watched_seconds: Mapped[Decimal] = mapped_column(Numeric(9, 1), default=0)
    #: The furthest media second reached: on a first viewing nothing beyond it is credited.
    furthest_seconds: Mapped[Decimal] = mapped_column(Numeric(9, 1), default=0)
    #: Where playback resumes.
    position_seconds: Mapped[Decimal] = mapped_column(Numeric(9, 1), default=0)
    #: The tab (a random id per page load) that currently credits; another tab's reports
    #: are refused with "watching elsewhere".
    active_tab: Mapped[str | None] = mapped_column(String(32))
    #: When the active tab last reported (or claimed): the wall-clock budget starts here.
    last_report_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the next presence check is due (wall clock, while playing).
    presence_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the outstanding presence check was shown; None when none is outstanding.
    presence_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the credited share first reached the completion share.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    video: Mapped[LessonVideo] = relationship()


class VideoHoursScheme(db.Model):
    """The admin-editable rule that turns a course's total video length into hours, and the
    share of a video that completes it. One row (id 1); defaults from a published
    provincial cadre online academy rule (docs/video.md)."""

    __tablename__ = "video_hours_scheme"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("short_max_minutes < long_min_minutes", name="bucket_order"),
        CheckConstraint("complete_percent BETWEEN 50 AND 100", name="complete_share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    #: A course with at least this many minutes of video earns `long_hours`.
    long_min_minutes: Mapped[int] = mapped_column(default=30)
    long_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("1"))
    #: Between the two limits: `middle_hours`.
    middle_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0.5"))
    #: At most this many minutes (a micro-course): `short_hours`.
    short_max_minutes: Mapped[int] = mapped_column(default=15)
    short_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0.25"))
    #: Added when the course has a graded quiz (passing it is required to complete).
    test_bonus_hours: Mapped[Decimal] = mapped_column(Numeric(4, 2), default=Decimal("0.5"))
    #: Share of a video's duration watched that completes its lesson.
    complete_percent: Mapped[int] = mapped_column(default=95)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
