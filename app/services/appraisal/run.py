"""Running the annual appraisal for every active cadre of a unit's subtree (or the city).

Set-based: a fixed handful of aggregate queries grouped by user, whatever the number of
cadres; the rules (app.domain.appraisal) then run on those sums in memory and the results
are written in one bulk INSERT, replacing the year's earlier results for the scope.

Components of a year (the city's calendar year, Asia/Shanghai):
- hours: the ledger (HourCredit, every kind) of that year against the rank's yearly target
  in the cadre's scheme; when the scheme sets an online minimum, what the online hours lack
  of it is taken off the year's total (app.domain.training_hours.counted_hours: hours of
  other kinds cannot stand in for required online study); the five-year total (this year
  and the four before) is stored with the result but does not enter the index;
- course scores: the average standing percent (QuizResult) of graded course quizzes with
  an attempt graded that year; data practice: the same for exercises; none → 0 (SQL sums
  and counts, the mean and its rounding in app.domain.appraisal: alike on every database);
- area coverage: an area counts when the cadre's graded answers of that year in it earned
  at least 60 % of their points (a plain ratio, no recency weighting).

A cadre is appraised, and counted for the quota, in the unit they belong to at the run; a
cadre who moved during the year is therefore rated with their new unit. The tie-break's
"completion" is the moment of the last hour credited that year (earlier is better).
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, delete, exists, func, insert, or_, select, true

from app.domain.appraisal import (
    COVERED_MASTERY,
    Entry,
    Rating,
    appraisal_index,
    default_scheme,
    exact_sum,
    make_components,
    mean_percent,
    rate_all,
)
from app.domain.learning import local_year_bounds
from app.domain.orgtree import ancestor_ids
from app.domain.training_hours import (
    CUMULATIVE_YEARS,
    LedgerLine,
    hours_standing,
    readable_hours,
)
from app.domain.vocabulary import AttemptState, QuizKind, RoleName
from app.extensions import db
from app.models import (
    AppraisalExemption,
    AppraisalResult,
    Attempt,
    AttemptAnswer,
    HourCredit,
    OrgUnit,
    Quiz,
    QuizResult,
    Role,
    User,
)
from app.services.appraisal.closing import ensure_year_open
from app.services.appraisal.schemes import RANKS, scheme_for_unit, schemes_of_year
from app.services.core.access import ensure_may_manage_unit, hr_scope_units
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied

#: Hours are credited with two decimal places (HourCredit.hours: a micro-course earns 0.25).
HOUR_UNIT = Decimal("0.01")


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    year: int
    cadres: int
    ratings: dict[Rating, int]


def _scope(unit: OrgUnit | None):
    return unit.subtree_condition() if unit is not None else true()


def _in_scope(user_column, unit: OrgUnit | None):
    """Restrict a per-user query to active cadres of the scope (joins User and OrgUnit)."""
    return (select(User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(User.active.is_(True), _scope(unit), User.id == user_column).exists())


def _people(unit):
    return db.session.execute(
        select(User.id, User.rank, User.org_unit_id, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(User.active.is_(True), _scope(unit),
               # Only cadres are appraised: trainers, HR and admins are not (nor in quotas).
               exists().where(Role.user_id == User.id, Role.name == RoleName.CADRE))).all()


def _ledger(year, unit) -> tuple[dict[int, list[LedgerLine]], dict[int, datetime]]:
    """Each cadre's ledger lines of the five years ending with ``year`` (summed by year and
    kind), and the moment of their last hour credited in ``year`` (the tie-break)."""
    rows = db.session.execute(
        select(HourCredit.user_id, HourCredit.year, HourCredit.hours_kind,
               func.sum(HourCredit.hours), func.max(HourCredit.credited_at))
        .where(HourCredit.year.between(year - CUMULATIVE_YEARS + 1, year),
               _in_scope(HourCredit.user_id, unit))
        .group_by(HourCredit.user_id, HourCredit.year, HourCredit.hours_kind))
    lines: dict[int, list[LedgerLine]] = {}
    last: dict[int, datetime] = {}
    for user_id, line_year, kind, hours, credited in rows:
        lines.setdefault(user_id, []).append(
            LedgerLine(line_year, kind, exact_sum(hours, HOUR_UNIT)))
        if line_year == year and (user_id not in last or credited > last[user_id]):
            last[user_id] = credited
    return lines, last


def _averages(year, unit) -> dict[tuple[int, QuizKind], Decimal]:
    """Sums and counts from SQL, the mean in Decimal (mean_percent): never the database's AVG."""
    start, end = local_year_bounds(year)
    graded_in_year = (select(Attempt.id).where(
        Attempt.user_id == QuizResult.user_id, Attempt.quiz_id == QuizResult.quiz_id,
        Attempt.state == AttemptState.GRADED, Attempt.graded_at >= start,
        Attempt.graded_at < end).exists())
    counted = or_(and_(Quiz.kind == QuizKind.COURSE, Quiz.graded.is_(True)),
                  Quiz.kind == QuizKind.EXERCISE)
    rows = db.session.execute(
        select(QuizResult.user_id, Quiz.kind, func.sum(QuizResult.percent),
               func.count(QuizResult.percent))
        .join(Quiz, Quiz.id == QuizResult.quiz_id)
        .where(counted, graded_in_year, _in_scope(QuizResult.user_id, unit))
        .group_by(QuizResult.user_id, Quiz.kind))
    return {(user_id, kind): mean for user_id, kind, total, count in rows
            if (mean := mean_percent(total, count)) is not None}


def _covered_areas(year, unit) -> Counter:
    start, end = local_year_bounds(year)
    rows = db.session.execute(
        select(Attempt.user_id, AttemptAnswer.area,
               func.sum(func.coalesce(AttemptAnswer.earned_sql(), 0)),
               func.sum(AttemptAnswer.max_points))
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.state == AttemptState.GRADED, Attempt.graded_at >= start,
               Attempt.graded_at < end, AttemptAnswer.area.is_not(None),
               AttemptAnswer.max_points > 0, _in_scope(Attempt.user_id, unit))
        .group_by(Attempt.user_id, AttemptAnswer.area))
    covered: Counter = Counter()
    for user_id, _area, earned, possible in rows:
        if exact_sum(earned) * 100 >= exact_sum(possible) * COVERED_MASTERY:
            covered[user_id] += 1
    return covered


def _exempt(year, unit) -> set[int]:
    return set(db.session.scalars(select(AppraisalExemption.user_id).where(
        AppraisalExemption.year == year, _in_scope(AppraisalExemption.user_id, unit))))


def run_appraisal(year: int, *, unit: OrgUnit | None, actor: User | None,
                  now: datetime) -> RunSummary:
    """Appraise every active cadre of the scope for the year; actor None is the CLI."""
    if actor is not None and not (unit is None and actor.has_role(RoleName.ADMIN)):
        if unit is None:
            raise PermissionDenied("choose a unit inside your scope")
        ensure_may_manage_unit(actor, unit)
    ensure_year_open(year)
    people = _people(unit)
    schemes = schemes_of_year(year)
    (ledger, last_credit), averages = _ledger(year, unit), _averages(year, unit)
    covered, exempt = _covered_areas(year, unit), _exempt(year, unit)
    run_id = uuid.uuid4().hex
    unit_schemes, entries, rows = {}, [], []
    for user_id, rank, unit_id, path in people:
        scheme = unit_schemes.setdefault(unit_id, scheme_for_unit(schemes, ancestor_ids(path)))
        standing = hours_standing(ledger.get(user_id, []), year,
                                  scheme.hours_targets_for(rank.value))
        earned, target = standing.counted_hours, scheme.target_for(rank.value)
        parts = make_components(hours=earned, target=target,
                                scores=averages.get((user_id, QuizKind.COURSE)),
                                practice=averages.get((user_id, QuizKind.EXERCISE)),
                                covered_areas=covered[user_id])
        index = appraisal_index(parts, scheme.weights)
        entries.append(Entry(user_id, unit_id, index, earned, last_credit.get(user_id),
                             user_id in exempt))
        rows.append({"year": year, "user_id": user_id, "org_unit_id": unit_id,
                     "hours": earned, "hours_target": target, "hours_component": parts.hours,
                     "hours_by_kind": {kind.value: str(readable_hours(hours))
                                       for kind, hours in standing.year.by_kind.items()},
                     "five_year_hours": standing.five_year,
                     "scores_component": parts.scores, "practice_component": parts.practice,
                     "coverage_component": parts.coverage, "weights": dict(scheme.weights),
                     "index": index, "run_id": run_id, "run_at": now})
    ratings = rate_all(entries, default=default_scheme(RANKS), unit_schemes=unit_schemes)
    for row in rows:
        row["rating"] = ratings[row["user_id"]]
    scope_users = select(User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id).where(
        _scope(unit))
    scope_units = select(OrgUnit.id).where(_scope(unit))
    db.session.execute(delete(AppraisalResult).where(
        AppraisalResult.year == year, or_(AppraisalResult.user_id.in_(scope_users),
                                          AppraisalResult.org_unit_id.in_(scope_units)))
                       .execution_options(synchronize_session=False))
    if rows:
        db.session.execute(insert(AppraisalResult), rows)
    counts = Counter(ratings.values())
    summary = RunSummary(run_id, year, len(rows), {r: counts.get(r, 0) for r in Rating})
    record_event("appraisal.run", actor=actor, target=f"org_unit:{unit.id}" if unit else "city",
                 details={"year": year, "run_id": run_id, "cadres": len(rows),
                          "ratings": {r.value: n for r, n in summary.ratings.items()}})
    return summary


def run_appraisal_in_scope(year: int, *, unit: OrgUnit | None, actor: User,
                           now: datetime) -> int:
    """The HR button: one unit, or (no unit) every unit the actor looks after; cadres rated."""
    ensure_year_open(year)
    if unit is not None or actor.has_role(RoleName.ADMIN):
        return run_appraisal(year, unit=unit, actor=actor, now=now).cadres
    scopes = hr_scope_units(actor)
    if not scopes:
        raise PermissionDenied("no units in your scope")
    return sum(run_appraisal(year, unit=scope, actor=actor, now=now).cadres for scope in scopes)
