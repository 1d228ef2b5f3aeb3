"""Background report jobs (a batch of cadre records, a large summary) and their output file."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.domain.vocabulary import JobStatus
from app.extensions import db
from app.models.types import UTCDateTime, enum_type, utcnow
from app.models.user import User


class ReportJob(db.Model):
    __tablename__ = "report_job"

    #: A random token (hex): job URLs cannot be guessed or enumerated.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: What to build, e.g. "batch_records"; params says for which unit and year.
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    requested_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[JobStatus] = mapped_column(enum_type(JobStatus, "job_status"),
                                              default=JobStatus.QUEUED)
    #: Progress: items done out of total (e.g. cadre records rendered).
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(100))
    #: The finished file, kept in the database so any machine running the app can serve it.
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: Why a job failed, for the requester (no stack traces).
    error: Mapped[str | None] = mapped_column(Text)

    requested_by: Mapped[User] = relationship()
