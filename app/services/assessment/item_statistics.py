"""Item statistics of a quiz: facility, discrimination, option frequencies, flagged items.

Facility is the mean share of the points earned; discrimination is the facility in the
top 27 % of attempts minus that in the bottom 27 % (Kelley's groups). An item is
flagged when most high scorers miss it, or when it discriminates the wrong way. For an
exercise, each task also shows the share of its graded answers whose cadre opened a hint.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, case, func, select

from app.domain.vocabulary import AttemptState, QuizKind
from app.extensions import db
from app.models import Attempt, AttemptAnswer, AttemptHint, Question, Quiz, User
from app.services.core.access import ensure_teaches_quiz

GROUP_SHARE = 0.27
FLAG_UPPER_FACILITY = Decimal("0.5")


@dataclass(frozen=True)
class ItemStat:
    key: str
    responses: int
    facility: Decimal
    upper: Decimal | None
    lower: Decimal | None
    options: list[tuple[str, int]] = field(default_factory=list)
    #: An exercise task's share of answers given with at least one hint opened (else None).
    hinted: Decimal | None = None

    @property
    def discrimination(self) -> Decimal | None:
        if self.upper is None or self.lower is None:
            return None
        return self.upper - self.lower

    @property
    def flagged(self) -> bool:
        return (self.upper is not None and self.upper < FLAG_UPPER_FACILITY) or (
            self.discrimination is not None and self.discrimination < 0)


def _cutoffs(quiz: Quiz) -> tuple[Decimal | None, Decimal | None, int]:
    percents = list(db.session.scalars(
        select(Attempt.percent).where(Attempt.quiz_id == quiz.id,
                                      Attempt.state == AttemptState.GRADED)
        .order_by(Attempt.percent.desc())))
    if len(percents) < 4:  # too few attempts for meaningful groups
        return None, None, len(percents)
    size = max(1, math.ceil(len(percents) * GROUP_SHARE))
    return percents[size - 1], percents[-size], len(percents)


def quiz_item_statistics(quiz: Quiz, *, actor: User) -> tuple[list[ItemStat], int]:
    ensure_teaches_quiz(actor, quiz)
    upper_cut, lower_cut, attempts = _cutoffs(quiz)
    share = AttemptAnswer.points / AttemptAnswer.max_points
    columns = [AttemptAnswer.question_key, func.count(AttemptAnswer.id), func.avg(share)]
    if upper_cut is not None:
        columns += [func.avg(case((Attempt.percent >= upper_cut, share))),
                    func.avg(case((Attempt.percent <= lower_cut, share)))]
    rows = db.session.execute(
        select(*columns).join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.GRADED,
               AttemptAnswer.max_points > 0, AttemptAnswer.points.is_not(None))
        .group_by(AttemptAnswer.question_key).order_by(AttemptAnswer.question_key))
    frequencies = _option_frequencies(quiz)
    hinted = _hinted_answers(quiz) if quiz.kind is QuizKind.EXERCISE else None
    stats = [ItemStat(key, count, _dec(facility),
                      _dec(extra[0]) if extra else None, _dec(extra[1]) if extra else None,
                      frequencies.get(key, []),
                      None if hinted is None else _dec(hinted.get(key, 0) / count))
             for key, count, facility, *extra in rows]
    return stats, attempts


def _hinted_answers(quiz: Quiz) -> dict[str, int]:
    """Graded answers per task key whose attempt opened one of the task's hints."""
    return dict(db.session.execute(
        select(AttemptAnswer.question_key, func.count(AttemptAnswer.id.distinct()))
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(AttemptHint, and_(AttemptHint.attempt_id == AttemptAnswer.attempt_id,
                                AttemptHint.position == AttemptAnswer.position))
        .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.GRADED,
               AttemptAnswer.max_points > 0, AttemptAnswer.points.is_not(None))
        .group_by(AttemptAnswer.question_key)).all())


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _option_frequencies(quiz: Quiz) -> dict[str, list[tuple[str, int]]]:
    """How often each option of each choice question was picked."""
    # Keys first: PostgreSQL cannot DISTINCT rows that carry a json column.
    keys = (select(AttemptAnswer.question_key)
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .where(Attempt.quiz_id == quiz.id).distinct())
    questions = {q.key: q for q in db.session.scalars(
        select(Question).where(Question.key.in_(keys),
                               Question.type.in_(("single", "multiple"))))}
    counters: dict[str, Counter] = {key: Counter() for key in questions}
    responses = db.session.execute(
        select(AttemptAnswer.question_key, AttemptAnswer.response)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == AttemptState.GRADED,
               AttemptAnswer.question_key.in_(list(questions))))
    for key, response in responses:
        chosen = response if isinstance(response, list) else [response]
        counters[key].update(i for i in chosen if isinstance(i, int))
    return {key: [(text, counters[key][i]) for i, text in enumerate(q.spec["options"])]
            for key, q in questions.items()}
