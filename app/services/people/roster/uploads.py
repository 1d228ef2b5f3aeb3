"""An uploaded roster kept between its preview and the confirmation.

Kept as app.services.core.uploads keeps any upload (a database row under a random
token), the note also holding the file name as sent (shown and audited, never a path) and
the options it was previewed with. Only the administrator who uploaded it may confirm it.
"""

from dataclasses import dataclass
from datetime import datetime

from app.models import User
from app.services.core.errors import ServiceError
from app.services.core.uploads import (
    PendingUploadGone,
    discard_pending_upload,
    load_pending_upload,
    purge_old_pending_uploads,
    store_pending_upload,
)

KIND = "roster"


class RosterUploadGone(ServiceError):
    """Confirmed already, older than a day, or uploaded by someone else."""

    def __init__(self):
        super().__init__("upload_gone")


@dataclass(frozen=True)
class StoredRoster:
    data: bytes
    filename: str  # as the browser sent it: shown and audited, never used as a path
    deactivate_missing: bool


def store_roster_upload(data: bytes, *, filename: str, deactivate_missing: bool,
                        actor: User, now: datetime | None = None) -> str:
    """Keep ``data`` with the options it was previewed with; the token names it."""
    return store_pending_upload(data, kind=KIND, actor=actor, now=now, note={
        "filename": filename[-200:], "deactivate_missing": bool(deactivate_missing)})


def load_roster_upload(token: str, *, actor: User, now: datetime | None = None) -> StoredRoster:
    try:
        data, note = load_pending_upload(token, kind=KIND, actor=actor, now=now)
    except PendingUploadGone:
        raise RosterUploadGone() from None
    return StoredRoster(data, str(note.get("filename", "")), bool(note.get("deactivate_missing")))


discard_roster_upload = discard_pending_upload
purge_old_roster_uploads = purge_old_pending_uploads
