"""Integrity of exercise answers: a wrong answer that is another cadre's right one.

Every cadre's data differs, so an answer that misses one's own expected value but
equals a classmate's is evidence that it was copied from them. One such match can be
chance (two cadres' counts may be close); several tasks matching the same classmate
rarely are. The page only shows the evidence: nobody is penalized automatically.
"""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.exercise_tasks import check_task
from app.domain.grading.normalize import normalize_text
from app.domain.vocabulary import AttemptState, QuizKind
from app.extensions import db
from app.models import Attempt, AttemptAnswer, Course, Quiz, User
from app.services.core.access import ensure_teaches_course

#: Task types whose answers are values that can be compared with another variant's.
COMPARABLE = ("numeric", "choice", "rows")
#: Matches with the same classmate from which a pair counts as strong evidence.
STRONG = 2


@dataclass
class TaskMatch:
    quiz: Quiz
    task_id: str
    answer: object
    own_expected: object
    other_expected: object


@dataclass
class CopyEvidence:
    """Answers of `cadre` that are right on `source`'s variant and wrong on their own."""

    cadre: User
    source: User
    matches: list[TaskMatch] = field(default_factory=list)

    @property
    def strong(self) -> bool:
        return len(self.matches) >= STRONG


@dataclass(frozen=True)
class _Expected:
    attempt: Attempt
    value: object


def find_copy_evidence(course: Course, *, actor: User) -> list[CopyEvidence]:
    """Pairs (cadre, classmate) with their matching tasks, strongest evidence first."""
    ensure_teaches_course(actor, course)
    quizzes = list(db.session.scalars(select(Quiz).where(
        Quiz.course_id == course.id, Quiz.kind == QuizKind.EXERCISE).order_by(Quiz.code)))
    pairs: dict[tuple[int, int], CopyEvidence] = {}
    for quiz in quizzes:
        _scan_quiz(quiz, pairs)
    return sorted(pairs.values(), key=lambda e: (-len(e.matches), e.cadre.username,
                                                 e.source.username))


def _scan_quiz(quiz: Quiz, pairs: dict[tuple[int, int], CopyEvidence]) -> None:
    attempts = list(db.session.scalars(
        select(Attempt).options(joinedload(Attempt.user))
        .where(Attempt.quiz_id == quiz.id,
               Attempt.state.in_((AttemptState.SUBMITTED, AttemptState.GRADED)))))
    if len(attempts) < 2:
        return
    by_id = {attempt.id: attempt for attempt in attempts}
    indexes: dict[str, _Index] = {}
    for (attempt_id, position), response in _wrong_answers(list(by_id)).items():
        attempt = by_id[attempt_id]
        own = attempt.questions[position]
        if own.get("family") != "task" or own["type"] not in COMPARABLE:
            continue
        if own["key"] not in indexes:
            indexes[own["key"]] = _Index(own["type"], [
                _Expected(a, _expected_at(a, own["key"])) for a in attempts])
        for other in indexes[own["key"]].candidates(response, own["spec"]):
            if other.attempt.user_id == attempt.user_id or other.value is None:
                continue
            if check_task(own["type"], own["spec"], other.value, response, 1) == 1:
                _add(pairs, attempt, other, TaskMatch(quiz, own["task_id"], response,
                                                      own["expected"], other.value))


def _expected_at(attempt: Attempt, key: str):
    return next((item["expected"] for item in attempt.questions if item.get("key") == key), None)


def _wrong_answers(attempt_ids: list[int]) -> dict[tuple[int, int], object]:
    """(attempt, position) -> response of every answer that did not earn full points."""
    rows = db.session.execute(
        select(AttemptAnswer.attempt_id, AttemptAnswer.position, AttemptAnswer.response)
        .where(AttemptAnswer.attempt_id.in_(attempt_ids),
               AttemptAnswer.response.is_not(None),
               AttemptAnswer.points < AttemptAnswer.max_points))
    return {(attempt_id, position): response for attempt_id, position, response in rows
            if response not in (None, "", [])}


def _add(pairs, attempt: Attempt, other: _Expected, match: TaskMatch) -> None:
    key = (attempt.user_id, other.attempt.user_id)
    evidence = pairs.setdefault(key, CopyEvidence(attempt.user, other.attempt.user))
    if all(m.quiz.id != match.quiz.id or m.task_id != match.task_id for m in evidence.matches):
        evidence.matches.append(match)


class _Index:
    """Other cadres' expected values of one task, looked up by an answer."""

    def __init__(self, kind: str, expected: list[_Expected]):
        self.kind = kind
        self.exact: dict[object, list[_Expected]] = defaultdict(list)
        self.numbers: list[tuple[float, int]] = []
        self.items = expected
        for i, entry in enumerate(expected):
            if entry.value is None:
                continue
            if kind == "numeric":
                self.numbers.append((float(entry.value), i))
            else:
                self.exact[self._key(entry.value)].append(entry)
        self.numbers.sort()

    def _key(self, value):
        if self.kind == "rows":
            return tuple(sorted(str(v) for v in value))
        return normalize_text(str(value))

    def candidates(self, response, spec: dict) -> list[_Expected]:
        if self.kind != "numeric":
            return self.exact.get(self._key(response), [])
        answer = float(response)
        slack = max(spec.get("tolerance") or 0.0,
                    abs(answer) * (spec.get("tolerance_percent") or 0.0) / 50) + 1e-9
        low = bisect.bisect_left(self.numbers, (answer - slack, -1))
        high = bisect.bisect_right(self.numbers, (answer + slack, len(self.items)))
        return [self.items[i] for _value, i in self.numbers[low:high]]
