"""Attempts that lose nothing: start (snapshot), autosave, submit once, grade."""

import random
import secrets

from flask import current_app
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.assessment import (
    DrawRule,
    attempt_deadline,
    draw_questions,
    is_past_deadline,
    question_seeds,
)
from app.domain.grading import ResponseError, present_question, question_type
from app.domain.markdown import render_markdown
from app.domain.vocabulary import AttemptState, QuestionStatus, QuizKind
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Question, Quiz, TimeAccommodation, User
from app.models.types import utcnow
from app.services.assessment.grading import grade_attempt
from app.services.assessment.quizzes import quiz_status
from app.services.core.errors import NotFound, PermissionDenied, ServiceError
from app.services.exercises.tasks import (
    ExerciseUnavailable,
    build_exercise_snapshot,
    is_task,
    parse_task_answer,
)


class AttemptRefused(ServiceError):
    """The attempt cannot start or change; the message is a reason code."""


def grace_seconds() -> int:
    return current_app.config["ATTEMPT_GRACE_SECONDS"]


def find_attempt_for(attempt_id: int, *, actor: User) -> Attempt:
    """The actor's own attempt; anyone else's is reported as missing."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != actor.id:
        raise NotFound(str(attempt_id))
    return attempt


def start_attempt(quiz: Quiz, *, actor: User) -> Attempt:
    """Resume the open attempt, or start a new one with a snapshot of its questions."""
    status = quiz_status(quiz, actor=actor)
    if status.open_attempt is not None:
        return close_if_expired(status.open_attempt)
    if status.refusal is not None:
        raise AttemptRefused(status.refusal)
    seed = secrets.randbits(48)
    variant = None
    if quiz.kind is QuizKind.EXERCISE:
        try:
            snapshot, variant = build_exercise_snapshot(quiz, seed)
        except ExerciseUnavailable:
            raise AttemptRefused("exercise_unavailable") from None
    else:
        snapshot = build_snapshot(quiz, seed)
    now = utcnow()
    attempt = Attempt(
        quiz_id=quiz.id, user_id=actor.id, number=len(status.attempts) + 1, seed=seed,
        questions=snapshot, variant=variant, started_at=now,
        max_score=sum((q["points"] for q in snapshot), start=0),
        deadline_at=attempt_deadline(now, limit_minutes=quiz.time_limit_minutes,
                                     extra_percent=_extra_percent(actor),
                                     closes_at=quiz.closes_at))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # another tab started it a moment ago: use that one
        existing = quiz_status(quiz, actor=actor).open_attempt
        if existing is None:
            raise
        return existing
    return attempt


def _extra_percent(user: User) -> int:
    row = db.session.get(TimeAccommodation, user.id)
    return row.extra_percent if row else 0


def build_snapshot(quiz: Quiz, seed: int) -> list[dict]:
    """The questions exactly as this attempt shows them, keys included (never sent as-is)."""
    keys = list(quiz.question_keys) or _drawn_keys(quiz, seed)
    by_key = {q.key: q for q in db.session.scalars(select(Question).where(Question.key.in_(keys)))}
    missing = [k for k in keys if k not in by_key]
    if missing:
        raise AttemptRefused("questions_missing")
    if quiz.shuffle:
        random.Random(seed).shuffle(keys)
    return [_snapshot_question(by_key[key], item_seed)
            for key, item_seed in zip(keys, question_seeds(seed, len(keys)), strict=True)]


def _snapshot_question(question: Question, seed: int) -> dict:
    return {
        "key": question.key, "question_id": question.id, "version": question.version,
        "type": question.type, "area": question.area.value, "difficulty": question.difficulty,
        "points": float(question.points), "prompt_html": render_markdown(question.prompt),
        "explanation_html": render_markdown(question.explanation or ""),
        "spec": question.spec, "display": present_question(question.type, question.spec, seed),
    }


def _drawn_keys(quiz: Quiz, seed: int) -> list[str]:
    rules = [DrawRule(r["bank"], r["area"], r.get("difficulty"), r["count"])
             for r in quiz.draw_rules]
    pool: dict[tuple[str, str, int], list[str]] = {}
    rows = db.session.execute(select(Question.key, Question.course_id, Question.area,
                                     Question.difficulty)
                              .where(Question.status == QuestionStatus.ACTIVE,
                                     Question.type != "essay"))
    for key, course_id, area, difficulty in rows:
        if course_id is None:
            bank = "shared"
        elif course_id == quiz.course_id:
            bank = "course"
        else:
            continue
        pool.setdefault((bank, area.value, difficulty), []).append(key)
    try:
        return draw_questions(rules, pool, random.Random(seed))
    except ValueError:
        raise AttemptRefused("not_enough_questions") from None


def close_if_expired(attempt: Attempt) -> Attempt:
    """An open attempt past its deadline is submitted with what was saved in time."""
    if attempt.state is AttemptState.IN_PROGRESS and is_past_deadline(
            attempt.deadline_at, utcnow(), grace_seconds()):
        submit_attempt(attempt, actor=attempt.user)
    return attempt


def save_answer(attempt: Attempt, position: int, raw: dict[str, list[str]], *, client_seq: int,
                actor: User) -> bool:
    """Store one answer; returns False when a newer save is already stored (stale autosave)."""
    _ensure_open(attempt, actor)
    return _store_response(attempt, position, parse_answer(attempt, position, raw),
                           client_seq, utcnow())


def save_answers(attempt: Attempt, raws: dict[int, dict[str, list[str]]], *, client_seq: int,
                 actor: User) -> dict[int, ResponseError]:
    """Store a whole form's answers (the no-script save and submit) in a few statements
    whatever the number of questions; returns the refused ones by position.

    The rules are save_answer's: a stored answer with a newer or equal save counter stays.
    """
    _ensure_open(attempt, actor)
    responses, problems = {}, {}
    for position, raw in raws.items():
        try:
            responses[position] = parse_answer(attempt, position, raw)
        except ResponseError as error:
            problems[position] = error
    if responses:
        _store_responses(attempt, responses, client_seq, utcnow())
    return problems


def parse_answer(attempt: Attempt, position: int, raw: dict[str, list[str]]):
    """The stored form of a raw answer to one item of the attempt (ResponseError if bad)."""
    if not 0 <= position < len(attempt.questions):
        raise ResponseError("not_in_attempt", "this question is not part of the attempt")
    item = attempt.questions[position]
    if is_task(item):
        return parse_task_answer(item, raw)
    return question_type(item["type"]).parse(item["spec"], item["display"], raw)


def _store_response(attempt: Attempt, position: int, response, client_seq: int, now) -> bool:
    changed = db.session.execute(
        update(AttemptAnswer)
        .where(AttemptAnswer.attempt_id == attempt.id, AttemptAnswer.position == position,
               AttemptAnswer.client_seq < client_seq)
        .values(response=response, client_seq=client_seq, saved_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if changed:
        return True
    try:
        with db.session.begin_nested():
            db.session.execute(insert(AttemptAnswer).values(
                attempt_id=attempt.id, position=position, response=response,
                client_seq=client_seq, saved_at=now))
    except IntegrityError:
        return False  # a row exists with a newer or equal save
    return True


_ANSWERS = AttemptAnswer.__table__


def _store_responses(attempt: Attempt, responses: dict, client_seq: int, now) -> None:
    """One read of the stored counters, one UPDATE for many rows, one INSERT for the rest."""
    stored = {position: seq for position, seq in db.session.execute(
        select(AttemptAnswer.position, AttemptAnswer.client_seq).where(
            AttemptAnswer.attempt_id == attempt.id,
            AttemptAnswer.position.in_(list(responses))))}
    newer = [{"at": position, "older_than": client_seq, "response": response,
              "client_seq": client_seq, "saved_at": now}
             for position, response in responses.items()
             if position in stored and stored[position] < client_seq]
    if newer:  # the counter is compared again in the UPDATE: an autosave may land meanwhile
        db.session.execute(
            update(_ANSWERS).where(_ANSWERS.c.attempt_id == attempt.id,
                                   _ANSWERS.c.position == bindparam("at"),
                                   _ANSWERS.c.client_seq < bindparam("older_than"))
            .values(response=bindparam("response"), client_seq=bindparam("client_seq"),
                    saved_at=bindparam("saved_at")), newer)
    missing = [position for position in responses if position not in stored]
    if not missing:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(insert(_ANSWERS), [
                {"attempt_id": attempt.id, "position": position, "response": responses[position],
                 "client_seq": client_seq, "saved_at": now} for position in missing])
    except IntegrityError:  # an autosave inserted one of them meanwhile: one at a time
        for position in missing:
            _store_response(attempt, position, responses[position], client_seq, now)


def _ensure_open(attempt: Attempt, actor: User) -> None:
    if attempt.user_id != actor.id:
        raise PermissionDenied("not your attempt")
    if attempt.state is not AttemptState.IN_PROGRESS:
        raise AttemptRefused("closed")
    if is_past_deadline(attempt.deadline_at, utcnow(), grace_seconds()):
        raise AttemptRefused("time_up")


def submit_attempt(attempt: Attempt, *, actor: User) -> bool:
    """Close the attempt and grade it; True only for the one call that actually closed it.

    The state change is a compare-and-set in the database, so twenty concurrent
    submits (or a double click) produce exactly one grading.
    """
    if attempt.user_id != actor.id:
        raise PermissionDenied("not your attempt")
    now = utcnow()
    closed = db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id,
                              Attempt.state == AttemptState.IN_PROGRESS)
        .values(state=AttemptState.SUBMITTED, submitted_at=now)
        .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(attempt, ["state", "submitted_at"])  # not the snapshot again
    if closed != 1:
        return False
    grade_attempt(attempt)
    return True
