"""The hours rule by video length: the admin's buckets, and the hours of every course that
follows it (docs/video.md).

A course whose ``hours_rule`` is video_length earns the hours of its bucket for the total
length of its ready videos, plus the test bonus when it has a graded course quiz (passing
it is required to complete). ``refresh_course_hours`` keeps ``Course.hours`` current; it
is called when the rule changes, when a video becomes ready or is deleted, and for every
such course when an admin changes the buckets. The ledger still reads ``Course.hours``
once, on completion (app.services.learning.enrollment.credit_hours).
"""

from dataclasses import asdict, dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.video_hours import HoursBuckets, hours_by_video_length
from app.domain.vocabulary import HoursRule, QuizKind, RoleName, VideoStatus
from app.extensions import db
from app.models import Course, Lesson, Quiz, User
from app.models.types import utcnow
from app.models.video import LessonVideo, VideoHoursScheme
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied, ServiceError

__all__ = ["HoursSchemeInvalid", "VideoLengthCourse", "complete_percent", "get_hours_buckets",
           "refresh_course_hours", "update_video_hours_scheme", "video_length_courses"]

SCHEME_TARGET = "video_hours_scheme"
#: The default share of a video's duration watched that completes it.
DEFAULT_COMPLETE_PERCENT = 95
MIN_COMPLETE_PERCENT = 50


class HoursSchemeInvalid(ServiceError):
    """The buckets or the completion share do not make sense; nothing was changed.
    ``problems`` are English message ids (HoursBuckets.problems and this module's)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class VideoLengthCourse:
    """A course under the video-length rule, for the admin's list."""

    course: Course
    video_seconds: Decimal
    has_graded_test: bool


def _scheme() -> VideoHoursScheme | None:
    return db.session.get(VideoHoursScheme, 1)


def get_hours_buckets() -> HoursBuckets:
    """The admin's buckets, or the published defaults while none were saved."""
    scheme = _scheme()
    if scheme is None:
        return HoursBuckets()
    return HoursBuckets(
        long_min_minutes=scheme.long_min_minutes, long_hours=scheme.long_hours,
        middle_hours=scheme.middle_hours, short_max_minutes=scheme.short_max_minutes,
        short_hours=scheme.short_hours, test_bonus_hours=scheme.test_bonus_hours)


def complete_percent() -> int:
    """The share of a video's duration (in percent) whose watching completes it."""
    scheme = _scheme()
    return DEFAULT_COMPLETE_PERCENT if scheme is None else scheme.complete_percent


def update_video_hours_scheme(buckets: HoursBuckets, percent: int, *,
                              actor: User) -> list[Course]:
    """Save the buckets and the completion share (admins only), then recompute the hours
    of every course under the video-length rule; returns those whose hours moved.
    Raises HoursSchemeInvalid, changing nothing, when the values do not make sense."""
    if not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only an administrator may change the video hours rule",
                               target=SCHEME_TARGET)
    problems = buckets.problems()
    if not MIN_COMPLETE_PERCENT <= percent <= 100:
        problems.append("The completion share must be between 50 % and 100 %.")
    if problems:
        raise HoursSchemeInvalid(problems)
    before = {**asdict(get_hours_buckets()), "complete_percent": complete_percent()}
    scheme = _scheme()
    if scheme is None:
        scheme = VideoHoursScheme(id=1)
        db.session.add(scheme)
    for name, value in asdict(buckets).items():
        setattr(scheme, name, value)
    scheme.complete_percent = percent
    scheme.updated_at = utcnow()
    scheme.updated_by_id = actor.id
    db.session.flush()
    after = _plain({**asdict(buckets), "complete_percent": percent})
    changed = sorted(name for name, value in after.items() if _plain(before)[name] != value)
    record_event("video.hours_scheme_changed", actor=actor, target=SCHEME_TARGET,
                 details={**after, "changed": changed})
    courses = db.session.scalars(select(Course).where(
        Course.hours_rule == HoursRule.VIDEO_LENGTH).order_by(Course.code))
    return [course for course in courses if refresh_course_hours(course)]


def _plain(values: dict) -> dict:
    """JSON-ready: hours as strings ("0.25"), minutes and percent as numbers."""
    return {key: format(value.normalize(), "f") if isinstance(value, Decimal) else value
            for key, value in values.items()}


def ready_video_seconds(course: Course) -> Decimal:
    """Total duration of the course's ready videos, in seconds."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(LessonVideo.duration_seconds), 0))
        .join(Lesson, Lesson.id == LessonVideo.lesson_id)
        .where(Lesson.course_id == course.id, LessonVideo.status == VideoStatus.READY))
    return Decimal(str(total))


def has_graded_test(course: Course) -> bool:
    """Whether the course has a graded course quiz ("passing its test"); exercises are
    practice on data, not the course's test."""
    return db.session.scalar(select(Quiz.id).where(
        Quiz.course_id == course.id, Quiz.kind == QuizKind.COURSE,
        Quiz.graded.is_(True)).limit(1)) is not None


def refresh_course_hours(course: Course, buckets: HoursBuckets | None = None) -> bool:
    """Set the hours of a video-length course from its ready videos (a course under the
    declared rule is left alone); returns whether the hours changed."""
    if course.hours_rule is not HoursRule.VIDEO_LENGTH:
        return False
    if course.id is None:  # not saved yet: no videos, no quiz
        seconds, graded = Decimal(0), False
    else:
        db.session.flush()  # videos and quizzes added in this transaction count
        seconds, graded = ready_video_seconds(course), has_graded_test(course)
    hours = hours_by_video_length(float(seconds), has_graded_test=graded,
                                  buckets=buckets or get_hours_buckets())
    if course.hours is not None and Decimal(course.hours) == hours:
        return False
    course.hours = hours
    return True


def video_length_courses() -> list[VideoLengthCourse]:
    """Every course under the video-length rule, by code, with what its hours come from
    (three queries, whatever the number of courses)."""
    courses = list(db.session.scalars(select(Course).where(
        Course.hours_rule == HoursRule.VIDEO_LENGTH).order_by(Course.code)))
    ids = [course.id for course in courses]
    seconds = dict(db.session.execute(
        select(Lesson.course_id, func.sum(LessonVideo.duration_seconds))
        .join(LessonVideo, LessonVideo.lesson_id == Lesson.id)
        .where(Lesson.course_id.in_(ids), LessonVideo.status == VideoStatus.READY)
        .group_by(Lesson.course_id)).all())
    tested = set(db.session.scalars(select(Quiz.course_id).where(
        Quiz.course_id.in_(ids), Quiz.kind == QuizKind.COURSE, Quiz.graded.is_(True))))
    return [VideoLengthCourse(course, Decimal(str(seconds.get(course.id) or 0)),
                              course.id in tested) for course in courses]
