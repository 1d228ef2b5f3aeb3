"""Per-unit rollups of the year's figures, refreshed by a job and read by the dashboard.

Why a refresh job and not incremental updates: the figures change in many places (course
completion, regrades and appeals, the appraisal run, roster moves, plan syncs, scheme edits
that move targets), and keeping every ancestor's row current in each of them would turn
every submit into a write on the city's row, a lock all cadres queue on at the peak. One
set-based refresh (the dashboard's own grouped queries, grouped by unit instead of by child
unit) takes seconds for the whole city; run every few minutes (`flask hr-rollups refresh
--every 300`), pages say "as of" when. Rollups older than ROLLUP_MAX_AGE_SECONDS are
ignored, so a stopped job degrades to slow live figures, never to silently stale ones.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import and_, delete, func, insert, literal, or_, select

from app.domain.learning import local_today
from app.domain.orgtree import ancestor_ids
from app.domain.unit_figures import SCORE_BUCKETS, Figures
from app.extensions import db
from app.models import AppraisalResult, CadreRollup, OrgUnit, RollupRefresh, UnitRollup, User
from app.services.records.dashboard.queries import (
    HOURS_BY_KIND,
    Filters,
    figure_columns,
    figures_of,
    load_schemes,
    mastery_per_cadre,
    overdue_per_cadre,
    per_cadre,
    with_score_bucket,
)

WHOLE_TREE = "/"
#: Index of the "no score" count in UnitRollup.score_buckets.
NO_SCORE_SLOT = len(SCORE_BUCKETS)


@dataclass
class Tally:
    """Figures of a group of cadres with their score buckets, ratings and mastery sums."""

    figures: Figures = field(default_factory=Figures)
    buckets: list[int] = field(default_factory=lambda: [0] * (NO_SCORE_SLOT + 1))
    ratings: dict[str, int] = field(default_factory=dict)
    mastery: dict[str, list] = field(default_factory=dict)

    def add(self, other: "Tally") -> None:
        self.figures = self.figures.plus(other.figures)
        self.buckets = [a + b for a, b in zip(self.buckets, other.buckets, strict=True)]
        for rating, count in other.ratings.items():
            self.ratings[rating] = self.ratings.get(rating, 0) + count
        for area, (total, cadres) in other.mastery.items():
            mine = self.mastery.setdefault(area, [0.0, 0])
            mine[0] += total
            mine[1] += cadres


def rollups_as_of(year: int, *, now: datetime) -> datetime | None:
    """When the year's rollups were computed, if recently enough (ROLLUP_MAX_AGE_SECONDS)
    to be read instead of the cadres' rows."""
    refresh = db.session.get(RollupRefresh, year)
    max_age = timedelta(seconds=current_app.config["ROLLUP_MAX_AGE_SECONDS"])
    if refresh is None or now - refresh.refreshed_at > max_age:
        return None
    return refresh.refreshed_at


def read_unit_rollups(unit: OrgUnit, filters: Filters) -> dict[int | None, Tally]:
    """Tallies per child unit (None: the unit's own cadres) from the stored rollups: one
    indexed read of (child units + 1) × ranks × categories rows at most."""
    children = select(OrgUnit.id).where(OrgUnit.parent_id == unit.id)
    statement = select(UnitRollup).where(
        UnitRollup.year == filters.year,
        or_(and_(UnitRollup.org_unit_id.in_(children), UnitRollup.own.is_(False)),
            and_(UnitRollup.org_unit_id == unit.id, UnitRollup.own.is_(True))))
    if filters.rank is not None:
        statement = statement.where(UnitRollup.rank == filters.rank.value)
    if filters.category is not None:
        statement = statement.where(UnitRollup.category == filters.category.value)
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    for row in db.session.scalars(statement):
        tallies[None if row.own else row.org_unit_id].add(_tally_of(row))
    return tallies


def _tally_of(row: UnitRollup) -> Tally:
    return Tally(
        Figures(row.cadres, row.enrolled, row.enrollments, row.completed, row.hours,
                row.on_target, row.scored, row.score_total,
                *(getattr(row, name) for name in HOURS_BY_KIND)),
        list(row.score_buckets), dict(row.ratings),
        {area: list(pair) for area, pair in row.mastery.items()})


def refresh_unit_rollups(year: int, *, now: datetime, clock=None) -> RollupRefresh:
    """Recompute every cadre's and every unit's rollups of ``year`` (replacing the old ones)
    in one transaction of a few set-based statements; flushes, the caller commits."""
    clock = clock or time.perf_counter
    started = clock()
    _write_cadre_rollups(year, local_today(now))
    own = _own_tallies(year)
    paths = {unit_id: path for unit_id, path in db.session.execute(
        select(OrgUnit.id, OrgUnit.path))}
    rows = [_row(year, unit_id, True, key, tally) for (unit_id, *key), tally in own.items()]
    rows += [_row(year, unit_id, False, key, tally)
             for (unit_id, *key), tally in _subtree_tallies(own, paths).items()]
    db.session.execute(delete(UnitRollup).where(UnitRollup.year == year))
    if rows:
        db.session.execute(insert(UnitRollup), rows)
    refresh = db.session.get(RollupRefresh, year) or RollupRefresh(year=year)
    refresh.refreshed_at = now
    refresh.seconds = round(clock() - started, 3)
    refresh.cadres = sum(t.figures.cadres for (_u, *_k), t in own.items())
    db.session.add(refresh)
    db.session.flush()
    return refresh


def _write_cadre_rollups(year: int, today: date) -> None:
    """Every cadre's row of the year (the dashboard's per_cadre with the overdue courses of
    ``today``), in one INSERT … SELECT."""
    filters = Filters(WHOLE_TREE, year)
    people = per_cadre(filters, load_schemes(year)).subquery()
    overdue = overdue_per_cadre(filters, today)
    columns = ["year", "user_id", "unit_id", "path", "username", "name", "unit_name", "rank",
               "category", "hours", "target", "enrollments", "completed", "score", "rating",
               *HOURS_BY_KIND, "online_minimum", "five_year_target", "overdue", "first_due"]
    rows = select(literal(year), *(people.c[name] for name in columns[1:-2]),
                  func.coalesce(overdue.c.overdue, 0), overdue.c.first_due).outerjoin(
        overdue, overdue.c.user_id == people.c.user_id)
    db.session.execute(delete(CadreRollup).where(CadreRollup.year == year))
    db.session.execute(insert(CadreRollup).from_select(columns, rows))


def _own_tallies(year: int) -> dict[tuple, Tally]:
    """Tallies per (unit, rank, category) of the cadres directly in each unit, summed from
    the cadres' rollups just written."""
    filters = Filters(WHOLE_TREE, year)
    tallies: dict[tuple, Tally] = defaultdict(Tally)
    scored = with_score_bucket(select(CadreRollup).where(CadreRollup.year == year).subquery())
    keys = (scored.c.unit_id, scored.c.rank, scored.c.category)
    for row in db.session.execute(select(*keys, scored.c.bucket, *figure_columns(scored))
                                  .group_by(*keys, scored.c.bucket)):
        tally = tallies[(row[0], row[1], row[2])]
        tally.figures = tally.figures.plus(figures_of(row[4:]))
        tally.buckets[NO_SCORE_SLOT if row[3] < 0 else row[3]] += int(row[4])
    areas = mastery_per_cadre(filters)
    for unit_id, rank, category, area, total, cadres in db.session.execute(
            select(User.org_unit_id, User.rank, User.category, areas.c.area,
                   func.sum(areas.c.percent), func.count())
            .join(User, User.id == areas.c.user_id)
            .group_by(User.org_unit_id, User.rank, User.category, areas.c.area)):
        tallies[(unit_id, rank.value, category.value)].mastery[area.value] = [
            float(total), int(cadres)]
    for unit_id, rank, category, rating, count in db.session.execute(
            select(AppraisalResult.org_unit_id, User.rank, User.category,
                   AppraisalResult.rating, func.count())
            .join(User, User.id == AppraisalResult.user_id)
            .where(AppraisalResult.year == year)
            .group_by(AppraisalResult.org_unit_id, User.rank, User.category,
                      AppraisalResult.rating)):
        tallies[(unit_id, rank.value, category.value)].ratings[rating.value] = int(count)
    return tallies


def _subtree_tallies(own: dict[tuple, Tally], paths: dict[int, str]) -> dict[tuple, Tally]:
    """Each unit's tallies summed over its subtree: every own tally counts for the unit
    and each of its ancestors (a tree a few levels deep: a handful of additions each)."""
    subtree: dict[tuple, Tally] = defaultdict(Tally)
    for (unit_id, rank, category), tally in own.items():
        for ancestor in ancestor_ids(paths[unit_id]):
            subtree[(ancestor, rank, category)].add(tally)
    return subtree


def _row(year: int, unit_id: int, own: bool, key: list, tally: Tally) -> dict:
    figures = tally.figures
    return {"year": year, "org_unit_id": unit_id, "own": own, "rank": key[0],
            "category": key[1], "cadres": figures.cadres, "enrolled": figures.enrolled,
            "enrollments": figures.enrollments, "completed": figures.completed,
            "hours": Decimal(figures.hours), "on_target": figures.on_target,
            "scored": figures.scored, "score_total": Decimal(figures.score_total),
            "score_buckets": tally.buckets, "ratings": tally.ratings,
            "mastery": tally.mastery,
            **{name: Decimal(getattr(figures, name)) for name in HOURS_BY_KIND}}
