"""Learning use cases: catalog, course page, enrollment, lessons, completion and hours."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.completion import Requirement, course_state, is_complete, progress_percent
from app.domain.learning import credit_kind, local_year, missing_prerequisites
from app.domain.vocabulary import (
    CompetencyArea,
    CourseStatus,
    CourseTier,
    EnrollmentSource,
    RoleName,
    VideoStatus,
    WorkCategory,
)
from app.extensions import db
from app.models import (
    Course,
    CourseAsset,
    Enrollment,
    HourCredit,
    Lesson,
    LessonProgress,
    LessonVideo,
    User,
    VideoWatch,
)
from app.models.types import utcnow
from app.services.certificates import issue_for_completion
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, PermissionDenied, ServiceError
from app.services.learning.catalog import CourseCard, published_courses
from app.services.learning.progress import (
    enrollment_requirements,
    requirement_columns,
    requirements_from,
)

TIER_ORDER = {tier: index for index, tier in enumerate(CourseTier)}


def may_preview(actor: User) -> bool:
    """Trainers and admins see drafts; learners see published courses only."""
    return actor.has_role(RoleName.TRAINER, RoleName.ADMIN)


def find_course_for(code: str, *, actor: User) -> Course:
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise NotFound(code)
    if course.status is CourseStatus.PUBLISHED or may_preview(actor):
        return course
    if course.status is CourseStatus.ARCHIVED and find_enrollment(course, actor) is not None:
        return course  # people who took an archived course keep reading it
    raise NotFound(code)


def find_enrollment(course: Course, user: User) -> Enrollment | None:
    return db.session.scalar(select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.user_id == user.id))


@dataclass(frozen=True)
class CatalogEntry:
    course: CourseCard
    lesson_count: int
    enrollment: Enrollment | None
    percent: int

    @property
    def state(self) -> str:
        return course_state(enrolled=self.enrollment is not None,
                            completed=self.enrollment is not None
                            and self.enrollment.completed_at is not None)


def list_catalog(*, actor: User, tier: CourseTier | None = None,
                 area: CompetencyArea | None = None, category: WorkCategory | None = None,
                 text: str = "") -> list[CatalogEntry]:
    """Published courses with the viewer's state: the course list every cadre shares (kept
    between requests), then one read of the viewer's own enrollments and their progress."""
    mine = {row[0].course_id: (row[0], progress_percent(requirements_from(row[1:])))
            for row in db.session.execute(select(Enrollment, *requirement_columns())
                                          .where(Enrollment.user_id == actor.id))}
    needle = text.strip().casefold()
    entries = []
    for card in published_courses():
        if (tier is not None and card.tier is not tier) \
                or (area is not None and area not in card.area_names) \
                or (needle and needle not in card.title.casefold()
                    and needle not in card.code.casefold()) \
                or (category is not None and card.audience_categories
                    and category.value not in card.audience_categories):
            continue
        enrollment, percent = mine.get(card.id, (None, 0))
        entries.append(CatalogEntry(card, card.lesson_count, enrollment, percent))
    return sorted(entries, key=lambda e: (TIER_ORDER[e.course.tier], e.course.code))


def completed_course_codes(user: User, codes: list[str] | None = None) -> set[str]:
    statement = (select(Course.code).join(Enrollment, Enrollment.course_id == Course.id)
                 .where(Enrollment.user_id == user.id, Enrollment.completed_at.is_not(None)))
    if codes is not None:
        statement = statement.where(Course.code.in_(codes))
    return set(db.session.scalars(statement))


@dataclass(frozen=True)
class Eligibility:
    allowed: bool
    reason: str | None = None  # not_a_cadre, not_published, missing_prerequisites, enrolled
    missing: list[str] = field(default_factory=list)


def check_eligibility(course: Course, *, actor: User,
                      enrollment: Enrollment | None = None) -> Eligibility:
    if enrollment is not None:
        return Eligibility(False, "enrolled")
    if not actor.has_role(RoleName.CADRE):
        return Eligibility(False, "not_a_cadre")
    if course.status is not CourseStatus.PUBLISHED:
        return Eligibility(False, "not_published")
    prerequisite_codes = [p.code for p in course.prerequisites]
    missing = missing_prerequisites(
        prerequisite_codes, completed_course_codes(actor, prerequisite_codes))
    if missing:
        return Eligibility(False, "missing_prerequisites", missing)
    return Eligibility(True)


def enroll_in_course(course: Course, *, actor: User) -> Enrollment:
    """Self-enrollment; enrolling again returns the existing enrollment."""
    existing = find_enrollment(course, actor)
    if existing is not None:
        return existing
    eligibility = check_eligibility(course, actor=actor)
    if not eligibility.allowed:
        raise ServiceError(eligibility.reason)
    enrollment = Enrollment(user_id=actor.id, course_id=course.id, source=EnrollmentSource.SELF)
    try:
        with db.session.begin_nested():
            db.session.add(enrollment)
    except IntegrityError:  # another tab enrolled at the same moment
        return find_enrollment(course, actor)
    record_event("learning.enrolled", actor=actor, target=f"course:{course.code}")
    return enrollment


def leave_course(enrollment: Enrollment, *, actor: User) -> None:
    if enrollment.user_id != actor.id:
        raise PermissionDenied("not your enrollment")
    if enrollment.is_assigned:
        raise ServiceError("assigned")
    if enrollment.completed_at is not None:
        raise ServiceError("completed")
    db.session.delete(enrollment)
    db.session.flush()
    record_event("learning.left", actor=actor, target=f"course:{enrollment.course.code}")


def completion_requirements(enrollment: Enrollment) -> list[Requirement]:
    """What completing this course asks for: lessons, graded quizzes, graded exercises."""
    return enrollment_requirements(enrollment)


def remember_lesson_opened(enrollment: Enrollment, lesson: Lesson, *, actor: User) -> bool:
    """Where "continue" goes next time. The lesson page reports it (a beacon) only when it
    changed, so reading a lesson writes nothing; returns whether anything changed."""
    if enrollment.user_id != actor.id:
        raise PermissionDenied("not your enrollment")
    if lesson.course_id != enrollment.course_id:
        raise NotFound("lesson")
    if enrollment.last_lesson_id == lesson.id:
        return False
    enrollment.last_lesson_id = lesson.id
    return True


def complete_lesson(enrollment: Enrollment, lesson: Lesson, *, actor: User) -> bool:
    """Mark a lesson done (idempotent); returns True when this completed the course."""
    if enrollment.user_id != actor.id:
        raise PermissionDenied("not your enrollment")
    if lesson.course_id != enrollment.course_id:
        raise NotFound("lesson")
    if video_still_to_watch(lesson, actor):
        raise ServiceError(VIDEO_FIRST)
    remember_lesson_opened(enrollment, lesson, actor=actor)  # also without the beacon
    already = db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.enrollment_id == enrollment.id, LessonProgress.lesson_id == lesson.id))
    if already is None:
        try:
            with db.session.begin_nested():
                db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=lesson.id))
        except IntegrityError:
            pass  # the other tab got there first
    return complete_course_if_done(enrollment)


VIDEO_FIRST = "watch the lesson's video first"


def video_still_to_watch(lesson: Lesson, user: User) -> bool:
    """A lesson with a video completes when the video does (app.services.video.watching),
    not by its button."""
    row = db.session.execute(
        select(LessonVideo.id, VideoWatch.completed_at)
        .outerjoin(VideoWatch, (VideoWatch.video_id == LessonVideo.id)
                   & (VideoWatch.user_id == user.id))
        .where(LessonVideo.lesson_id == lesson.id,
               LessonVideo.status == VideoStatus.READY)).first()
    return row is not None and row.completed_at is None


def complete_course_if_done(enrollment: Enrollment) -> bool:
    if enrollment.completed_at is not None:
        return False
    if not is_complete(completion_requirements(enrollment)):
        return False
    now = utcnow()
    enrollment.completed_at = now
    credit_hours(enrollment, now)
    record_event("learning.completed", actor=enrollment.user,
                 target=f"course:{enrollment.course.code}")
    issue_for_completion(enrollment, now)
    return True


def credit_hours(enrollment: Enrollment, now) -> HourCredit | None:
    """One ledger row per (cadre, course, year); a second attempt changes nothing."""
    kind = credit_kind(assigned=enrollment.is_assigned)
    credit = HourCredit(user_id=enrollment.user_id, course_id=enrollment.course_id,
                        year=local_year(now), hours=enrollment.course.hours, kind=kind,
                        credited_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(credit)
    except IntegrityError:
        return None
    return credit


def find_course_asset(course: Course, filename: str) -> CourseAsset:
    asset = db.session.scalar(select(CourseAsset).where(
        CourseAsset.course_id == course.id, CourseAsset.filename == filename))
    if asset is None:
        raise NotFound(filename)
    return asset
