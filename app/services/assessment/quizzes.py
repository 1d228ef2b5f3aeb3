"""Quizzes a cadre can take: lookup, availability and the course's quiz list."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.domain.assessment import QuizWindow, annual_tier_for_rank, start_refusal
from app.domain.vocabulary import AttemptState, QuizKind, RoleName
from app.extensions import db
from app.models import Attempt, Course, Enrollment, Quiz, QuizResult, User
from app.models.types import utcnow
from app.services.core.errors import NotFound
from app.services.learning.enrollment import find_course_for


def find_quiz_for(quiz_id: int, *, actor: User) -> Quiz:
    """A quiz the actor may see: of a course they may see, or an annual test."""

    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None:
        raise NotFound(str(quiz_id))
    if quiz.course is not None:
        find_course_for(quiz.course.code, actor=actor)  # raises NotFound for drafts
    return quiz


def is_enrolled_for(quiz: Quiz, user: User) -> bool:
    if quiz.kind is QuizKind.ANNUAL:  # each cadre takes the tier that fits their rank
        return user.has_role(RoleName.CADRE) and quiz.tier is not None \
            and quiz.tier.value == annual_tier_for_rank(user.rank.value)
    return db.session.scalar(select(Enrollment.id).where(
        Enrollment.user_id == user.id, Enrollment.course_id == quiz.course_id)) is not None


@dataclass(frozen=True)
class QuizStatus:
    quiz: Quiz
    attempts: list[Attempt]
    result: QuizResult | None
    refusal: str | None  # why a new attempt cannot start, None when it can

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.state is AttemptState.IN_PROGRESS), None)


def quiz_status(quiz: Quiz, *, actor: User) -> QuizStatus:
    attempts = list(db.session.scalars(select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.user_id == actor.id).order_by(Attempt.number)))
    result = db.session.scalar(select(QuizResult).where(
        QuizResult.quiz_id == quiz.id, QuizResult.user_id == actor.id))
    window = QuizWindow(quiz.opens_at, quiz.closes_at, quiz.max_attempts)
    refusal = start_refusal(window, now=utcnow(), attempts_used=len(attempts),
                            enrolled=is_enrolled_for(quiz, actor))
    if refusal is None and quiz.question_count == 0:  # e.g. an exercise still being written
        refusal = "not_ready"
    return QuizStatus(quiz, attempts, result, refusal)


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
