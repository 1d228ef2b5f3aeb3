"""Essay grading by trainers: the queue and one grade."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.domain.vocabulary import AttemptState
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Quiz, User
from app.models.types import utcnow
from app.services import ServiceError
from app.services.attempt_grading import finalize_attempt
from app.services.audit import record_event
from app.services.teaching import ensure_teaches_quiz, taught_course_condition

MAX_FEEDBACK_CHARS = 4000


@dataclass(frozen=True)
class EssayToGrade:
    answer: AttemptAnswer
    attempt: Attempt
    item: dict


def list_essays_to_grade(*, actor: User) -> list[EssayToGrade]:
    """Ungraded essay answers of submitted attempts in the actor's courses, oldest first."""
    rows = db.session.scalars(
        select(AttemptAnswer).join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.state == AttemptState.SUBMITTED, AttemptAnswer.points.is_(None),
               AttemptAnswer.graded_by_id.is_(None),
               taught_course_condition(actor, Quiz.course_id) | Quiz.course_id.is_(None))
        .options(contains_eager(AttemptAnswer.attempt))
        .order_by(Attempt.submitted_at, AttemptAnswer.position))
    return [EssayToGrade(a, a.attempt, a.attempt.questions[a.position]) for a in rows
            if a.attempt.questions[a.position]["type"] == "essay"]


def grade_essay(answer: AttemptAnswer, *, points: str, feedback: str, actor: User) -> None:
    """Give points (0..max) with feedback; the attempt is finalised when nothing is pending."""
    attempt = answer.attempt
    ensure_teaches_quiz(actor, attempt.quiz)
    item = attempt.questions[answer.position]
    if item["type"] != "essay" or attempt.state is AttemptState.IN_PROGRESS:
        raise ServiceError("not_an_essay_to_grade")
    try:
        value = Decimal(points.strip())
    except (InvalidOperation, AttributeError):
        raise ServiceError("points_not_a_number") from None
    maximum = Decimal(str(item["points"]))
    if not Decimal(0) <= value <= maximum or value != value.quantize(Decimal("0.01")):
        raise ServiceError("points_out_of_range")
    if len(feedback) > MAX_FEEDBACK_CHARS:
        raise ServiceError("feedback_too_long")
    answer.points, answer.feedback = value, feedback.strip() or None
    answer.graded_by_id, answer.graded_at = actor.id, utcnow()
    answer.area, answer.max_points, answer.question_key = item["area"], maximum, item["key"]
    db.session.flush()
    record_event("assessment.essay_graded", actor=actor, target=f"attempt:{attempt.id}",
                 details={"position": answer.position, "points": str(value)})
    if attempt.state is AttemptState.SUBMITTED and not _pending(attempt):
        finalize_attempt(attempt)


def _pending(attempt: Attempt) -> bool:
    answers = {a.position: a for a in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    return any(item["type"] == "essay" and not item.get("dropped")
               and (a := answers.get(i)) is not None and a.response and a.points is None
               for i, item in enumerate(attempt.questions))
