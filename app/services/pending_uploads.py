"""Uploaded files kept between their preview and the confirmation (question files, rosters).

A file waits in a folder the caller passes (no service reads the application object) as
``<token><suffix>``, named by a random token and never by the uploaded file's name (so
``../../x.csv`` means nothing here), beside ``<token>.json``: who uploaded it, when, and what
the caller wants to remember. Only that user may load it, within a day; the caller discards
it once confirmed, and uploads older than a day are deleted whenever another is stored.
"""

import json
import re
import secrets
import time
from pathlib import Path

from app.models import User

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PendingUploadGone(Exception):
    """Confirmed already, older than a day, stored by someone else, or never stored."""


def store_pending_upload(folder: Path, data: bytes, *, suffix: str, note: dict, actor: User,
                         now: float | None = None) -> str:
    """Keep ``data`` with ``note``; the returned token names it in the confirmation form."""
    folder.mkdir(parents=True, exist_ok=True)
    purge_old_pending_uploads(folder, now=now)
    token = secrets.token_urlsafe(24)
    note = {**note, "user_id": actor.id, "created": time.time() if now is None else now}
    (folder / f"{token}{suffix}").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return token


def load_pending_upload(folder: Path, token: str, *, suffix: str, actor: User,
                        now: float | None = None) -> tuple[bytes, dict]:
    """The stored bytes and note, if this user stored them less than a day ago."""
    note = _note(folder, token)
    current = time.time() if now is None else now
    if note is None or note.get("user_id") != actor.id \
            or current - note.get("created", 0) > MAX_AGE_SECONDS:
        raise PendingUploadGone(token)
    try:
        return (folder / f"{token}{suffix}").read_bytes(), note
    except OSError:
        raise PendingUploadGone(token) from None


def discard_pending_upload(folder: Path, token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    for path in folder.glob(f"{token}*"):
        path.unlink(missing_ok=True)


def purge_old_pending_uploads(folder: Path, *, now: float | None = None) -> int:
    """Delete every upload older than a day (its note's time, else the file's)."""
    current = time.time() if now is None else now
    removed = 0
    for path in folder.glob("*.json"):
        note = _note(folder, path.stem)
        created = note.get("created", 0) if note else path.stat().st_mtime
        if current - created > MAX_AGE_SECONDS:
            discard_pending_upload(folder, path.stem)
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
