"""The evidence of video lessons: per video of a course, who watched, how far, where they
left (trainers and HR); per cadre, what they watched (the record page and the PDF record).

Who sees whose watching: a course's owners and admins see every viewer; HR sees the
course's figures over the cadres of their own org subtree only (the scope rule of
app.services.core.access); anyone else is refused. The rows read stay bounded whatever the
number of viewers: the figures are SQL aggregates, and each video's retention curve streams
only that video's interval lists (app.domain.video_evidence folds them as they come).
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select

from app.domain.learning import local_year_bounds
from app.domain.record_lines import VideoLine
from app.domain.video_evidence import (
    DEFAULT_POINTS,
    VideoFigures,
    figures_from_totals,
    moment_label,
    retention_curve,
    sample_moments,
)
from app.domain.vocabulary import RoleName, VideoStatus
from app.extensions import db
from app.models import Course, Lesson, LessonVideo, OrgUnit, User, VideoWatch
from app.services.core.access import (
    ensure_may_view_person,
    teaches_course,
    unit_scope_condition,
)
from app.services.core.errors import NotFound, PermissionDenied

#: Interval lists fetched per round trip while a curve is drawn.
STREAM_BATCH = 500


@dataclass(frozen=True)
class VideoEvidence:
    """One lesson video: its figures and its retention curve (share 0–1 per moment)."""

    lesson_number: int
    lesson_title: str
    duration_seconds: float
    figures: VideoFigures
    moments: list[float]
    curve: list[float]

    @property
    def length_label(self) -> str:
        """The duration as minutes and seconds (12:30)."""
        return moment_label(self.duration_seconds)


@dataclass(frozen=True)
class CourseVideoEvidence:
    course: Course
    #: True when the figures cover only the actor's HR scope, not every viewer.
    scoped: bool
    videos: list[VideoEvidence]


def _viewer_scope(course: Course, actor: User):
    """None when the actor sees every viewer (owner, admin), else the SQL condition on the
    viewer's OrgUnit (HR); PermissionDenied for anyone else."""
    if teaches_course(actor, course):
        return None
    if actor.has_role(RoleName.HR):
        return unit_scope_condition(actor, path_column=OrgUnit.path)
    raise PermissionDenied("you do not teach this course", target=f"course:{course.code}")


def _watches(scope, *columns):
    """A SELECT of these columns of VideoWatch rows with credited time, limited to the
    scope's viewers."""
    query = select(*columns).select_from(VideoWatch).where(VideoWatch.watched_seconds > 0)
    if scope is not None:
        query = (query.join(User, User.id == VideoWatch.user_id)
                 .join(OrgUnit, OrgUnit.id == User.org_unit_id).where(scope))
    return query


def find_course_video_evidence(code: str, *, actor: User,
                               points: int = DEFAULT_POINTS) -> CourseVideoEvidence:
    """The evidence of the course with this code (NotFound, PermissionDenied)."""
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise NotFound(code)
    return course_video_evidence(course, actor=actor, points=points)


def course_video_evidence(course: Course, *, actor: User,
                          points: int = DEFAULT_POINTS) -> CourseVideoEvidence:
    """Each ready video of the course, in lesson order, with figures and curve."""
    scope = _viewer_scope(course, actor)
    videos = db.session.execute(
        select(LessonVideo.id, Lesson.number, Lesson.title, LessonVideo.duration_seconds)
        .join(Lesson, Lesson.id == LessonVideo.lesson_id)
        .where(Lesson.course_id == course.id, LessonVideo.status == VideoStatus.READY,
               LessonVideo.duration_seconds > 0)
        .order_by(Lesson.number)).all()
    totals = _totals([v.id for v in videos], scope) if videos else {}
    found = []
    for video_id, number, title, duration in videos:
        length = float(duration)
        viewers, completed, average = totals.get(video_id, (0, 0, None))
        figures = figures_from_totals(viewers, completed, average, length)
        curve = (retention_curve(_intervals(video_id, scope), length, points) if viewers
                 else [0.0] * points)
        found.append(VideoEvidence(number, title, length, figures,
                                   sample_moments(length, points), curve))
    return CourseVideoEvidence(course, scope is not None, found)


def _totals(video_ids: Sequence[int], scope) -> dict[int, tuple[int, int, float | None]]:
    """Per video: viewers, completed, mean credited seconds (each capped at the duration);
    one grouped query for all of a course's videos."""
    capped = case((VideoWatch.watched_seconds > LessonVideo.duration_seconds,
                   LessonVideo.duration_seconds), else_=VideoWatch.watched_seconds)
    query = (_watches(scope, VideoWatch.video_id, func.count(VideoWatch.id),
                      func.count(VideoWatch.completed_at), func.avg(capped))
        .join(LessonVideo, LessonVideo.id == VideoWatch.video_id)
        .where(VideoWatch.video_id.in_(video_ids)).group_by(VideoWatch.video_id))
    return {row[0]: (row[1], row[2], row[3]) for row in db.session.execute(query)}


def _intervals(video_id: int, scope) -> Iterator[list]:
    """The video's viewers' credited intervals, fetched a batch at a time."""
    query = (_watches(scope, VideoWatch.intervals)
             .where(VideoWatch.video_id == video_id)
             .execution_options(yield_per=STREAM_BATCH))
    yield from db.session.scalars(query)


# What one cadre watched.

def video_watch_lines(person: User, year: int | None = None, *,
                      actor: User) -> list[VideoLine]:
    """Every video the person has credited time for (in ``year``: watched or completed
    then); the actor must be allowed to see the person."""
    ensure_may_view_person(actor, person)
    return video_lines_by_user([person.id], year).get(person.id, [])


def video_lines_by_user(ids: Sequence[int], year: int | None) -> dict[int, list[VideoLine]]:
    """The video lines of each of these cadres (already checked to be in scope), in one
    query whatever their number, by course and lesson."""
    query = (select(VideoWatch.user_id, Course.code, Course.title, Lesson.number,
                    Lesson.title, LessonVideo.duration_seconds, VideoWatch.watched_seconds,
                    VideoWatch.completed_at)
             .join(LessonVideo, LessonVideo.id == VideoWatch.video_id)
             .join(Lesson, Lesson.id == LessonVideo.lesson_id)
             .join(Course, Course.id == Lesson.course_id)
             .where(VideoWatch.user_id.in_(ids), VideoWatch.watched_seconds > 0)
             .order_by(Course.code, Lesson.number))
    if year is not None:
        start, end = local_year_bounds(year)
        query = query.where(or_(
            (VideoWatch.updated_at >= start) & (VideoWatch.updated_at < end),
            (VideoWatch.completed_at >= start) & (VideoWatch.completed_at < end)))
    found: dict[int, list[VideoLine]] = defaultdict(list)
    for row in db.session.execute(query):
        found[row[0]].append(VideoLine(*row[1:]))
    return found
