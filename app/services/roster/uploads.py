"""An uploaded roster kept between its preview and the confirmation.

The file is stored as ``<folder>/<random token>`` (the uploaded file's name is never used,
so ``../../x.csv`` means nothing here) with ``<token>.json`` noting who uploaded it and
when. Only that administrator may confirm it, within a day; it is deleted once confirmed,
and uploads older than a day are deleted whenever another one is stored.
"""

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from app.models import User
from app.services import ServiceError

MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class RosterUploadGone(ServiceError):
    """Confirmed already, older than a day, or uploaded by someone else."""

    def __init__(self):
        super().__init__("upload_gone")


@dataclass(frozen=True)
class StoredRoster:
    data: bytes
    filename: str  # as the browser sent it: shown and audited, never used as a path
    deactivate_missing: bool


def store_roster_upload(folder: Path, data: bytes, *, filename: str, deactivate_missing: bool,
                        actor: User, now: float | None = None) -> str:
    """Keep ``data`` with the options it was previewed with; the token names it."""
    folder.mkdir(parents=True, exist_ok=True)
    purge_old_roster_uploads(folder, now=now)
    token = secrets.token_urlsafe(24)
    note = {"user_id": actor.id, "created": time.time() if now is None else now,
            "filename": filename[-200:], "deactivate_missing": bool(deactivate_missing)}
    (folder / token).write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return token


def load_roster_upload(folder: Path, token: str, *, actor: User,
                       now: float | None = None) -> StoredRoster:
    note = _note(folder, token)
    current = time.time() if now is None else now
    if note is None or note.get("user_id") != actor.id \
            or current - note.get("created", 0) > MAX_AGE_SECONDS:
        raise RosterUploadGone()
    try:
        data = (folder / token).read_bytes()
    except OSError:
        raise RosterUploadGone() from None
    return StoredRoster(data, str(note.get("filename", "")), bool(note.get("deactivate_missing")))


def discard_roster_upload(folder: Path, token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    (folder / token).unlink(missing_ok=True)
    (folder / f"{token}.json").unlink(missing_ok=True)


def purge_old_roster_uploads(folder: Path, *, now: float | None = None) -> int:
    current = time.time() if now is None else now
    removed = 0
    for path in folder.glob("*.json"):
        note = _note(folder, path.stem)
        created = note.get("created", 0) if note else path.stat().st_mtime
        if current - created > MAX_AGE_SECONDS:
            discard_roster_upload(folder, path.stem)
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
