"""Mastery per competency area, from every graded answer (one GROUP BY)."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.assessment import percent_of
from app.domain.vocabulary import AttemptState, CompetencyArea
from app.extensions import db
from app.models import Attempt, AttemptAnswer, User


@dataclass(frozen=True)
class AreaMastery:
    area: CompetencyArea
    earned: Decimal
    possible: Decimal

    @property
    def percent(self) -> Decimal:
        return percent_of(self.earned, self.possible)


def mastery_by_area(user: User) -> dict[CompetencyArea, AreaMastery]:
    rows = db.session.execute(
        select(AttemptAnswer.area, func.sum(AttemptAnswer.points),
               func.sum(AttemptAnswer.max_points))
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.user_id == user.id, Attempt.state == AttemptState.GRADED,
               AttemptAnswer.area.is_not(None), AttemptAnswer.max_points.is_not(None),
               AttemptAnswer.points.is_not(None))
        .group_by(AttemptAnswer.area))
    return {area: AreaMastery(area, Decimal(earned), Decimal(possible))
            for area, earned, possible in rows if possible}
