"""A course's quizzes and a cadre's standing on them: what the course page needs to know
about assessment (which sits above learning and grades); completion reads its counts in
learning.progress."""

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Quiz, QuizResult, User


def course_quizzes(course: Course) -> list[Quiz]:
    return list(db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)
                                   .order_by(Quiz.code)))


def course_quiz_results(course: Course, user: User) -> dict[int, QuizResult]:
    rows = db.session.scalars(select(QuizResult).join(Quiz, Quiz.id == QuizResult.quiz_id)
                              .where(Quiz.course_id == course.id, QuizResult.user_id == user.id))
    return {r.quiz_id: r for r in rows}
