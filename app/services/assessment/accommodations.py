"""Extra time on timed quizzes (accessibility accommodation).

Who may grant it (and change or remove it): HR whose scope covers the cadre's unit, an
admin, or a trainer for a cadre enrolled in one of the trainer's courses; never the person
who benefits. The extra time applies to every timed quiz the cadre starts afterwards (the
annual test included), which is why a trainer's reach stops at their own learners. The row
keeps who set it and when; pages show both.
"""

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import CourseOwner, Enrollment, OrgUnit, TimeAccommodation, User
from app.models.types import utcnow
from app.services.core.access import may_manage_unit, unit_scope_condition
from app.services.core.audit import record_event, user_target
from app.services.core.errors import PermissionDenied, ServiceError

MAX_EXTRA_PERCENT = 200
#: At most this many rows on the teaching page's list (accommodations are few).
LIST_LIMIT = 200


def _learns_from(user_id_column, trainer: User):
    """SQL condition: the user is enrolled in a course the trainer owns."""
    return exists().where(
        Enrollment.user_id == user_id_column,
        Enrollment.course_id.in_(
            select(CourseOwner.course_id).where(CourseOwner.user_id == trainer.id)))


def may_set_accommodation(actor: User, person: User) -> bool:
    if actor.id == person.id:
        return False
    if may_manage_unit(actor, person.org_unit):  # HR in scope, admins
        return True
    return actor.has_role(RoleName.TRAINER) and bool(db.session.scalar(
        select(_learns_from(person.id, actor))))


def ensure_may_set_accommodation(actor: User, person: User) -> None:
    if actor.id == person.id:
        raise PermissionDenied("no one grants themselves extra time", target=user_target(person))
    if not may_set_accommodation(actor, person):
        raise PermissionDenied("outside your scope", target=user_target(person))


def set_time_accommodation(person: User, extra_percent: int, reason: str, *,
                           actor: User) -> TimeAccommodation | None:
    """Set (or with 0, remove) the extra time; applies to attempts started afterwards."""
    ensure_may_set_accommodation(actor, person)
    if not 0 <= extra_percent <= MAX_EXTRA_PERCENT:
        raise ServiceError("extra_out_of_range")
    row = db.session.get(TimeAccommodation, person.id)
    if extra_percent == 0:
        if row is not None:
            db.session.delete(row)
        row = None
    else:
        if row is None:
            row = TimeAccommodation(user_id=person.id, extra_percent=extra_percent)
            db.session.add(row)
        row.extra_percent, row.reason = extra_percent, reason.strip()[:200]
        row.set_by_id, row.set_at = actor.id, utcnow()
    db.session.flush()
    record_event("assessment.accommodation_set", actor=actor, target=user_target(person),
                 details={"extra_percent": extra_percent})
    return row


def find_time_accommodation(person: User) -> TimeAccommodation | None:
    return db.session.get(TimeAccommodation, person.id)


def list_time_accommodations(*, actor: User) -> list[TimeAccommodation]:
    """The accommodations of the cadres the actor may grant to, newest first."""
    conditions = [unit_scope_condition(actor, path_column=OrgUnit.path)]
    if actor.has_role(RoleName.TRAINER):
        conditions.append(_learns_from(User.id, actor))
    return list(db.session.scalars(
        select(TimeAccommodation)
        .join(User, User.id == TimeAccommodation.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(or_(*conditions), User.id != actor.id)
        .options(selectinload(TimeAccommodation.user), selectinload(TimeAccommodation.set_by))
        .order_by(TimeAccommodation.set_at.desc()).limit(LIST_LIMIT)))
