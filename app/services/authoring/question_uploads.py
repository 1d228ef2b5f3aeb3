"""An uploaded question file kept between its preview and the confirmation.

The file waits in the instance folder (uploads/<token>.<ext>) beside a small JSON note of
who uploaded it, for which course and when. Only that user may confirm it for that course;
it is deleted once confirmed, and any upload older than a day is deleted whenever another
one is stored. The caller passes the folder, so no service reads the application object.
"""

import json
import re
import secrets
import time
from pathlib import Path

from app.models import Course, User
from app.services import ServiceError

MAX_AGE_SECONDS = 24 * 3600
KINDS = ("xlsx", "txt")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class UploadGone(ServiceError):
    """The upload does not exist any more (confirmed already, expired) or is not yours."""


def store_upload(folder: Path, data: bytes, *, kind: str, course: Course, actor: User,
                 now: float | None = None) -> str:
    """Keep `data` until it is confirmed; the token names it in the confirmation form."""
    if kind not in KINDS:
        raise ValueError(kind)
    folder.mkdir(parents=True, exist_ok=True)
    purge_old_uploads(folder, now=now)
    token = secrets.token_urlsafe(24)
    note = {"user_id": actor.id, "course_id": course.id, "kind": kind,
            "created": time.time() if now is None else now}
    (folder / f"{token}.{kind}").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return token


def load_upload(folder: Path, token: str, *, kind: str, course: Course, actor: User,
                now: float | None = None) -> bytes:
    """The stored bytes, if this user stored them for this course less than a day ago."""
    note = _note(folder, token)
    current = time.time() if now is None else now
    if note is None or note.get("kind") != kind or note.get("user_id") != actor.id \
            or note.get("course_id") != course.id \
            or current - note.get("created", 0) > MAX_AGE_SECONDS:
        raise UploadGone(token)
    try:
        return (folder / f"{token}.{kind}").read_bytes()
    except OSError:
        raise UploadGone(token) from None


def discard_upload(folder: Path, token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    for path in folder.glob(f"{token}.*"):
        path.unlink(missing_ok=True)


def purge_old_uploads(folder: Path, *, now: float | None = None) -> int:
    """Delete every upload older than a day (its note's time, else the file's)."""
    current = time.time() if now is None else now
    removed = 0
    for path in folder.glob("*.json"):
        note = _note(folder, path.stem)
        created = note.get("created", 0) if note else path.stat().st_mtime
        if current - created > MAX_AGE_SECONDS:
            discard_upload(folder, path.stem)
            removed += 1
    return removed


def _note(folder: Path, token: str) -> dict | None:
    if not _TOKEN.match(token or ""):
        return None
    try:
        note = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None
