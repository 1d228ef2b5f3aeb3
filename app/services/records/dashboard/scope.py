"""Who may open which unit's dashboard; refusals and downloads are audited."""

from sqlalchemy import select

from app.domain.unit_figures import UnitRef
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import OrgUnit, User
from app.services.core.access import hr_scope_units, may_manage_unit
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied

HR_ROLES = (RoleName.HR, RoleName.ADMIN)


def ensure_may_open_unit(actor: User, unit: OrgUnit) -> None:
    """HR inside whose scope the unit lies, or an admin (the web layer audits a refusal);
    the rule is core.access.may_manage_unit, refused here with the unit named."""
    if not may_manage_unit(actor, unit):
        raise PermissionDenied(f"org unit {unit.code} is outside your scope",
                               target=f"org_unit:{unit.id}")


def default_unit(actor: User) -> OrgUnit | None:
    """Where the dashboard opens: the city for admins, else the HR user's first scope."""
    if actor.has_role(RoleName.ADMIN):
        return db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None))
                                 .order_by(OrgUnit.path).limit(1))
    scopes = sorted(hr_scope_units(actor), key=lambda unit: unit.path)
    return scopes[0] if scopes else None


def unit_ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(unit.id, unit.code, unit.name, unit.level)


def record_download(kind: str, unit: OrgUnit, year: int, *, actor: User,
                    ip: str | None = None) -> None:
    record_event("report.downloaded", actor=actor, target=f"org_unit:{unit.id}",
                 details={"kind": kind, "unit": unit.code, "year": year}, ip=ip)
