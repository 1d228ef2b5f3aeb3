"""Grading: a submitted attempt (automatically), essays (by trainers: the queue and one
grade), the standing quiz result, and the link to course completion."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from app.domain.assessment import attempt_total, is_past_deadline, percent_of, standing_percent
from app.domain.grading import grade_response_exactly, question_type
from app.domain.grading.base import CENT
from app.domain.vocabulary import AttemptState
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Enrollment, Quiz, QuizResult, User
from app.models.types import utcnow
from app.services.certificates.revoking import withdraw_completion_for_quiz
from app.services.core.access import ensure_teaches_quiz, taught_course_condition
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.exercises.hints import hints_opened
from app.services.exercises.tasks import grade_task_item, is_task
from app.services.learning.enrollment import complete_course_if_done


def _answers_in_time(attempt: Attempt, grace: int) -> dict[int, AttemptAnswer]:
    """Saved answers by position; anything saved after the deadline does not count."""
    answers = db.session.scalars(select(AttemptAnswer)
                                 .where(AttemptAnswer.attempt_id == attempt.id))
    return {a.position: a for a in answers
            if not is_past_deadline(attempt.deadline_at, a.saved_at, grace)}


def grade_attempt(attempt: Attempt, *, grace: int | None = None) -> None:
    """Score every auto-gradable answer in one pass; essays wait for a trainer."""
    grace = current_app.config["ATTEMPT_GRACE_SECONDS"] if grace is None else grace
    answers = _answers_in_time(attempt, grace)
    opened = hints_opened(attempt) if any(is_task(item) for item in attempt.questions) else {}
    updates, inserts, pending = [], [], False
    for position, item in enumerate(attempt.questions):
        if item.get("dropped"):
            continue
        answer = answers.get(position)
        response = answer.response if answer else None
        detail = None
        if is_task(item):
            points, detail = grade_task_item(attempt, item, response, opened.get(position, ()))
        else:
            points = grade_response_exactly(item["type"], item["spec"], item["display"],
                                            response, Decimal(str(item["points"])))
        if points is None:
            pending = True
        graded = {**answer_points(points), "area": item["area"], "question_key": item["key"],
                  "max_points": Decimal(str(item["points"])), "detail": detail}
        if answer is None:  # unanswered (or saved too late): recorded as 0, for mastery too
            inserts.append({"attempt_id": attempt.id, "position": position, "response": None,
                            "client_seq": 0, "saved_at": utcnow(), **graded})
        elif answer.graded_by_id is None:
            updates.append({"id": answer.id, **graded})
    if updates:
        db.session.execute(update(AttemptAnswer), updates)
    if inserts:
        _record_unanswered(attempt, inserts)
    db.session.expire(attempt, ["answers"])
    if not pending:
        finalize_attempt(attempt)


def _record_unanswered(attempt: Attempt, rows: list[dict]) -> None:
    """Insert the missing answers; a late answer saved after the deadline is overwritten."""
    late = {row["position"] for row in rows}
    existing = db.session.scalars(select(AttemptAnswer).where(
        AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position.in_(late)))
    by_position = {a.position: a for a in existing}
    for row in rows:
        answer = by_position.get(row["position"])
        if answer is None:
            db.session.add(AttemptAnswer(**row))
        else:
            for key in ("response", "points", "exact_points", "area", "max_points",
                        "question_key", "detail"):
                setattr(answer, key, row[key])
    db.session.flush()


def answer_points(exact: Decimal | None) -> dict:
    """An answer's stored points: in cents (shown per question) and unrounded (totalled)."""
    if exact is None:
        return {"points": None, "exact_points": None}
    return {"points": exact.quantize(CENT, rounding=ROUND_HALF_UP), "exact_points": exact}


def finalize_attempt(attempt: Attempt, *, regraded_by: User | None = None) -> None:
    """Total the points, decide pass or fail, and update the standing result.

    ``regraded_by``: the trainer whose decision changed an already graded attempt (see
    refresh_quiz_result)."""
    points = {position: exact if exact is not None else rounded
              for position, rounded, exact in db.session.execute(
                  select(AttemptAnswer.position, AttemptAnswer.points,
                         AttemptAnswer.exact_points)
                  .where(AttemptAnswer.attempt_id == attempt.id))}
    counted = [i for i, item in enumerate(attempt.questions) if not item.get("dropped")]
    attempt.score = attempt_total([points.get(i) for i in counted])
    attempt.max_score = sum((Decimal(str(attempt.questions[i]["points"])) for i in counted),
                            Decimal(0))
    attempt.percent = percent_of(attempt.score, Decimal(attempt.max_score))
    attempt.passed = attempt.percent >= attempt.quiz.pass_mark
    attempt.state = AttemptState.GRADED
    attempt.graded_at = utcnow()
    db.session.flush()
    refresh_quiz_result(attempt.quiz, attempt.user_id, regraded_by=regraded_by)


def needs_manual_grading(attempt: Attempt) -> bool:
    return any(not is_task(item) and question_type(item["type"]).manual
               for item in attempt.questions)


def refresh_quiz_result(quiz: Quiz, user_id: int, *,
                        regraded_by: User | None = None) -> QuizResult | None:
    """Recompute the cadre's result under the quiz's grading method; feed course completion.

    After a regrade (``regraded_by``: the acting trainer), a graded quiz whose standing result
    fell below its pass mark, or disappeared, makes the course's completion untrue: it is
    taken back with its hours and certificates (app.services.certificates.revoking). A
    cadre's own later attempt never takes a completion back."""
    percents = list(db.session.scalars(
        select(Attempt.percent).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id,
                                      Attempt.state == AttemptState.GRADED)
        .order_by(Attempt.number)))
    standing = standing_percent(quiz.grading_method, percents)
    result = db.session.scalar(select(QuizResult).where(
        QuizResult.quiz_id == quiz.id, QuizResult.user_id == user_id))
    if standing is None:
        if result is not None:
            db.session.delete(result)
            _withdraw_completion(quiz, user_id, regraded_by)
        return None
    if result is None:
        result = QuizResult(quiz_id=quiz.id, user_id=user_id, percent=standing, passed=False,
                            attempts=0)
        db.session.add(result)
    result.percent = standing
    result.passed = standing >= quiz.pass_mark
    result.attempts = len(percents)
    result.updated_at = utcnow()
    db.session.flush()
    if quiz.course_id is not None and quiz.graded and result.passed:  # quizzes and exercises
        _complete_course(quiz, user_id)
    elif not result.passed:
        _withdraw_completion(quiz, user_id, regraded_by)
    return result


def _withdraw_completion(quiz: Quiz, user_id: int, regraded_by: User | None) -> None:
    if regraded_by is None or quiz.course_id is None or not quiz.graded:
        return
    db.session.flush()
    withdraw_completion_for_quiz(quiz.course_id, user_id, actor=regraded_by)


def _complete_course(quiz: Quiz, user_id: int) -> None:
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.course_id == quiz.course_id, Enrollment.user_id == user_id))
    if enrollment is not None:
        complete_course_if_done(enrollment)


# Essay grading by trainers: the queue and one grade.

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
    if not value.is_finite():  # NaN or infinity: no comparison may touch it
        raise ServiceError("points_not_a_number")
    maximum = Decimal(str(item["points"]))
    if not Decimal(0) <= value <= maximum or value != value.quantize(Decimal("0.01")):
        raise ServiceError("points_out_of_range")
    if len(feedback) > MAX_FEEDBACK_CHARS:
        raise ServiceError("feedback_too_long")
    answer.points, answer.exact_points = value, None  # a trainer's grade is exact
    answer.feedback = feedback.strip() or None
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
