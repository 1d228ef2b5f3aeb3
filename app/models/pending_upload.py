"""Uploaded files waiting between their preview and the confirmation (rosters, question files).

Kept in the database, not in a folder, so a preview served by one app instance can be
confirmed on another (several instances share the database and nothing else).
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class PendingUpload(db.Model):
    __tablename__ = "pending_upload"

    #: A random URL-safe token: the confirmation form carries it, nobody can guess it.
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The uploader, the only user who may load it.
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    #: Indexed for the purge of uploads older than a day.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: What the bytes are, e.g. "roster", "xlsx", "txt": loading asks for one kind.
    kind: Mapped[str] = mapped_column(String(16))
    #: What the caller wants to remember with the file (its name as sent, options, course).
    note: Mapped[dict] = mapped_column(JSON, default=dict)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
