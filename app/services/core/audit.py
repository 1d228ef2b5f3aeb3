"""The audit log: recording events (callers pass the acting user and the client address)
and reading them (admins only: filters, pages and a streamed CSV export)."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, select, true

from app.domain.learning import CITY_TIMEZONE
from app.domain.spreadsheet import safe_cell
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import AuditEvent, User
from app.services.core.errors import PermissionDenied
from app.services.core.paging import Page, paginate

#: A refused page or action (a 403): app.web.errors records one for every 403.
REFUSAL_ACTION = "access.refused"


def record_event(
    action: str,
    *,
    actor: User | None,
    target: str | None = None,
    details: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor is not None else None,
        target=target,
        details=details or {},
        ip=ip,
    )
    db.session.add(event)
    db.session.flush()
    return event


def user_target(user: User) -> str:
    return f"user:{user.id}"


#: Free text kept in an event (a refused query, a path) is cut to this many characters.
MAX_DETAIL_CHARS = 500


def clip(text: str | None, limit: int = MAX_DETAIL_CHARS) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_access_refusal(*, actor: User | None, endpoint: str | None, path: str, method: str,
                          reason: str, ip: str | None, message: str = "",
                          target: str | None = None) -> AuditEvent:
    """A 403: who was refused which page (or ``target``, what the service refused), and why
    (``role``, ``no_rule``, ``denied``, or ``hidden`` when the page answered 404)."""
    details = {"endpoint": endpoint or "", "path": clip(path, 200), "method": method,
               "reason": reason}
    if message:
        details["message"] = clip(message, 200)
    return record_event(REFUSAL_ACTION, actor=actor, target=target or clip(path, 128),
                        details=details, ip=ip)


# Reading the audit log (admins only): filters, pages and a streamed CSV export.
#
# The log is append-only for the application (app.models.audit refuses ORM updates and
# deletes; on PostgreSQL the app's role also lacks UPDATE and DELETE on the table).
# Filters: the actor's username, an action prefix ("auth." or "auth.login"), a target
# prefix ("user:42", "course:"), and a range of calendar days in Asia/Shanghai.

#: Rows fetched per query while exporting: memory stays flat however long the log.
EXPORT_BATCH = 1000
CSV_HEADER = ("时间 Time", "账号 Username", "姓名 Name", "操作 Action", "说明 Label",
              "对象 Target", "详情 Details", "IP")


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # username, exact
    action: str = ""  # prefix
    target: str = ""  # prefix
    date_from: date | None = None  # local days, both ends included
    date_to: date | None = None

    def as_details(self) -> dict:
        return {key: (value.isoformat() if isinstance(value, date) else value)
                for key, value in asdict(self).items() if value}


def list_audit_events(*, actor: User, filters: AuditFilter = AuditFilter(), page: int = 1,
                      per_page: int = 50) -> Page:
    """One page, newest first: a count and a page query (the actor comes joined)."""
    _ensure_admin(actor)
    statement = (select(AuditEvent).where(_condition(filters))
                 .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    return paginate(statement, page=page, per_page=per_page)


def export_audit_csv(*, actor: User, filters: AuditFilter, ip: str | None = None,
                     label: Callable[[str], str] = str) -> Iterator[bytes]:
    """Record ``audit.exported`` now and return the CSV (UTF-8 with BOM) as a stream of chunks.

    The export covers the events that existed when it was asked for; it reads them in
    batches by id (newest first), so a long log never sits in memory.
    """
    _ensure_admin(actor)
    condition = _condition(filters)
    last_id = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    rows = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        condition, AuditEvent.id <= last_id))
    record_event("audit.exported", actor=actor, target="audit_log",
                 details={"filters": filters.as_details(), "rows": rows}, ip=ip)
    return _csv_chunks(condition, last_id, label)


def _csv_chunks(condition: ColumnElement, last_id: int,
                label: Callable[[str], str]) -> Iterator[bytes]:
    yield "\ufeff".encode() + _csv_line(CSV_HEADER)
    columns = (AuditEvent.id, AuditEvent.created_at, User.username, User.name,
               AuditEvent.action, AuditEvent.target, AuditEvent.details, AuditEvent.ip)
    while True:
        batch = db.session.execute(
            select(*columns).outerjoin(User, User.id == AuditEvent.actor_id)
            .where(condition, AuditEvent.id <= last_id)
            .order_by(AuditEvent.id.desc()).limit(EXPORT_BATCH)).all()
        if not batch:
            return
        yield b"".join(_csv_line(_cells(row, label)) for row in batch)
        last_id = batch[-1].id - 1


def _cells(row, label: Callable[[str], str]) -> tuple:
    when = row.created_at.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M:%S")
    details = json.dumps(row.details or {}, ensure_ascii=False, sort_keys=True, default=str)
    return (when, row.username, row.name, row.action, label(row.action), row.target, details,
            row.ip)


def _csv_line(cells) -> bytes:
    out = io.StringIO()
    # Every cell as text through safe_cell: an actor's name or a target could start with "=".
    csv.writer(out, lineterminator="\r\n").writerow([safe_cell(cell) for cell in cells])
    return out.getvalue().encode("utf-8")


def _condition(filters: AuditFilter) -> ColumnElement[bool]:
    parts = []
    if filters.actor:
        parts.append(AuditEvent.actor_id.in_(
            select(User.id).where(User.username_is(filters.actor))))
    if filters.action:
        parts.append(AuditEvent.action.startswith(filters.action.strip(), autoescape=True))
    if filters.target:
        parts.append(AuditEvent.target.startswith(filters.target.strip(), autoescape=True))
    if filters.date_from:
        parts.append(AuditEvent.created_at >= _local_midnight(filters.date_from))
    if filters.date_to:
        parts.append(AuditEvent.created_at < _local_midnight(filters.date_to + timedelta(days=1)))
    return and_(*parts) if parts else true()


def _local_midnight(day: date) -> datetime:
    """The start of a calendar day in Asia/Shanghai, as an aware UTC datetime."""
    return datetime.combine(day, time(), tzinfo=CITY_TIMEZONE).astimezone(UTC)


def _ensure_admin(actor: User) -> None:
    if not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only administrators read the audit log")
