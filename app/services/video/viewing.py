"""Finding a lesson's video for someone who may watch it: an enrolled cadre, or a trainer
or admin previewing the course. Anyone else is refused (a 403, audited)."""

from sqlalchemy import select

from app.domain.vocabulary import CourseStatus, VideoStatus
from app.extensions import db
from app.models import Course, Enrollment, Lesson, LessonVideo, User
from app.services.core.errors import NotFound, PermissionDenied
from app.services.learning.enrollment import find_enrollment, may_preview


def find_course_lesson(course: Course, number: int) -> Lesson:
    lesson = next((le for le in course.lessons if le.number == number), None)
    if lesson is None:
        raise NotFound("lesson")
    return lesson


def find_lesson_video(course: Course, number: int, *, actor: User) -> LessonVideo:
    """The ready video of lesson ``number``, for a viewer who may read the course."""
    video = find_course_lesson(course, number).video
    if video is None or not video.is_ready:
        raise NotFound("video")
    if find_enrollment(course, actor) is None and not may_preview(actor):
        raise PermissionDenied("enroll in the course to watch its videos")
    return video


def find_video_to_watch(code: str, number: int, *,
                        actor: User) -> tuple[LessonVideo, Enrollment]:
    """The ready video of a lesson and the actor's enrollment in its course, in one query:
    the player reports every 15 s, so this path reads as little as it can. Only enrolled
    cadres' watching is recorded; a draft course is not there for them."""
    row = db.session.execute(
        select(LessonVideo, Enrollment)
        .join(Lesson, Lesson.id == LessonVideo.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .outerjoin(Enrollment, (Enrollment.course_id == Course.id)
                   & (Enrollment.user_id == actor.id))
        .where(Course.code == code, Lesson.number == number,
               Course.status != CourseStatus.DRAFT,
               LessonVideo.status == VideoStatus.READY)).first()
    if row is None:
        raise NotFound("video")
    if row.Enrollment is None:
        raise PermissionDenied("only enrolled cadres' watching is recorded")
    return row.LessonVideo, row.Enrollment


def subtitle_text(video: LessonVideo, language: str) -> str:
    track = next((s for s in video.subtitles if s.language == language), None)
    if track is None:
        raise NotFound(language)
    return track.vtt
