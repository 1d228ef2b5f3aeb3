"""An uploaded question file kept between its preview and the confirmation.

Kept as app.services.core.uploads keeps any upload (a database row under a random
token, its kind "xlsx" or "txt"), the note also naming the course: only the uploader may
confirm it, and only for that course.
"""

from datetime import datetime

from app.models import Course, User
from app.services.core.errors import ServiceError
from app.services.core.uploads import (
    PendingUploadGone,
    discard_pending_upload,
    load_pending_upload,
    purge_old_pending_uploads,
    store_pending_upload,
)

KINDS = ("xlsx", "txt")


class UploadGone(ServiceError):
    """The upload does not exist any more (confirmed already, expired) or is not yours."""


def store_upload(data: bytes, *, kind: str, course: Course, actor: User,
                 now: datetime | None = None) -> str:
    """Keep `data` until it is confirmed; the token names it in the confirmation form."""
    if kind not in KINDS:
        raise ValueError(kind)
    return store_pending_upload(data, kind=kind, actor=actor, now=now,
                                note={"course_id": course.id})


def load_upload(token: str, *, kind: str, course: Course, actor: User,
                now: datetime | None = None) -> bytes:
    """The stored bytes, if this user stored them for this course less than a day ago."""
    try:
        data, note = load_pending_upload(token, kind=kind, actor=actor, now=now)
    except PendingUploadGone:
        raise UploadGone(token) from None
    if note.get("course_id") != course.id:
        raise UploadGone(token)
    return data


discard_upload = discard_pending_upload
purge_old_uploads = purge_old_pending_uploads
