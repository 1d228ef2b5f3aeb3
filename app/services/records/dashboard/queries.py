"""SQL building blocks of the dashboard: one row per cadre, summed by GROUP BY.

``per_cadre`` is a SELECT with one row per active cadre of a subtree and their year: hours
credited (in all and by kind: online, face-to-face, recognized), the five-year total, the
targets of their rank under their scheme (yearly, online minimum, five-year), enrollments
open and completed, average score and appraisal rating. Each part is a grouped subquery
restricted to the subtree's cadres, so the whole is a handful of statements whatever the
number of cadres.
The score bucket, mastery per area and overdue courses per cadre are built here too, for
the live figures and for the rollup refresh alike.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import String, and_, case, exists, func, or_, select, type_coerce

from app.domain.appraisal import Scheme, default_scheme
from app.domain.learning import local_year_bounds
from app.domain.orgtree import depth
from app.domain.training_hours import CUMULATIVE_YEARS, HoursKind
from app.domain.unit_figures import SCORE_BUCKETS, ZERO, Figures
from app.domain.vocabulary import AttemptState, EnrollmentSource, Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import (
    AppraisalResult,
    AppraisalScheme,
    Attempt,
    AttemptAnswer,
    Enrollment,
    HourCredit,
    OrgUnit,
    PlanDueExtension,
    QuizResult,
    Role,
    TrainingPlan,
    User,
)
from app.models.org import path_in_subtree
from app.services.appraisal.schemes import RANKS, scheme_from_row

#: The per-cadre columns of hours by kind and the five-year total, in Figures' order.
HOURS_BY_KIND = ("hours_online", "hours_face_to_face", "hours_recognized", "five_year_hours")


@dataclass(frozen=True)
class Filters:
    """Which cadres: a unit's subtree, a year, optionally a rank, a category, a name."""

    root_path: str
    year: int
    rank: Rank | None = None
    category: WorkCategory | None = None
    text: str = ""
    #: Only these cadres (one page of a list), when given.
    user_ids: tuple[int, ...] | None = None


def cadre_condition(filters: Filters):
    """SQL condition on User joined with OrgUnit: the active cadres the filters select."""
    conditions = [User.active.is_(True), path_in_subtree(filters.root_path),
                  exists().where(Role.user_id == User.id, Role.name == RoleName.CADRE)]
    if filters.rank is not None:
        conditions.append(User.rank == filters.rank)
    if filters.category is not None:
        conditions.append(User.category == filters.category)
    if filters.user_ids is not None:
        conditions.append(User.id.in_(filters.user_ids))
    if filters.text:
        pattern = "%" + filters.text.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        conditions.append(or_(User.name.like(pattern, escape="\\"),
                              User.username.like(pattern, escape="\\")))
    return and_(*conditions)


def members(filters: Filters):
    return select(User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id).where(
        cadre_condition(filters))


def load_schemes(year: int) -> list[tuple[str | None, Scheme]]:
    """The year's schemes with their unit's path (None: the city default); one query."""
    rows = db.session.execute(
        select(AppraisalScheme, OrgUnit.path)
        .outerjoin(OrgUnit, OrgUnit.id == AppraisalScheme.org_unit_id)
        .where(AppraisalScheme.year == year))
    return [(path, scheme_from_row(row)) for row, path in rows]


def scheme_expression(schemes: list[tuple[str | None, Scheme]], path_column, rank_column,
                      value_of: Callable[[Scheme, str], int]):
    """SQL CASE: a value of the cadre's rank (``value_of(scheme, rank)``) under the scheme
    nearest above them.

    A unit's scheme covers its subtree, so the deepest scheme unit containing the cadre's
    unit wins: its branches come first (the same rule as appraisal.scheme_for_unit).
    """
    units = sorted(((p, s) for p, s in schemes if p is not None), key=lambda ps: -depth(ps[0]))
    city = next((s for p, s in schemes if p is None), None) or default_scheme(RANKS)
    whens = [(and_(path_in_subtree(path, path_column), rank_column == rank),
              value_of(scheme, rank.value)) for path, scheme in units for rank in Rank]
    whens += [(rank_column == rank, value_of(city, rank.value)) for rank in Rank]
    return case(*whens, else_=value_of(default_scheme(RANKS), Rank.STAFF.value))


def target_expression(schemes, path_column, rank_column):
    """SQL CASE: the yearly hours target of the cadre's rank under their scheme."""
    return scheme_expression(schemes, path_column, rank_column, Scheme.target_for)


def _hours(filters: Filters):
    """Per cadre: the year's hours in all and by kind, and the five years' total."""
    this_year = HourCredit.year == filters.year

    def of_kind(kind: HoursKind):
        return func.sum(case((and_(this_year, HourCredit.hours_kind == kind),
                              HourCredit.hours), else_=0))

    return (select(HourCredit.user_id,
                   func.sum(case((this_year, HourCredit.hours), else_=0)).label("hours"),
                   of_kind(HoursKind.ONLINE).label("hours_online"),
                   of_kind(HoursKind.FACE_TO_FACE).label("hours_face_to_face"),
                   of_kind(HoursKind.RECOGNIZED).label("hours_recognized"),
                   func.sum(HourCredit.hours).label("five_year_hours"))
            .where(HourCredit.year.between(filters.year - CUMULATIVE_YEARS + 1, filters.year),
                   HourCredit.user_id.in_(members(filters)))
            .group_by(HourCredit.user_id).subquery())


def _enrollments(filters: Filters):
    start, end = local_year_bounds(filters.year)
    open_in_year = and_(Enrollment.enrolled_at < end, or_(Enrollment.completed_at.is_(None),
                                                          Enrollment.completed_at >= start))
    done = and_(Enrollment.completed_at >= start, Enrollment.completed_at < end)
    return (select(Enrollment.user_id, func.count().label("enrollments"),
                   func.count(case((done, 1))).label("completed"))
            .where(open_in_year, Enrollment.user_id.in_(members(filters)))
            .group_by(Enrollment.user_id).subquery())


def _scores(filters: Filters):
    """Each cadre's average standing score over the quizzes, tests and exercises with an
    attempt graded in the year."""
    start, end = local_year_bounds(filters.year)
    graded_in_year = select(Attempt.id).where(
        Attempt.user_id == QuizResult.user_id, Attempt.quiz_id == QuizResult.quiz_id,
        Attempt.state == AttemptState.GRADED, Attempt.graded_at >= start,
        Attempt.graded_at < end).exists()
    return (select(QuizResult.user_id, func.avg(QuizResult.percent).label("score"))
            .where(graded_in_year, QuizResult.user_id.in_(members(filters)))
            .group_by(QuizResult.user_id).subquery())


def per_cadre(filters: Filters, schemes: list[tuple[str | None, Scheme]]):
    """A SELECT of one row per selected cadre with their figures of the year."""
    hours, enrollments, scores = _hours(filters), _enrollments(filters), _scores(filters)
    return (
        select(User.id.label("user_id"), User.org_unit_id.label("unit_id"),
               User.username.label("username"),
               User.name.label("name"), OrgUnit.name.label("unit_name"),
               OrgUnit.path.label("path"), User.rank.label("rank"),
               User.category.label("category"),
               func.coalesce(hours.c.hours, 0).label("hours"),
               target_expression(schemes, OrgUnit.path, User.rank).label("target"),
               *(func.coalesce(hours.c[name], 0).label(name) for name in HOURS_BY_KIND),
               scheme_expression(schemes, OrgUnit.path, User.rank,
                                 Scheme.online_minimum_for).label("online_minimum"),
               scheme_expression(schemes, OrgUnit.path, User.rank,
                                 Scheme.five_year_target_for).label("five_year_target"),
               func.coalesce(enrollments.c.enrollments, 0).label("enrollments"),
               func.coalesce(enrollments.c.completed, 0).label("completed"),
               scores.c.score.label("score"), AppraisalResult.rating.label("rating"))
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .outerjoin(hours, hours.c.user_id == User.id)
        .outerjoin(enrollments, enrollments.c.user_id == User.id)
        .outerjoin(scores, scores.c.user_id == User.id)
        .outerjoin(AppraisalResult, and_(AppraisalResult.user_id == User.id,
                                         AppraisalResult.year == filters.year))
        .where(cadre_condition(filters)))


def figure_columns(people):
    """Aggregates over a per_cadre subquery, in the order of Figures' fields."""
    c = people.c
    on_target = and_(c.hours >= c.target, c.hours_online >= c.online_minimum)
    return (func.count(c.user_id), func.count(case((c.enrollments > 0, 1))),
            func.coalesce(func.sum(c.enrollments), 0), func.coalesce(func.sum(c.completed), 0),
            func.coalesce(func.sum(c.hours), 0), func.count(case((on_target, 1))),
            func.count(c.score), func.coalesce(func.sum(c.score), 0),
            *(func.coalesce(func.sum(c[name]), 0) for name in HOURS_BY_KIND))


def to_decimal(value) -> Decimal:
    return ZERO if value is None else Decimal(str(value))


def figures_of(values) -> Figures:
    cadres, enrolled, enrollments, completed, hours, on_target, scored, score_total, \
        *by_kind = values
    return Figures(int(cadres), int(enrolled), int(enrollments), int(completed),
                   to_decimal(hours), int(on_target), int(scored), to_decimal(score_total),
                   *(to_decimal(value) for value in by_kind))


def subtree_high(path_column):
    """SQL: the exclusive upper bound of a path column's subtree (see orgtree.subtree_bounds)."""
    return type_coerce(func.substr(path_column, 1, func.length(path_column) - 1), String) + "0"


#: The score bucket of a cadre without a graded score of the year.
NO_SCORE = -1


def with_score_bucket(people):
    """The per-cadre subquery plus ``bucket``: the index in SCORE_BUCKETS, NO_SCORE without.

    Grouped by as a labelled column of a subquery: PostgreSQL refuses to match a GROUP BY
    expression with bound parameters to the same expression in the SELECT list.
    """
    bucket = case((people.c.score.is_(None), NO_SCORE),
                  *((people.c.score >= low, index)
                    for index, (_label, low) in reversed(list(enumerate(SCORE_BUCKETS)))
                    if low > 0), else_=0)
    return select(people, bucket.label("bucket")).subquery()


def mastery_per_cadre(filters: Filters):
    """Subquery: (user_id, area, percent) of the selected cadres' answers graded in the year."""
    start, end = local_year_bounds(filters.year)
    earned = func.sum(func.coalesce(AttemptAnswer.earned_sql(), 0)) * 100.0
    return (
        select(Attempt.user_id, AttemptAnswer.area.label("area"),
               (earned / func.sum(AttemptAnswer.max_points)).label("percent"))
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.state == AttemptState.GRADED, Attempt.graded_at >= start,
               Attempt.graded_at < end, AttemptAnswer.area.is_not(None),
               AttemptAnswer.max_points > 0, Attempt.user_id.in_(members(filters)))
        .group_by(Attempt.user_id, AttemptAnswer.area).subquery())


def overdue_per_cadre(filters: Filters, today: date):
    """Per cadre: assigned courses of the year's plans not completed and past their due date.

    The due date is the cadre's extension (容错) for the assigning plan when granted, else
    the enrollment's (the earliest due date among the plans assigning the course).
    """
    due_on = func.coalesce(PlanDueExtension.due_on, Enrollment.due_on, TrainingPlan.due_on)
    return (select(Enrollment.user_id, func.count().label("overdue"),
                   func.min(due_on).label("first_due"))
            .join(TrainingPlan, TrainingPlan.id == Enrollment.plan_id)
            .outerjoin(PlanDueExtension, and_(PlanDueExtension.plan_id == Enrollment.plan_id,
                                              PlanDueExtension.user_id == Enrollment.user_id))
            .where(TrainingPlan.year == filters.year, Enrollment.source == EnrollmentSource.PLAN,
                   Enrollment.completed_at.is_(None), due_on < today,
                   Enrollment.user_id.in_(members(filters)))
            .group_by(Enrollment.user_id).subquery())
