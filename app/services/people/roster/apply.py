"""Confirming a roster: every create, update and deactivation in one transaction, or nothing.

Accounts are written in bulk (one INSERT for the users, one for their roles, one UPDATE
executemany for changed people, one UPDATE per 2,000 deactivations): inserting 100,000
users one ORM object at a time took ten times as long. The real cost is hashing each new
account's one-time password with argon2id at the same settings as every password (a
one-time password guards a real account until it is changed): ``progress`` is told after
each one. The passwords are returned once and stored nowhere else.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, update

from app.domain.vocabulary import RoleName, WorkCategory
from app.extensions import db
from app.models import Role, User
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.people.one_time_passwords import (
    generate_one_time_password,
    one_time_password_expiry,
)
from app.services.people.passwords import hash_one_time_password
from app.services.people.roster.preview import RosterPreview, preview_roster

#: The category of a new account whose row does not say (as `users create` does).
DEFAULT_CATEGORY = WorkCategory.ADMINISTRATION
_CHUNK = 2000


class RosterInvalid(ServiceError):
    """The roster has errors (or nothing to change): nothing was imported."""

    def __init__(self, preview: RosterPreview):
        super().__init__("roster_invalid")
        self.preview = preview


class TooManyNewAccounts(RosterInvalid):
    """More new accounts than the caller can hash in time (a web request): use the CLI."""


@dataclass(frozen=True)
class OneTimeCredential:
    username: str
    name: str
    unit_name: str
    password: str


@dataclass
class RosterResult:
    preview: RosterPreview
    credentials: list[OneTimeCredential] = field(default_factory=list)
    hashing_seconds: float = 0.0
    #: When the new accounts' one-time passwords stop working (None: no new accounts).
    expires_at: datetime | None = None


def apply_roster(data: bytes, filename: str = "", *, actor: User | None,
                 deactivate_missing: bool = False, ip: str | None = None,
                 progress: Callable[[int], None] | None = None,
                 preview: RosterPreview | None = None,
                 max_creates: int | None = None) -> RosterResult:
    """Re-read and re-check ``data`` against the database as it is now, then apply it all.

    ``preview`` may be passed when it was made in this same transaction (the CLI).
    ``max_creates`` refuses more new accounts than the caller has time to hash.
    """
    if preview is None:
        preview = preview_roster(data, filename, actor=actor,
                                 deactivate_missing=deactivate_missing)
    if not preview.can_confirm:
        raise RosterInvalid(preview)
    if max_creates is not None and len(preview.diff.creates) > max_creates:
        raise TooManyNewAccounts(preview)
    result = RosterResult(preview)
    started = time.perf_counter()
    passwords = _one_time_passwords(preview, progress)
    result.hashing_seconds = time.perf_counter() - started
    if passwords:
        result.expires_at = one_time_password_expiry()
    result.credentials = _create_accounts(preview, passwords, result.expires_at)
    _update_accounts(preview)
    _deactivate_accounts(preview)
    diff = preview.diff
    record_event("roster.imported", actor=actor, target="roster", ip=ip, details={
        "file": filename[-100:], "kind": preview.kind, "encoding": preview.encoding,
        "rows": preview.data_rows, "created": len(diff.creates), "updated": len(diff.updates),
        "unchanged": diff.unchanged, "deactivated": len(diff.deactivations),
        "deactivate_missing": deactivate_missing})
    return result


def _one_time_passwords(preview: RosterPreview, progress) -> dict[str, tuple[str, str]]:
    """username → (password, hash); 0.2 ms each (a light argon2id: they are random)."""
    passwords = {}
    for row in preview.diff.creates:
        password = generate_one_time_password(row.username)
        passwords[row.username] = (password, hash_one_time_password(password))
        if progress is not None:
            progress(1)
    return passwords


def _create_accounts(preview: RosterPreview, passwords: dict,
                     expires_at: datetime | None) -> list[OneTimeCredential]:
    creates = preview.diff.creates
    if not creates:
        return []
    ids = dict(db.session.execute(insert(User).returning(User.username, User.id), [
        {"username": row.username, "name": row.name, "org_unit_id": row.unit_id,
         "rank": row.rank, "category": row.category or DEFAULT_CATEGORY,
         "password_hash": passwords[row.username][1], "must_change_password": True,
         "one_time_password_expires_at": expires_at}
        for row in creates]).all())
    roles = [_role(ids[row.username], name, row.unit_id)
             for row in creates for name in row.roles | {RoleName.CADRE}]
    db.session.execute(insert(Role), roles)
    return [OneTimeCredential(row.username, row.name, preview.unit_name(row.unit_id),
                              passwords[row.username][0]) for row in creates]


def _update_accounts(preview: RosterPreview) -> None:
    updates = preview.diff.updates
    if not updates:
        return
    db.session.execute(update(User), [
        {"id": change.account.id, "name": change.row.name, "org_unit_id": change.row.unit_id,
         "rank": change.row.rank, "category": change.row.category or change.account.category,
         "active": True}
        for change in updates])
    roles = [_role(change.account.id, name, change.row.unit_id)
             for change in updates for name in change.added_roles]
    if roles:
        db.session.execute(insert(Role), roles)


def _deactivate_accounts(preview: RosterPreview) -> None:
    ids = [account.id for account in preview.diff.deactivations]
    for start in range(0, len(ids), _CHUNK):
        db.session.execute(
            update(User).where(User.id.in_(ids[start:start + _CHUNK]))
            .values(active=False, session_version=User.session_version + 1)
            .execution_options(synchronize_session=False))


def _role(user_id: int, name: RoleName, unit_id: int) -> dict:
    """An HR role from the roster sees the person's own unit (and everything below it)."""
    return {"user_id": user_id, "name": name,
            "scope_unit_id": unit_id if name is RoleName.HR else None}
