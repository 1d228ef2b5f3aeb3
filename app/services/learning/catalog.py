"""The published courses as every cadre sees them alike, kept between requests.

The catalog, the home page's recommendations and the record's "next courses" all read the
same few rows: published courses with their areas, audiences, prerequisites and lesson
counts. They are read once per process and kept as plain values (no ORM objects outlive a
request), and read again when any course row changed: each use asks the course table for
its rows' (id, status, content hash, version, updated time) first, one small indexed read.
Authoring and `courses import` give every content change a new hash (refresh_course_content,
import_courses), publishing changes the status, so a change shows on every instance at the
next page, with no message between instances and nothing to invalidate by hand.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from threading import Lock

from sqlalchemy import func, select

from app.domain.vocabulary import CompetencyArea, CourseKind, CourseStatus, CourseTier
from app.extensions import db
from app.models import Course, CourseArea, CoursePrerequisite, Lesson


@dataclass(frozen=True)
class CourseCard:
    """A published course as lists and recommendations show it."""

    id: int
    code: str
    title: str
    summary: str
    tier: CourseTier
    kind: CourseKind
    hours: Decimal
    core: bool
    area_names: tuple[CompetencyArea, ...]
    audience_ranks: tuple[str, ...]
    audience_categories: tuple[str, ...]
    prerequisite_codes: tuple[str, ...]
    lesson_count: int


_kept: dict[str, tuple[tuple, tuple[CourseCard, ...]]] = {}
_lock = Lock()


def published_courses() -> tuple[CourseCard, ...]:
    """Every published course, in code order."""
    key = tuple(db.session.execute(
        select(Course.id, Course.status, Course.content_hash, Course.version,
               Course.updated_at).order_by(Course.id)).all())
    database = str(db.engine.url)
    kept = _kept.get(database)
    if kept is not None and kept[0] == key:
        return kept[1]
    cards = _read_cards()
    with _lock:
        _kept[database] = (key, cards)
    return cards


def forget_published_courses() -> None:
    """Drop what is kept (tests that change course rows behind the services' back)."""
    with _lock:
        _kept.clear()


def _read_cards() -> tuple[CourseCard, ...]:
    published = Course.status == CourseStatus.PUBLISHED
    areas: dict[int, list[CompetencyArea]] = defaultdict(list)
    for course_id, area in db.session.execute(
            select(CourseArea.course_id, CourseArea.area).join(Course).where(published)
            .order_by(CourseArea.course_id, CourseArea.position)):
        areas[course_id].append(area)
    prerequisite = Course.__table__.alias("prerequisite")
    prerequisites: dict[int, list[str]] = defaultdict(list)
    for course_id, code in db.session.execute(
            select(CoursePrerequisite.course_id, prerequisite.c.code)
            .join(prerequisite, prerequisite.c.id == CoursePrerequisite.prerequisite_id)
            .order_by(CoursePrerequisite.course_id, prerequisite.c.code)):
        prerequisites[course_id].append(code)
    lessons = (select(Lesson.course_id, func.count(Lesson.id).label("total"))
               .group_by(Lesson.course_id).subquery())
    rows = db.session.execute(
        select(Course.id, Course.code, Course.title, Course.summary, Course.tier, Course.kind,
               Course.hours, Course.core, Course.audience_ranks, Course.audience_categories,
               func.coalesce(lessons.c.total, 0))
        .outerjoin(lessons, lessons.c.course_id == Course.id)
        .where(published).order_by(Course.code))
    return tuple(
        CourseCard(id=row[0], code=row[1], title=row[2], summary=row[3], tier=row[4],
                   kind=row[5], hours=row[6], core=row[7], area_names=tuple(areas[row[0]]),
                   audience_ranks=tuple(row[8] or ()), audience_categories=tuple(row[9] or ()),
                   prerequisite_codes=tuple(prerequisites[row[0]]), lesson_count=int(row[10]))
        for row in rows)
