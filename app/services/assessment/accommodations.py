"""Extra time on timed quizzes (accessibility accommodation), set by a trainer or HR."""

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import TimeAccommodation, User
from app.services.core.access import may_view_person
from app.services.core.audit import record_event, user_target
from app.services.core.errors import PermissionDenied, ServiceError

MAX_EXTRA_PERCENT = 200


def may_set_accommodation(actor: User, person: User) -> bool:
    if actor.has_role(RoleName.ADMIN, RoleName.TRAINER):
        return True
    return actor.has_role(RoleName.HR) and may_view_person(actor, person)


def set_time_accommodation(person: User, extra_percent: int, reason: str, *,
                           actor: User) -> TimeAccommodation | None:
    """Set (or with 0, remove) the extra time; applies to attempts started afterwards."""
    if not may_set_accommodation(actor, person):
        raise PermissionDenied("outside your scope")
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
        row.extra_percent, row.reason, row.set_by_id = extra_percent, reason.strip()[:200], actor.id
    db.session.flush()
    record_event("assessment.accommodation_set", actor=actor, target=user_target(person),
                 details={"extra_percent": extra_percent})
    return row


def find_time_accommodation(person: User) -> TimeAccommodation | None:
    return db.session.get(TimeAccommodation, person.id)
