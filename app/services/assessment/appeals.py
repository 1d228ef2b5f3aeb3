"""Appeals (容错纠错): a cadre contests one question; the trainer upholds or rejects.

Upholding regrades deterministically from the attempt snapshots: accept this
cadre's answer, drop the question for everyone who took it, or correct its key
for everyone who took that version. Every affected attempt, standing result and
course completion is recomputed and the old and new scores are audited. Accepting the
answer to an exercise task gives its points less the cost of the hints the cadre opened:
the hints were used whatever the grading said.
A regrade that drops a standing result below its pass mark takes the course's
completion back, with its hours (unless the year is closed) and its certificates.
"""

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, update

from app.domain.assessment import review_level
from app.domain.grading import grade_response_exactly, validate_spec
from app.domain.grading.base import CENT
from app.domain.vocabulary import AppealRemedy, AppealStatus, AttemptState, ReviewPolicy
from app.extensions import db
from app.models import Appeal, Attempt, AttemptAnswer, Quiz, User
from app.models.types import utcnow
from app.services.assessment.grading import answer_points, finalize_attempt
from app.services.core.access import ensure_teaches_quiz, taught_course_condition
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.exercises.hints import hints_used
from app.services.exercises.tasks import is_task

MAX_REASON_CHARS = 2000


def may_appeal(attempt: Attempt, level: ReviewPolicy) -> bool:
    return attempt.state is AttemptState.GRADED and level is not ReviewPolicy.SCORE_ONLY


def appeals_by_position(attempt: Attempt) -> dict[int, Appeal]:
    return {a.position: a for a in db.session.scalars(
        select(Appeal).where(Appeal.attempt_id == attempt.id))}


def file_appeal(attempt: Attempt, position: int, reason: str, *, actor: User) -> Appeal:
    if attempt.user_id != actor.id:
        raise PermissionDenied("not your attempt")
    if attempt.state is not AttemptState.GRADED:
        raise ServiceError("not_reviewed")
    level = review_level(attempt.quiz.review, attempt.quiz.review_after,
                         closes_at=attempt.quiz.closes_at, now=utcnow())
    if not may_appeal(attempt, level):
        raise ServiceError("not_reviewed")
    if not 0 <= position < len(attempt.questions):
        raise ServiceError("no_such_question")
    if _has_full_marks(attempt, position):
        raise ServiceError("full_marks")
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise ServiceError("reason_length")
    if db.session.scalar(select(Appeal.id).where(Appeal.attempt_id == attempt.id,
                                                 Appeal.position == position)):
        raise ServiceError("already_appealed")
    appeal = Appeal(attempt_id=attempt.id, position=position, user_id=actor.id, reason=reason)
    db.session.add(appeal)
    db.session.flush()
    record_event("assessment.appeal_filed", actor=actor, target=f"attempt:{attempt.id}",
                 details={"position": position})
    return appeal


def _has_full_marks(attempt: Attempt, position: int) -> bool:
    """Nothing to appeal: the answer already earned every point of the question (of a task,
    every point its opened hints left)."""
    answer = db.session.scalar(select(AttemptAnswer).where(
        AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position == position))
    points = Decimal(str(attempt.questions[position].get("points", 0)))
    attainable = _full_points(attempt, position)
    return answer is not None and answer.points is not None and points > 0 \
        and answer.points >= attainable.quantize(CENT, rounding=ROUND_HALF_UP)


def _full_points(attempt: Attempt, position: int) -> Decimal:
    """What accepting the answer gives: the points, less the cost of the hints opened for a
    task (the cadre used them whatever the grading said)."""
    points = Decimal(str(attempt.questions[position]["points"]))
    used = hints_used(attempt).get(position)
    return used.attainable(points) if used else points


def list_open_appeals(*, actor: User) -> list[Appeal]:

    return list(db.session.scalars(
        select(Appeal).join(Attempt, Attempt.id == Appeal.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Appeal.status == AppealStatus.OPEN,
               taught_course_condition(actor, Quiz.course_id) | Quiz.course_id.is_(None))
        .order_by(Appeal.created_at)))


def reject_appeal(appeal: Appeal, response: str, *, actor: User) -> None:
    _decide(appeal, AppealStatus.REJECTED, None, response, actor)
    record_event("assessment.appeal_rejected", actor=actor, target=f"appeal:{appeal.id}")


def uphold_appeal(appeal: Appeal, remedy: AppealRemedy, response: str, *, actor: User,
                  new_spec: dict | None = None) -> list[tuple[int, str, str]]:
    """Regrade as the remedy says; returns (attempt id, old score, new score) per attempt."""
    item = appeal.attempt.questions[appeal.position]
    if remedy is AppealRemedy.CHANGE_KEY and is_task(item):
        # A task's expected answer is computed per cadre from the data: correct the
        # exercise file instead, or accept this answer or drop the task.
        raise ServiceError("no_key_for_tasks")
    if remedy is AppealRemedy.CHANGE_KEY:
        problems = validate_spec(item["type"], new_spec or {})
        if new_spec is None or problems:
            raise ServiceError("invalid_key:" + "; ".join(problems))
    _decide(appeal, AppealStatus.UPHELD, remedy, response, actor)
    if remedy is AppealRemedy.ACCEPT_ANSWER:
        affected = [appeal.attempt]
        _award_full_points(appeal, actor)
    else:
        affected = _attempts_with(appeal.attempt.quiz_id, item["key"], item["version"])
        for attempt in affected:
            _apply_to_snapshot(attempt, item["key"], remedy, new_spec)
    changes = [_regrade(attempt, actor) for attempt in affected]
    record_event("assessment.appeal_upheld", actor=actor, target=f"appeal:{appeal.id}",
                 details={"remedy": remedy.value, "changes": changes})
    return changes


def _decide(appeal, status, remedy, response, actor) -> None:
    ensure_teaches_quiz(actor, appeal.attempt.quiz)
    if appeal.status is not AppealStatus.OPEN:
        raise ServiceError("already_decided")
    if not response.strip():
        raise ServiceError("response_required")
    appeal.status, appeal.remedy, appeal.response = status, remedy, response.strip()
    appeal.decided_by_id, appeal.decided_at = actor.id, utcnow()


def _award_full_points(appeal: Appeal, actor: User) -> None:
    answer = db.session.scalar(select(AttemptAnswer).where(
        AttemptAnswer.attempt_id == appeal.attempt_id, AttemptAnswer.position == appeal.position))
    if answer is None:
        answer = AttemptAnswer(attempt_id=appeal.attempt_id, position=appeal.position,
                               response=None)
        db.session.add(answer)
    answer.points, answer.exact_points = answer_points(
        _full_points(appeal.attempt, appeal.position)).values()
    answer.graded_by_id, answer.graded_at = actor.id, utcnow()
    db.session.flush()


def _attempts_with(quiz_id: int, key: str, version: int) -> list[Attempt]:
    """Graded attempts of the quiz that showed this version of the question."""
    attempts = db.session.scalars(select(Attempt).where(
        Attempt.quiz_id == quiz_id, Attempt.state == AttemptState.GRADED).order_by(Attempt.id))
    return [a for a in attempts
            if any(q["key"] == key and q["version"] == version for q in a.questions)]


def _apply_to_snapshot(attempt: Attempt, key: str, remedy: AppealRemedy, new_spec) -> None:
    questions = [dict(q) for q in attempt.questions]
    for position, item in enumerate(questions):
        if item["key"] != key:
            continue
        if remedy is AppealRemedy.DROP_QUESTION:
            item["dropped"] = True
            db.session.execute(update(AttemptAnswer).where(
                AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position == position)
                .values(max_points=None).execution_options(synchronize_session=False))
        else:
            item["spec"] = new_spec
            _rescore(attempt, position, item)
    attempt.questions = questions  # reassign: JSON columns track replacement, not mutation


def _rescore(attempt: Attempt, position: int, item: dict) -> None:
    answer = db.session.scalar(select(AttemptAnswer).where(
        AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position == position))
    if answer is not None and answer.graded_by_id is None:
        exact = grade_response_exactly(item["type"], item["spec"], item["display"],
                                       answer.response, Decimal(str(item["points"])))
        answer.points, answer.exact_points = answer_points(exact).values()


def _regrade(attempt: Attempt, actor: User) -> tuple[int, str, str]:
    old = str(attempt.score)
    db.session.flush()
    finalize_attempt(attempt, regraded_by=actor)
    return attempt.id, old, str(attempt.score)
