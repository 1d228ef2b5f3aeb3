"""What the course page and the lesson reader show, in a bounded number of queries."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain.completion import Requirement, next_requirement, progress_percent
from app.domain.learning import credit_kind
from app.domain.vocabulary import CreditKind, QuizKind, VideoStatus
from app.extensions import db
from app.models import Course, Enrollment, Lesson, LessonProgress, LessonVideo, User
from app.services.core.errors import NotFound
from app.services.learning.enrollment import (
    Eligibility,
    check_eligibility,
    completed_course_codes,
    completion_requirements,
    find_enrollment,
    may_preview,
)
from app.services.learning.quiz_standing import course_quiz_results, course_quizzes


@dataclass(frozen=True)
class CourseView:
    course: Course
    lessons: list[Lesson]
    done_lesson_ids: set[int]
    enrollment: Enrollment | None
    prerequisites: list[tuple[Course, bool]]
    eligibility: Eligibility
    requirements: list[Requirement]
    quizzes: list = field(default_factory=list)
    quiz_results: dict = field(default_factory=dict)
    #: Enrolled learners read the lessons and quizzes; trainers and admins preview them.
    may_read: bool = False
    #: Lesson id -> length in whole minutes (at least 1) of its ready video.
    video_minutes: dict[int, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return progress_percent(self.requirements)

    @property
    def credit_kind(self) -> CreditKind | None:
        """How this cadre's hours for the course count (None when not enrolled)."""
        if self.enrollment is None:
            return None
        return credit_kind(assigned=self.enrollment.is_assigned)

    @property
    def next_step(self) -> str | None:
        """"lessons", "quizzes" or "exercises": what the cadre has left to do first."""
        if self.enrollment is None or self.enrollment.completed_at is not None:
            return None
        return next_requirement(self.requirements)

    @property
    def next_assessment(self):
        """The first graded quiz (or exercise, per next_step) not passed yet."""
        exercise = self.next_step == "exercises"
        return next((q for q in self.quizzes if q.graded
                     and (q.kind is QuizKind.EXERCISE) == exercise
                     and not getattr(self.quiz_results.get(q.id), "passed", False)), None)

    @property
    def resume_lesson(self) -> Lesson | None:
        """Where "continue" goes: the last lesson opened, else the first one not done."""
        if self.enrollment is not None and self.enrollment.last_lesson is not None:
            return self.enrollment.last_lesson
        return next((le for le in self.lessons if le.id not in self.done_lesson_ids),
                    self.lessons[0] if self.lessons else None)


def done_lesson_ids(enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(db.session.scalars(select(LessonProgress.lesson_id)
                                  .where(LessonProgress.enrollment_id == enrollment.id)))


def ready_video_minutes(course: Course) -> dict[int, int]:
    """Which lessons of the course have a ready video, and how long it runs."""
    rows = db.session.execute(
        select(LessonVideo.lesson_id, LessonVideo.duration_seconds)
        .join(Lesson, Lesson.id == LessonVideo.lesson_id)
        .where(Lesson.course_id == course.id, LessonVideo.status == VideoStatus.READY))
    return {lesson_id: max(1, round(float(seconds or 0) / 60)) for lesson_id, seconds in rows}


def view_course(course: Course, *, actor: User) -> CourseView:
    enrollment = find_enrollment(course, actor)
    prerequisites = list(course.prerequisites)
    completed = completed_course_codes(actor, [p.code for p in prerequisites]) \
        if prerequisites else set()
    return CourseView(
        course=course,
        lessons=list(course.lessons),
        done_lesson_ids=done_lesson_ids(enrollment),
        enrollment=enrollment,
        prerequisites=[(p, p.code in completed) for p in prerequisites],
        eligibility=check_eligibility(course, actor=actor, enrollment=enrollment),
        requirements=completion_requirements(enrollment) if enrollment else [],
        quizzes=course_quizzes(course),
        quiz_results=course_quiz_results(course, actor),
        may_read=enrollment is not None or may_preview(actor),
        video_minutes=ready_video_minutes(course),
    )


@dataclass(frozen=True)
class LessonView:
    course: Course
    lesson: Lesson
    lessons: list[Lesson]
    enrollment: Enrollment | None
    done_lesson_ids: set[int]
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.lesson.id in self.done_lesson_ids

    @property
    def previous(self) -> Lesson | None:
        index = self.lessons.index(self.lesson)
        return self.lessons[index - 1] if index > 0 else None

    @property
    def next(self) -> Lesson | None:
        index = self.lessons.index(self.lesson)
        return self.lessons[index + 1] if index + 1 < len(self.lessons) else None

    @property
    def percent(self) -> int:
        return progress_percent(self.requirements)

    @property
    def resume_moves_here(self) -> bool:
        """The page should report this lesson as the place to resume."""
        return self.enrollment is not None and self.enrollment.last_lesson_id != self.lesson.id


class NotEnrolled(NotFound):
    """A learner opened a lesson of a course they have not enrolled in."""


def open_lesson(course: Course, number: int, *, actor: User) -> LessonView:
    """The lesson to read. Reading writes nothing: the page itself reports the place to
    resume (learning.remember_lesson_opened) when it differs from the stored one."""
    lessons = list(course.lessons)
    lesson = next((le for le in lessons if le.number == number), None)
    if lesson is None:
        raise NotFound("lesson")
    enrollment = find_enrollment(course, actor)
    if enrollment is None and not may_preview(actor):
        raise NotEnrolled(course.code)
    return LessonView(course, lesson, lessons, enrollment, done_lesson_ids(enrollment),
                      completion_requirements(enrollment) if enrollment else [])
