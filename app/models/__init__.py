"""SQLAlchemy models, one module per aggregate. Importing this registers them all."""

from app.models.audit import AuditEvent
from app.models.org import OrgUnit
from app.models.user import Role, User

__all__ = ["AuditEvent", "OrgUnit", "Role", "User"]
