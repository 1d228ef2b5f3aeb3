"""What the class pages read: 我的培训班 (a cadre's classes with their schedules), a class as
a member or a would-be applicant sees it, and a class's overview for its managers.

Each reads a bounded number of queries whatever the number of classes or members: the
cadre's memberships with their classes, the sessions of those classes, and their linked
courses, one query each.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.class_vocabulary import ClassStatus, MemberStatus
from app.domain.learning import local_today
from app.domain.training_classes import ACTIVE_STATUSES, ApplyRefusal
from app.extensions import db
from app.models import ClassMember, ClassSession, TrainingClass, User
from app.models.types import utcnow
from app.services.core.errors import PermissionDenied
from app.services.training.access import ensure_may_manage_class
from app.services.training.applications import (
    SELF_WITHDRAWABLE,
    membership_of,
    why_not_apply,
)
from app.services.training.classes import LinkedCourse, linked_courses
from app.services.training.members import status_counts


@dataclass(frozen=True)
class MyClass:
    training_class: TrainingClass
    member: ClassMember
    sessions: list[ClassSession]
    courses: list[LinkedCourse]


@dataclass(frozen=True)
class MyClasses:
    upcoming: list[MyClass]  # open and not yet over, soonest first
    past: list[MyClass]  # over, finished or cancelled, latest first


def list_my_classes(*, actor: User, today: date | None = None) -> MyClasses:
    """The cadre's classes (applied, waiting or enrolled; drafts are not shown yet)."""
    today = today or local_today(utcnow())
    # The cadre's places first, by their index, then those classes by primary key: joined
    # in one statement, PostgreSQL sometimes walked class_member whole to merge the join.
    places = {m.class_id: m for m in db.session.scalars(select(ClassMember).where(
        ClassMember.user_id == actor.id, ClassMember.status.in_(ACTIVE_STATUSES)))}
    found = db.session.scalars(
        select(TrainingClass)
        .where(TrainingClass.id.in_(places), TrainingClass.status != ClassStatus.DRAFT)
        .options(selectinload(TrainingClass.sessions))
        .order_by(TrainingClass.starts_on, TrainingClass.id)) if places else []
    rows = [(places[c.id], c) for c in found]
    courses = linked_courses(training_class.id for _member, training_class in rows)
    classes = [MyClass(c, m, list(c.sessions), courses[c.id]) for m, c in rows]
    upcoming = [c for c in classes if _is_upcoming(c.training_class, today)]
    past = [c for c in reversed(classes) if not _is_upcoming(c.training_class, today)]
    return MyClasses(upcoming, past)


def _is_upcoming(training_class: TrainingClass, today: date) -> bool:
    return training_class.status is ClassStatus.OPEN and training_class.ends_on >= today


@dataclass(frozen=True)
class MemberView:
    """A class as a cadre sees it: their place in it (if any) and whether they may apply."""

    training_class: TrainingClass
    member: ClassMember | None
    refusal: ApplyRefusal | None  # why they may not apply; None: they may
    courses: list[LinkedCourse]

    @property
    def may_apply(self) -> bool:
        return self.refusal is None

    @property
    def may_withdraw(self) -> bool:
        return (self.member is not None and self.member.status in SELF_WITHDRAWABLE
                and self.training_class.status is ClassStatus.OPEN)


def member_view(training_class: TrainingClass, *, actor: User,
                today: date | None = None) -> MemberView:
    """The class for one of its members, or for a cadre who may apply to it; anyone else is
    refused (the page answers as for a missing class)."""
    member = membership_of(training_class, actor)
    refusal = why_not_apply(training_class, actor, member, today or local_today(utcnow()))
    is_member = member is not None and training_class.status is not ClassStatus.DRAFT
    if not is_member and refusal is not None:
        raise PermissionDenied("not a member of this class",
                               target=f"training_class:{training_class.id}")
    return MemberView(training_class, member, refusal,
                      linked_courses([training_class.id])[training_class.id])


@dataclass(frozen=True)
class ClassOverview:
    training_class: TrainingClass
    counts: dict[MemberStatus, int]
    courses: list[LinkedCourse]
    total_hours: Decimal

    @property
    def enrolled(self) -> int:
        return self.counts.get(MemberStatus.ENROLLED, 0)

    @property
    def places_left(self) -> int:
        return max(0, self.training_class.capacity - self.enrolled)


def class_overview(training_class: TrainingClass, *, actor: User) -> ClassOverview:
    ensure_may_manage_class(actor, training_class)
    total = sum((s.hours for s in training_class.sessions), Decimal(0))
    return ClassOverview(training_class, status_counts(training_class),
                         linked_courses([training_class.id])[training_class.id], total)
