"""A cadre's competency: plain mastery per area (every graded answer, one GROUP BY) and
the profile: recency-weighted mastery and level per area.

One query sums each graded attempt's answers per area (earned, possible, items, and the
same for demanding items: data-exercise tasks and bank questions of difficulty 3); the
decay weighting and the level rule (app.domain.competency) run on those few sums, never
on answer rows. What to study next comes from the weakest area: published courses that
cover it, the cadre has not completed, and the recommender finds suitable.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import case, func, or_, select

from app.domain.appraisal import exact_sum
from app.domain.assessment import percent_of
from app.domain.competency import (
    DEMANDING_DIFFICULTY,
    AreaStanding,
    Evidence,
    assess_area,
    weakest_area,
)
from app.domain.learning import Candidate, recommend_courses
from app.domain.vocabulary import AttemptState, CompetencyArea, QuizKind
from app.extensions import db
from app.models import (
    Attempt,
    AttemptAnswer,
    Course,
    Enrollment,
    Question,
    Quiz,
    User,
)
from app.services.learning.catalog import CourseCard, published_courses

NEXT_COURSES = 3


@dataclass(frozen=True)
class CompetencyProfile:
    standings: dict[CompetencyArea, AreaStanding]
    weakest: CompetencyArea | None
    next_courses: list[CourseCard]

    def rows(self) -> list[tuple[CompetencyArea, AreaStanding]]:
        """Every area in the vocabulary's order, for the radar and its table."""
        return [(area, self.standings[area]) for area in CompetencyArea]


def _evidence_rows(ids: Sequence[int]):
    demanding = or_(Quiz.kind == QuizKind.EXERCISE, Question.difficulty >= DEMANDING_DIFFICULTY)
    points = func.coalesce(AttemptAnswer.earned_sql(), 0)
    return db.session.execute(
        select(Attempt.user_id, AttemptAnswer.area, Attempt.graded_at,
               func.sum(points), func.sum(AttemptAnswer.max_points), func.count(),
               func.sum(case((demanding, points), else_=0)),
               func.sum(case((demanding, AttemptAnswer.max_points), else_=0)),
               func.count(case((demanding, 1))))
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .outerjoin(Question, Question.key == AttemptAnswer.question_key)
        .where(Attempt.user_id.in_(ids), Attempt.state == AttemptState.GRADED,
               AttemptAnswer.area.is_not(None), AttemptAnswer.max_points > 0)
        .group_by(Attempt.user_id, Attempt.id, Attempt.graded_at, AttemptAnswer.area))


def mastery_profiles(ids: Sequence[int], *, now: datetime
                     ) -> dict[int, dict[CompetencyArea, AreaStanding]]:
    """Each cadre's standing in every area (areas without evidence included), from one
    query whatever the number of cadres (one cadre: ``mastery_profile``)."""
    evidence = {i: {area: [] for area in CompetencyArea} for i in ids}
    for user_id, area, graded_at, earned, possible, items, d_earned, d_possible, d_items \
            in _evidence_rows(ids):
        evidence[user_id][area].append(Evidence(
            earned=float(earned or 0), possible=float(possible or 0), items=items,
            graded_at=graded_at or now, demanding_earned=float(d_earned or 0),
            demanding_possible=float(d_possible or 0), demanding_items=d_items or 0))
    return {i: {area: assess_area(rows, now=now) for area, rows in by_area.items()}
            for i, by_area in evidence.items()}


def mastery_profile(user: User, *, now: datetime) -> dict[CompetencyArea, AreaStanding]:
    """Every area's standing (areas without evidence included), from one query."""
    return mastery_profiles([user.id], now=now)[user.id]


def courses_for_area(user: User, area: CompetencyArea, *, limit: int = NEXT_COURSES
                     ) -> list[CourseCard]:
    """Published courses covering the area that the cadre has not completed, best first:
    the shared course list and one read of the cadre's completed courses."""
    completed = dict(db.session.execute(
        select(Course.id, Course.code).join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id == user.id, Enrollment.completed_at.is_not(None))).all())
    courses = [c for c in published_courses()
               if area in c.area_names and c.id not in completed]
    candidates = [Candidate(c.code, c.tier, c.audience_ranks, c.audience_categories,
                            c.prerequisite_codes) for c in courses]
    by_code = {c.code: c for c in courses}
    codes = recommend_courses(candidates, rank=user.rank, category=user.category,
                              completed=set(completed.values()), limit=limit)
    return [by_code[code] for code in codes]


def build_competency_profile(user: User, *, now: datetime) -> CompetencyProfile:
    standings = mastery_profile(user, now=now)
    weakest = weakest_area(standings, list(CompetencyArea))
    return CompetencyProfile(standings=standings, weakest=weakest,
                             next_courses=courses_for_area(user, weakest) if weakest else [])


# Mastery per competency area, from every graded answer (one GROUP BY).

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
        select(AttemptAnswer.area, func.sum(AttemptAnswer.earned_sql()),
               func.sum(AttemptAnswer.max_points))
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.user_id == user.id, Attempt.state == AttemptState.GRADED,
               AttemptAnswer.area.is_not(None), AttemptAnswer.max_points.is_not(None),
               AttemptAnswer.points.is_not(None))
        .group_by(AttemptAnswer.area))
    return {area: AreaMastery(area, exact_sum(earned), exact_sum(possible))
            for area, earned, possible in rows if possible}
