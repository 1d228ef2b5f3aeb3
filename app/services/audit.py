"""Recording audit events. Callers pass the acting user and the client address."""

from app.extensions import db
from app.models import AuditEvent, User


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
