"""Uploaded files kept between their preview and the confirmation (question files, rosters).

A file waits in the ``pending_upload`` table, named by a random token and never by the
uploaded file's name, with who uploaded it, when, its kind and a note of what the caller
wants to remember. The database, not a folder, so the confirmation may reach another app
instance than the preview did. Only the uploader may load it, within a day; the caller
discards it in the confirming transaction, and uploads older than a day are deleted
whenever another is stored. Like every service this flushes and the request commits: the
preview's request must commit for the token to outlive it.
"""

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import undefer

from app.extensions import db
from app.models import PendingUpload, User
from app.models.types import utcnow

MAX_AGE = timedelta(days=1)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PendingUploadGone(Exception):
    """Confirmed already, older than a day, stored by someone else, or never stored."""


def store_pending_upload(data: bytes, *, kind: str, note: dict, actor: User,
                         now: datetime | None = None) -> str:
    """Keep ``data`` with ``note``; the returned token names it in the confirmation form."""
    now = now or utcnow()
    purge_old_pending_uploads(now=now)
    token = secrets.token_urlsafe(24)
    db.session.add(PendingUpload(token=token, owner_id=actor.id, created_at=now, kind=kind,
                                 note=dict(note), content=data))
    db.session.flush()
    return token


def load_pending_upload(token: str, *, kind: str, actor: User,
                        now: datetime | None = None) -> tuple[bytes, dict]:
    """The stored bytes and note, if this user stored them as ``kind`` less than a day ago."""
    upload = _find(token)
    if upload is None or upload.owner_id != actor.id or upload.kind != kind \
            or (now or utcnow()) - upload.created_at > MAX_AGE:
        raise PendingUploadGone(token)
    return upload.content, dict(upload.note or {})


def discard_pending_upload(token: str) -> None:
    """Delete the upload (in the caller's transaction: gone only if the confirm commits)."""
    if _TOKEN.match(token or ""):
        db.session.execute(delete(PendingUpload).where(PendingUpload.token == token)
                           .execution_options(synchronize_session=False))


def purge_old_pending_uploads(*, now: datetime | None = None) -> int:
    """Delete every upload older than a day; the number deleted."""
    cutoff = (now or utcnow()) - MAX_AGE
    result = db.session.execute(delete(PendingUpload).where(PendingUpload.created_at < cutoff)
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _find(token: str) -> PendingUpload | None:
    if not _TOKEN.match(token or ""):
        return None
    return db.session.scalars(select(PendingUpload).where(PendingUpload.token == token)
                              .options(undefer(PendingUpload.content))).first()
