"""The audit log: who did what to whom, when and from where."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow
from app.models.user import User


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_action_created", "action", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    #: Who acted; None for the anonymous (e.g. a failed login) and for the system.
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    #: Dotted verb, e.g. "auth.login_failed", "roles.granted".
    action: Mapped[str] = mapped_column(String(64))
    #: What was acted on, e.g. "user:42"; free text for non-entities.
    target: Mapped[str | None] = mapped_column(String(128), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship(lazy="joined")


class AuditLogAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event: the log only grows."""


def _refuse_change(mapper, connection, target: AuditEvent) -> None:
    raise AuditLogAppendOnly(f"audit event {target.id} cannot be changed or deleted")


def _refuse_bulk_change(state) -> None:
    """ORM-enabled ``update(AuditEvent)`` / ``delete(AuditEvent)`` skip the mapper events."""
    if (state.is_update or state.is_delete) and any(
            mapper.class_ is AuditEvent for mapper in state.all_mappers):
        raise AuditLogAppendOnly("audit events cannot be changed or deleted")


# The application may only add events; PostgreSQL deployments also revoke UPDATE and DELETE
# from the app's role (docs/operations.md, "The audit log's grants on PostgreSQL"). Tests
# empty tables with Core DELETEs, which these ORM hooks do not see.
event.listen(AuditEvent, "before_update", _refuse_change)
event.listen(AuditEvent, "before_delete", _refuse_change)
event.listen(Session, "do_orm_execute", _refuse_bulk_change)
