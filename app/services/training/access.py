"""Who may run a training class: admins; HR whose scope holds the class's unit; the
trainer who created it (Party School staff run classes for any unit)."""

from sqlalchemy import or_, select, true

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import OrgUnit, TrainingClass, User
from app.services.core.access import may_manage_unit, unit_scope_condition
from app.services.core.errors import NotFound, PermissionDenied


def may_create_class(actor: User, unit: OrgUnit) -> bool:
    return actor.has_role(RoleName.TRAINER) or may_manage_unit(actor, unit)


def ensure_may_create_class(actor: User, unit: OrgUnit) -> None:
    if not may_create_class(actor, unit):
        raise PermissionDenied("this unit is outside your scope")


def may_manage_class(actor: User, training_class: TrainingClass) -> bool:
    if training_class.created_by_id == actor.id and actor.has_role(RoleName.TRAINER):
        return True
    return may_manage_unit(actor, training_class.org_unit)


def ensure_may_manage_class(actor: User, training_class: TrainingClass) -> None:
    if not may_manage_class(actor, training_class):
        raise PermissionDenied("this class is not yours to manage",
                               target=f"training_class:{training_class.id}")


def find_class(class_id: int) -> TrainingClass:
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise NotFound(f"training class {class_id}")
    return training_class


def find_managed_class(class_id: int, *, actor: User) -> TrainingClass:
    training_class = find_class(class_id)
    ensure_may_manage_class(actor, training_class)
    return training_class


def managed_classes_condition(actor: User):
    """SQL condition on TrainingClass (joined to OrgUnit) for the classes the actor runs."""
    if actor.has_role(RoleName.ADMIN):
        return true()
    in_scope = TrainingClass.org_unit_id.in_(
        select(OrgUnit.id).where(unit_scope_condition(actor)))
    if not actor.has_role(RoleName.TRAINER):  # as may_manage_class: creators who teach
        return in_scope
    return or_(TrainingClass.created_by_id == actor.id, in_scope)
