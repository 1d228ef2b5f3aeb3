"""A cadre's side of enrollment: the open classes they may apply to, applying, and
withdrawing their own application or waitlist place.

A cadre may apply to an open class that takes applications, before its first day, when they
are in its audience (the class unit's subtree, its ranks and categories). The organizer
decides (app.services.training.members). A cadre who withdrew may apply again; one the
organizer rejected or removed may not.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.domain.class_vocabulary import ClassStatus, MemberSource, MemberStatus
from app.domain.learning import local_today
from app.domain.training_classes import (
    ApplicationCase,
    ApplyRefusal,
    application_refusal,
    in_audience,
)
from app.extensions import db
from app.models import ClassMember, TrainingClass, User
from app.models.types import utcnow
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.training.classes import class_audience, class_target

#: A cadre withdraws their own place only while it is not yet a seat.
SELF_WITHDRAWABLE = (MemberStatus.APPLIED, MemberStatus.WAITLISTED)


class ApplicationRefused(ServiceError):
    def __init__(self, refusal: ApplyRefusal | str):
        super().__init__(str(refusal))
        self.refusal = refusal


def membership_of(training_class: TrainingClass, user: User) -> ClassMember | None:
    return db.session.scalar(select(ClassMember).where(
        ClassMember.class_id == training_class.id, ClassMember.user_id == user.id))


def is_in_audience(training_class: TrainingClass, user: User) -> bool:
    return in_audience(class_audience(training_class), unit_path=user.org_unit.path,
                       rank=user.rank, category=user.category)


def why_not_apply(training_class: TrainingClass, user: User, member: ClassMember | None,
                  today: date) -> ApplyRefusal | None:
    """Why ``user`` may not apply to the class today (None: they may)."""
    case = ApplicationCase(
        class_status=training_class.status,
        open_to_applications=training_class.open_to_applications,
        starts_on=training_class.starts_on,
        in_audience=is_in_audience(training_class, user),
        member_status=member.status if member is not None else None,
        withdrew_themselves=member is not None and member.decided_by_id == user.id)
    return application_refusal(case, today)


def apply_to_class(training_class: TrainingClass, *, actor: User,
                   today: date | None = None) -> ClassMember:
    now = utcnow()
    member = membership_of(training_class, actor)
    refusal = why_not_apply(training_class, actor, member, today or local_today(now))
    if refusal is not None:
        raise ApplicationRefused(refusal)
    if member is None:
        member = ClassMember(class_id=training_class.id, user_id=actor.id)
        db.session.add(member)
    member.status = MemberStatus.APPLIED
    member.source = MemberSource.APPLIED
    member.requested_at = now
    member.decided_by_id = member.decided_at = None
    member.reason = ""
    db.session.flush()
    record_event("classes.applied", actor=actor, target=class_target(training_class),
                 details={"user_id": actor.id})
    return member


def withdraw_own_place(training_class: TrainingClass, *, actor: User) -> ClassMember:
    """The cadre takes back an application or a waitlist place."""
    member = membership_of(training_class, actor)
    if member is None or member.status not in SELF_WITHDRAWABLE \
            or training_class.status is not ClassStatus.OPEN:
        raise ApplicationRefused("not_withdrawable")
    before = member.status
    member.status = MemberStatus.WITHDRAWN
    member.decided_by_id = actor.id
    member.decided_at = utcnow()
    member.reason = ""
    db.session.flush()  # an application or a waiting place frees no seat: nobody moves up
    record_event("classes.withdrew", actor=actor, target=class_target(training_class),
                 details={"user_id": actor.id, "from": before.value})
    return member


@dataclass(frozen=True)
class OpenClass:
    training_class: TrainingClass
    member: ClassMember | None  # a withdrawn application, or None


def list_open_classes(*, actor: User, today: date | None = None) -> list[OpenClass]:
    """Classes the cadre may apply to now, soonest first (two queries: the classes of the
    cadre's unit and its ancestors, and the cadre's own memberships among them)."""
    today = today or local_today(utcnow())
    candidates = list(db.session.scalars(
        select(TrainingClass).where(
            TrainingClass.status == ClassStatus.OPEN,
            TrainingClass.open_to_applications.is_(True),
            TrainingClass.starts_on > today,
            TrainingClass.org_unit_id.in_(actor.org_unit.ancestor_ids))
        .order_by(TrainingClass.starts_on, TrainingClass.id)))
    members = {m.class_id: m for m in db.session.scalars(select(ClassMember).where(
        ClassMember.user_id == actor.id,
        ClassMember.class_id.in_([c.id for c in candidates])))}
    return [OpenClass(c, members.get(c.id)) for c in candidates
            if why_not_apply(c, actor, members.get(c.id), today) is None]
