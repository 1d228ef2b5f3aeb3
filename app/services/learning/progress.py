"""What a cadre still has to do in each enrolled course, read with the enrollments.

Every page that shows a course's progress asks for these columns next to the enrollment
rows it already reads (one query for any number of enrollments), and turns them into the
requirements of app.domain.completion: lessons done, graded quizzes passed, graded data
exercises passed. The course page, the lesson reader, the catalog and the home page all
show `progress_percent` of the same requirements.
"""

from sqlalchemy import func, select

from app.domain.completion import Requirement
from app.domain.vocabulary import QuizKind
from app.extensions import db
from app.models import Enrollment, Lesson, LessonProgress, Quiz, QuizResult


def _graded(kind_is_exercise: bool):
    kind = Quiz.kind == QuizKind.EXERCISE if kind_is_exercise else Quiz.kind != QuizKind.EXERCISE
    return (Quiz.course_id == Enrollment.course_id) & Quiz.graded.is_(True) & kind


def _graded_counts(kind_is_exercise: bool) -> tuple:
    total = select(func.count(Quiz.id)).where(_graded(kind_is_exercise))
    passed = (select(func.count(QuizResult.id)).join(Quiz, Quiz.id == QuizResult.quiz_id)
              .where(_graded(kind_is_exercise), QuizResult.user_id == Enrollment.user_id,
                     QuizResult.passed.is_(True)))
    return (passed.correlate(Enrollment).scalar_subquery(),
            total.correlate(Enrollment).scalar_subquery())


def requirement_columns() -> tuple:
    """Six counts per Enrollment row of the enclosing query, for `requirements_from`."""
    lessons = select(func.count(Lesson.id)).where(Lesson.course_id == Enrollment.course_id)
    done = (select(func.count(LessonProgress.id))
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.enrollment_id == Enrollment.id,
                   Lesson.course_id == Enrollment.course_id))
    return (done.correlate(Enrollment).scalar_subquery(),
            lessons.correlate(Enrollment).scalar_subquery(),
            *_graded_counts(False), *_graded_counts(True))


def requirements_from(counts) -> list[Requirement]:
    """The requirements from the six values `requirement_columns` read."""
    lessons_done, lessons, quizzes_passed, quizzes, exercises_passed, exercises = \
        (int(value or 0) for value in counts)
    return [Requirement("lessons", lessons_done, lessons),
            Requirement("quizzes", quizzes_passed, quizzes),
            Requirement("exercises", exercises_passed, exercises)]


def enrollment_requirements(enrollment: Enrollment) -> list[Requirement]:
    """What completing this enrollment's course asks for, and how much of it is done."""
    return requirements_from(db.session.execute(
        select(*requirement_columns()).where(Enrollment.id == enrollment.id)).one())
