"""Training classes (培训班) as their managers run them: create, edit, publish, cancel, and
the lists the class form chooses from.

A class starts as a draft; publishing opens it (cadres see it, check-in works, open classes
take applications). A draft or open class can be edited or cancelled (with a reason its
members read); a finished or cancelled one no longer changes here. Every change is audited.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, insert, or_, select

from app.domain.class_vocabulary import ClassStatus, MemberStatus
from app.domain.training_classes import RUNNING_STATUSES, Audience, Slot, sessions_outside
from app.domain.vocabulary import CourseStatus, Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import (
    ClassMember,
    Course,
    OrgUnit,
    Quiz,
    TrainingClass,
    User,
    training_class_course,
)
from app.models.org import path_in_subtree
from app.models.types import utcnow
from app.services.core.access import taught_course_condition, unit_scope_condition
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.core.paging import Page, paginate
from app.services.training.access import (
    ensure_may_create_class,
    ensure_may_manage_class,
    managed_classes_condition,
)
from app.services.training.members import fill_places, status_counts

#: A linked course is required before the class starts, or by its end.
BEFORE, DURING = "before", "during"


class ClassRefused(ServiceError):
    """A class change that breaks a rule: ``field`` is the form field it concerns and
    ``code`` the rule (the web words it, with ``params``)."""

    def __init__(self, field: str, code: str, /, **params):
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.params = params


@dataclass(frozen=True)
class ClassInput:
    title: str
    organizer: str
    org_unit: OrgUnit
    starts_on: date
    ends_on: date
    venue: str
    capacity: int
    open_to_applications: bool = False
    attendance_share: int = 80
    late_after_minutes: int = 10
    opens_before_minutes: int = 30
    test_quiz: Quiz | None = None
    description: str = ""
    ranks: Sequence[Rank] = ()
    categories: Sequence[WorkCategory] = ()
    courses_before: Sequence[Course] = ()
    courses_during: Sequence[Course] = ()


@dataclass(frozen=True)
class LinkedCourse:
    course: Course
    due: str  # BEFORE or DURING


def create_training_class(data: ClassInput, *, actor: User) -> TrainingClass:
    ensure_may_create_class(actor, data.org_unit)
    _check_input(data, actor=actor)
    training_class = TrainingClass(created_by_id=actor.id, status=ClassStatus.DRAFT)
    _apply(training_class, data)
    db.session.add(training_class)
    db.session.flush()
    _link_courses(training_class, data)
    record_event("classes.created", actor=actor, target=class_target(training_class),
                 details={"title": training_class.title, "unit": data.org_unit.code})
    return training_class


def update_training_class(training_class: TrainingClass, data: ClassInput, *,
                          actor: User) -> TrainingClass:
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    if data.org_unit.id != training_class.org_unit_id:
        ensure_may_create_class(actor, data.org_unit)
    _check_input(data, actor=actor, current=training_class)
    _check_against_members_and_sessions(training_class, data)
    _apply(training_class, data)
    training_class.updated_at = utcnow()
    db.session.flush()
    _link_courses(training_class, data)
    promoted = fill_places(training_class)  # a larger class lets the first waiting in
    record_event("classes.updated", actor=actor, target=class_target(training_class),
                 details={"title": training_class.title, "unit": data.org_unit.code,
                          "promoted": promoted})
    return training_class


def publish_training_class(training_class: TrainingClass, *, actor: User) -> None:
    ensure_may_manage_class(actor, training_class)
    if training_class.status is not ClassStatus.DRAFT:
        raise ClassRefused("status", "not_draft")
    if not training_class.sessions:
        raise ClassRefused("sessions", "no_sessions")
    training_class.status = ClassStatus.OPEN
    training_class.updated_at = utcnow()
    db.session.flush()
    record_event("classes.published", actor=actor, target=class_target(training_class),
                 details={"title": training_class.title})


def cancel_training_class(training_class: TrainingClass, reason: str, *, actor: User) -> None:
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    reason = (reason or "").strip()
    if not reason:
        raise ClassRefused("reason", "required")
    training_class.status = ClassStatus.CANCELLED
    training_class.cancel_reason = reason[:500]
    training_class.updated_at = utcnow()
    db.session.flush()
    record_event("classes.cancelled", actor=actor, target=class_target(training_class),
                 details={"title": training_class.title, "reason": reason[:500]})


def ensure_running(training_class: TrainingClass) -> None:
    if training_class.status not in RUNNING_STATUSES:
        raise ClassRefused("status", "not_running")


def class_target(training_class: TrainingClass) -> str:
    return f"training_class:{training_class.id}"


def class_audience(training_class: TrainingClass) -> Audience:
    return Audience(root_path=training_class.org_unit.path,
                    ranks=tuple(training_class.ranks or ()),
                    categories=tuple(training_class.categories or ()))


def _check_input(data: ClassInput, *, actor: User, current: TrainingClass | None = None) -> None:
    for name in ("title", "organizer", "venue"):
        if not getattr(data, name).strip():
            raise ClassRefused(name, "required")
    if data.ends_on < data.starts_on:
        raise ClassRefused("ends_on", "before_start")
    if data.capacity < 1:
        raise ClassRefused("capacity", "positive")
    if not 1 <= data.attendance_share <= 100:
        raise ClassRefused("attendance_share", "range")
    twice = {c.id for c in data.courses_before} & {c.id for c in data.courses_during}
    if twice:
        raise ClassRefused("courses_during", "twice")
    current_quiz = current.test_quiz_id if current is not None else None
    if data.test_quiz is not None and data.test_quiz.id != current_quiz and \
            data.test_quiz.id not in {q.id for q in list_class_test_quizzes(actor)}:
        raise ClassRefused("test_quiz", "not_allowed")


def _check_against_members_and_sessions(training_class: TrainingClass, data: ClassInput) -> None:
    slots = [Slot(s.starts_at, s.ends_at, s.id) for s in training_class.sessions]
    outside = sessions_outside(slots, data.starts_on, data.ends_on)
    if outside:
        raise ClassRefused("starts_on", "sessions_outside", count=len(outside))
    enrolled = status_counts(training_class).get(MemberStatus.ENROLLED, 0)
    if data.capacity < enrolled:
        raise ClassRefused("capacity", "below_enrolled", enrolled=enrolled)
    if data.org_unit.id != training_class.org_unit_id:
        outside_unit = db.session.scalar(
            select(func.count(ClassMember.id))
            .join(User, User.id == ClassMember.user_id)
            .join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(ClassMember.class_id == training_class.id,
                   ~path_in_subtree(data.org_unit.path)))
        if outside_unit:
            raise ClassRefused("org_unit", "members_outside", count=outside_unit)


def _apply(training_class: TrainingClass, data: ClassInput) -> None:
    training_class.title = data.title.strip()
    training_class.organizer = data.organizer.strip()
    training_class.org_unit = data.org_unit
    training_class.org_unit_id = data.org_unit.id
    training_class.starts_on = data.starts_on
    training_class.ends_on = data.ends_on
    training_class.venue = data.venue.strip()
    training_class.capacity = data.capacity
    training_class.open_to_applications = data.open_to_applications
    training_class.attendance_share = data.attendance_share
    training_class.late_after_minutes = max(0, data.late_after_minutes)
    training_class.opens_before_minutes = max(0, data.opens_before_minutes)
    training_class.test_quiz_id = data.test_quiz.id if data.test_quiz is not None else None
    training_class.description = data.description.strip()
    training_class.ranks = sorted(r.value for r in data.ranks)
    training_class.categories = sorted(c.value for c in data.categories)


def _link_courses(training_class: TrainingClass, data: ClassInput) -> None:
    db.session.execute(delete(training_class_course).where(
        training_class_course.c.class_id == training_class.id))
    rows = [{"class_id": training_class.id, "course_id": course.id, "due": due}
            for due, courses in ((BEFORE, data.courses_before), (DURING, data.courses_during))
            for course in courses]
    if rows:
        db.session.execute(insert(training_class_course), rows)
    db.session.expire(training_class, ["courses"])


# Reading: the manager's list, linked courses, and the form's choices.

@dataclass(frozen=True)
class ManagedClass:
    training_class: TrainingClass
    counts: dict


def list_managed_classes(*, actor: User, page: int = 1, per_page: int = 50) -> Page:
    """The classes the actor runs, latest first, each with its members counted by status
    (two queries for the page and one for the counts)."""
    statement = (select(TrainingClass).join(OrgUnit, OrgUnit.id == TrainingClass.org_unit_id)
                 .where(managed_classes_condition(actor))
                 .order_by(TrainingClass.starts_on.desc(), TrainingClass.id.desc()))
    result = paginate(statement, page=page, per_page=per_page)
    counts = counts_by_class([c.id for c in result.items])
    items = [ManagedClass(c, counts.get(c.id, {})) for c in result.items]
    return Page(items=items, total=result.total, page=result.page, per_page=result.per_page)


def counts_by_class(class_ids: Iterable[int]) -> dict[int, dict[MemberStatus, int]]:
    ids = list(class_ids)
    counts: dict[int, dict[MemberStatus, int]] = {}
    if not ids:
        return counts
    rows = db.session.execute(
        select(ClassMember.class_id, ClassMember.status, func.count(ClassMember.id))
        .where(ClassMember.class_id.in_(ids))
        .group_by(ClassMember.class_id, ClassMember.status))
    for class_id, status, count in rows:
        counts.setdefault(class_id, {})[MemberStatus(status)] = count
    return counts


def linked_courses(class_ids: Iterable[int]) -> dict[int, list[LinkedCourse]]:
    """Each class's linked courses, by code (one query)."""
    ids = list(class_ids)
    found: dict[int, list[LinkedCourse]] = {class_id: [] for class_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(training_class_course.c.class_id, training_class_course.c.due, Course)
        .join(Course, Course.id == training_class_course.c.course_id)
        .where(training_class_course.c.class_id.in_(ids)).order_by(Course.code))
    for class_id, due, course in rows:
        found[class_id].append(LinkedCourse(course, due))
    return found


def list_class_units(actor: User) -> list[OrgUnit]:
    """Units a class of this actor may belong to: any active unit for trainers and admins,
    HR's own subtrees otherwise."""
    statement = select(OrgUnit).where(OrgUnit.active.is_(True)).order_by(OrgUnit.path)
    if not actor.has_role(RoleName.TRAINER, RoleName.ADMIN):
        statement = statement.where(unit_scope_condition(actor))
    return list(db.session.scalars(statement))


def list_class_test_quizzes(actor: User) -> list[Quiz]:
    """Graded quizzes the actor may see: annual tests, quizzes of published courses, and
    those of the courses a trainer teaches (admins: all)."""
    published = select(Course.id).where(Course.status == CourseStatus.PUBLISHED)
    visible = [Quiz.course_id.is_(None), Quiz.course_id.in_(published)]
    if actor.has_role(RoleName.TRAINER, RoleName.ADMIN):
        visible.append(taught_course_condition(actor, Quiz.course_id))
    return list(db.session.scalars(select(Quiz).where(Quiz.graded.is_(True), or_(*visible))
                                   .order_by(Quiz.code)))


def list_linkable_courses(current: Iterable[Course] = ()) -> list[Course]:
    """Published courses, and the ones a class links already (archived since, perhaps)."""
    current_ids = [course.id for course in current]
    return list(db.session.scalars(select(Course).where(or_(
        Course.status == CourseStatus.PUBLISHED, Course.id.in_(current_ids)))
        .order_by(Course.code)))

