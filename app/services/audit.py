"""Recording audit events. Callers pass the acting user and the client address."""

from app.extensions import db
from app.models import AuditEvent, User

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
    (``role``, ``no_rule`` or ``denied``)."""
    details = {"endpoint": endpoint or "", "path": clip(path, 200), "method": method,
               "reason": reason}
    if message:
        details["message"] = clip(message, 200)
    return record_event(REFUSAL_ACTION, actor=actor, target=target or clip(path, 128),
                        details=details, ip=ip)
