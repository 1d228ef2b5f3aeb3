"""Courses on the authoring pages: list, create, edit metadata, manage owners.

The rules are the course files' (courses/README.md): what a trainer may save here is
what `flask courses import` would accept in course.yaml. A content change bumps the
course's version and refreshes its content hash exactly as an import of the exported
files would compute it, so importing those files afterwards finds the course unchanged.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from app.domain.course_files import COURSE_CODE, content_hash, find_cycles
from app.domain.course_files.course_yaml import MAX_HOURS, MAX_SUMMARY, MAX_TITLE
from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    HoursRule,
    Rank,
    RoleName,
    WorkCategory,
)
from app.extensions import db
from app.models import Course, CourseOwner, Lesson, User
from app.models.types import utcnow
from app.services.core.access import taught_course_condition
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.course_files.exporting import spec_from_course
from app.services.curriculum.course_files.fields import apply_course_fields
from app.services.curriculum.course_files.importing import stored_prerequisite_edges


class CourseInputError(ServiceError):
    """A field the course cannot have; `reason` names the rule, `detail` the offending value."""

    def __init__(self, field_name: str, reason: str, detail: str = ""):
        super().__init__(f"{field_name}: {reason} {detail}".strip())
        self.field = field_name
        self.reason = reason
        self.detail = detail


class EditConflict(ServiceError):
    """Someone saved the course (or lesson) after this form was opened; nothing was saved."""


@dataclass
class CourseInput:
    """What the course form holds (everything of course.yaml except code and status)."""

    title: str
    summary: str
    tier: CourseTier
    areas: list[CompetencyArea]
    #: The declared hours; ignored under the video-length rule.
    hours: Decimal | None
    kind: CourseKind
    ranks: list[Rank] = field(default_factory=list)
    categories: list[WorkCategory] = field(default_factory=list)
    #: Codes of the courses to finish first.
    prerequisites: list[str] = field(default_factory=list)
    #: A core course of its tier (the tier certificate needs every core course).
    core: bool = False
    hours_rule: HoursRule = HoursRule.DECLARED


@dataclass(frozen=True)
class OwnerName:
    user_id: int
    username: str
    name: str


@dataclass
class EditableCourse:
    """A row of the trainer's course list."""

    course: Course
    owners: list[OwnerName]
    lesson_count: int


def list_editable_courses(*, actor: User) -> list[EditableCourse]:
    """The courses the actor may edit (admins: all), in four queries whatever their number."""
    if not actor.has_role(RoleName.TRAINER, RoleName.ADMIN):
        raise PermissionDenied("not an author")
    courses = list(db.session.scalars(
        select(Course).where(taught_course_condition(actor)).order_by(Course.code)))
    ids = [course.id for course in courses]
    owners: dict[int, list[OwnerName]] = {}
    lessons: dict[int, int] = {}
    if ids:
        rows = db.session.execute(
            select(CourseOwner.course_id, User.id, User.username, User.name)
            .join(User, User.id == CourseOwner.user_id)
            .where(CourseOwner.course_id.in_(ids)).order_by(User.username))
        for course_id, user_id, username, name in rows:
            owners.setdefault(course_id, []).append(OwnerName(user_id, username, name))
        lessons = dict(db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.course_id.in_(ids)).group_by(Lesson.course_id)).all())
    return [EditableCourse(course, owners.get(course.id, []), lessons.get(course.id, 0))
            for course in courses]


def prerequisite_choices(course: Course | None) -> list[Course]:
    """Every other course, by code: the ones a course may name as prerequisites."""
    statement = select(Course).order_by(Course.code)
    if course is not None:
        statement = statement.where(Course.id != course.id)
    return list(db.session.scalars(statement))


def course_revision(course: Course) -> str:
    """A fingerprint of the course's form fields, carried by the form it was opened at."""
    document = {
        "title": course.title, "summary": course.summary, "tier": course.tier.value,
        "areas": [area.value for area in course.area_names],
        # Video-length hours move when a video becomes ready: not the form's concern.
        "hours": (format(Decimal(course.hours).normalize(), "f")
                  if course.hours_rule is HoursRule.DECLARED else None),
        "hours_rule": course.hours_rule.value, "kind": course.kind.value,
        "ranks": list(course.audience_ranks), "categories": list(course.audience_categories),
        "prerequisites": sorted(prerequisite.code for prerequisite in course.prerequisites),
        "core": course.core,
    }
    text = json.dumps(document, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def refresh_course_content(course: Course, *, bump: bool = True) -> bool:
    """After any change: when the content (as course files hash it) differs from the stored
    hash, store the new hash and (with bump) give the course its next version."""
    db.session.flush()
    # Collections changed by reordering or deleting rows are read back in file order.
    db.session.expire(course, ["lessons", "assets", "prerequisites"])
    digest = content_hash(spec_from_course(course))
    if digest == course.content_hash:
        return False
    course.content_hash = digest
    if bump:
        course.version += 1
    course.updated_at = utcnow()
    db.session.flush()
    return True


def create_course(code: str, data: CourseInput, *, actor: User) -> Course:
    """A draft course owned by its creator, with no lessons yet."""
    if not actor.has_role(RoleName.TRAINER, RoleName.ADMIN):
        raise PermissionDenied("not an author")
    code = (code or "").strip()
    if not COURSE_CODE.match(code):
        raise CourseInputError("code", "code_format", code)
    if db.session.scalar(select(Course.id).where(Course.code == code)) is not None:
        raise CourseInputError("code", "code_taken", code)
    data = _checked(code, data)
    course = Course(code=code, status=CourseStatus.DRAFT, version=1, content_hash="")
    _apply(course, data)
    db.session.add(course)
    db.session.flush()
    db.session.add(CourseOwner(course_id=course.id, user_id=actor.id))
    refresh_course_content(course, bump=False)
    record_event("authoring.course_created", actor=actor, target=f"course:{code}",
                 details={"title": course.title})
    return course


def update_course(course: Course, data: CourseInput, *, revision: str, actor: User) -> bool:
    """Save the form opened at `revision`; EditConflict when the course changed meanwhile.

    True when the content changed (the course then has its next version).
    """
    ensure_may_edit(actor, course)
    # Locks the row on PostgreSQL so two saves at the same moment cannot both pass the check.
    db.session.refresh(course, with_for_update=True)
    if revision != course_revision(course):
        raise EditConflict(course.code)
    data = _checked(course.code, data)
    before = course_revision(course)
    _apply(course, data)
    changed = refresh_course_content(course)
    if changed or course_revision(course) != before:
        record_event("authoring.course_edited", actor=actor, target=f"course:{course.code}",
                     details={"version": course.version})
    return changed


def _checked(code: str, data: CourseInput) -> CourseInput:
    """The input with text trimmed as course.yaml would read it, or CourseInputError."""
    title, summary = (data.title or "").strip(), (data.summary or "").replace("\r\n", "\n")
    summary = summary.strip()
    if not title:
        raise CourseInputError("title", "title_required")
    if len(title) > MAX_TITLE or "\n" in title:
        raise CourseInputError("title", "title_too_long")
    if len(summary) > MAX_SUMMARY:
        raise CourseInputError("summary", "summary_too_long")
    if not data.areas:
        raise CourseInputError("areas", "areas_required")
    hours = _hours(data.hours) if data.hours_rule is HoursRule.DECLARED else None
    prerequisites = sorted(set(data.prerequisites))
    _check_prerequisites(code, prerequisites)
    return CourseInput(title=title, summary=summary, tier=data.tier,
                       areas=list(dict.fromkeys(data.areas)), hours=hours, kind=data.kind,
                       ranks=list(dict.fromkeys(data.ranks)),
                       categories=list(dict.fromkeys(data.categories)),
                       prerequisites=prerequisites, core=bool(data.core),
                       hours_rule=data.hours_rule)


def _hours(value) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise CourseInputError("hours", "hours", str(value)) from error
    if not hours.is_finite() or not 0 < hours <= MAX_HOURS or (hours * 2) % 1 != 0:
        raise CourseInputError("hours", "hours", str(value))
    return hours


def _check_prerequisites(code: str, prerequisites: list[str]) -> None:
    if code in prerequisites:
        raise CourseInputError("prerequisites", "prerequisite_self", code)
    known = set(db.session.scalars(select(Course.code).where(Course.code.in_(prerequisites))))
    missing = sorted(set(prerequisites) - known)
    if missing:
        raise CourseInputError("prerequisites", "prerequisite_unknown", ", ".join(missing))
    graph = stored_prerequisite_edges()
    graph[code] = set(prerequisites)
    for cycle in find_cycles(graph, starts=[code]):
        if code in cycle:
            start = cycle.index(code)
            path = cycle[start:] + cycle[:start] + [code]
            raise CourseInputError("prerequisites", "prerequisite_cycle", " → ".join(path))


def _apply(course: Course, data: CourseInput) -> None:
    apply_course_fields(course, title=data.title, summary=data.summary, tier=data.tier,
                        kind=data.kind, core=data.core, hours=data.hours,
                        hours_rule=data.hours_rule, ranks=data.ranks,
                        categories=data.categories, areas=data.areas)
    if sorted(c.code for c in course.prerequisites) != data.prerequisites:
        course.prerequisites = list(db.session.scalars(
            select(Course).where(Course.code.in_(data.prerequisites)).order_by(Course.code)))


def list_course_owners(course: Course) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CourseOwner, CourseOwner.user_id == User.id)
        .where(CourseOwner.course_id == course.id).order_by(User.username)))


def add_course_owner_by_username(course: Course, username: str, *, actor: User) -> User:
    """Make the trainer with this employee number an owner too (owners and admins may)."""
    ensure_may_edit(actor, course)
    trainer = db.session.scalar(select(User).where(User.username_is(username or "")))
    if trainer is None:
        raise CourseInputError("username", "owner_unknown", username)
    if not trainer.has_role(RoleName.TRAINER):
        raise CourseInputError("username", "owner_not_trainer", trainer.name)
    if db.session.get(CourseOwner, (course.id, trainer.id)) is not None:
        raise CourseInputError("username", "owner_already", trainer.name)
    db.session.add(CourseOwner(course_id=course.id, user_id=trainer.id))
    db.session.flush()
    record_event("authoring.course_owner_added", actor=actor, target=f"course:{course.code}",
                 details={"user_id": trainer.id, "username": trainer.username})
    return trainer


def remove_course_owner(course: Course, user_id: int, *, actor: User) -> User:
    """Take an owner off the course; a course keeps at least one owner."""
    ensure_may_edit(actor, course)
    row = db.session.get(CourseOwner, (course.id, user_id))
    if row is None:
        raise CourseInputError("owner", "owner_not_owner")
    count = db.session.scalar(select(func.count()).select_from(CourseOwner)
                              .where(CourseOwner.course_id == course.id))
    if count <= 1:
        raise CourseInputError("owner", "owner_last")
    owner = db.session.get(User, user_id)
    db.session.delete(row)
    db.session.flush()
    record_event("authoring.course_owner_removed", actor=actor, target=f"course:{course.code}",
                 details={"user_id": owner.id, "username": owner.username})
    return owner
