"""A course's quizzes and a cadre's standing on them: what the course page and course
completion need to know about assessment (which sits above learning and grades)."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Quiz, QuizResult, User


def course_quizzes(course: Course) -> list[Quiz]:
    return list(db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)
                                   .order_by(Quiz.code)))


def course_quiz_results(course: Course, user: User) -> dict[int, QuizResult]:
    rows = db.session.scalars(select(QuizResult).join(Quiz, Quiz.id == QuizResult.quiz_id)
                              .where(Quiz.course_id == course.id, QuizResult.user_id == user.id))
    return {r.quiz_id: r for r in rows}


def graded_quiz_progress(course_id: int, user_id: int) -> tuple[int, int]:
    """(graded quizzes passed, graded quizzes) of a course: the assessment part of completion."""
    total = db.session.scalar(select(func.count(Quiz.id)).where(
        Quiz.course_id == course_id, Quiz.graded.is_(True)))
    if not total:
        return 0, 0
    passed = db.session.scalar(
        select(func.count(QuizResult.id)).join(Quiz, Quiz.id == QuizResult.quiz_id)
        .where(Quiz.course_id == course_id, Quiz.graded.is_(True),
               QuizResult.user_id == user_id, QuizResult.passed.is_(True)))
    return passed, total
