"""Reading the audit log (admins only)."""

from sqlalchemy import select, true

from app.domain.vocabulary import RoleName
from app.models import AuditEvent, User
from app.services import PermissionDenied
from app.services.paging import Page, paginate


def list_audit_events(
    *, actor: User, action_prefix: str = "", page: int = 1, per_page: int = 50
) -> Page:
    if not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only administrators read the audit log")
    condition = (AuditEvent.action.startswith(action_prefix, autoescape=True)
                 if action_prefix else true())
    statement = (
        select(AuditEvent).where(condition)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    return paginate(statement, page=page, per_page=per_page)
