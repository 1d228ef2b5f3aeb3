"""The unit dashboard: tiles, child units, charts' data and breadcrumbs in a few queries.

Mastery per area is a simplification of app.services.records.competency's evidence rule, done in
SQL for a whole unit: a cadre's mastery of an area is the plain share of points earned in
it over their answers graded in the year (no recency weighting, no demanding-items rule),
and the unit's figure is the average over the cadres with such answers.
"""

from datetime import datetime
from functools import reduce

from sqlalchemy import and_, exists, func, select

from app.domain.appraisal import Rating
from app.domain.unit_figures import (
    SCORE_BUCKETS,
    AreaMastery,
    ChildRow,
    Figures,
    ScoreBucket,
    UnitDashboard,
    sort_children,
)
from app.domain.vocabulary import CompetencyArea, Rank, WorkCategory
from app.extensions import db
from app.models import AppraisalResult, OrgUnit, User
from app.models.types import utcnow
from app.services.core.access import may_manage_unit
from app.services.records.dashboard.queries import (
    Filters,
    figure_columns,
    figures_of,
    load_schemes,
    mastery_per_cadre,
    per_cadre,
    subtree_high,
    with_score_bucket,
)
from app.services.records.dashboard.rollups import Tally, read_unit_rollups, rollups_as_of
from app.services.records.dashboard.scope import ensure_may_open_unit, unit_ref


def build_unit_dashboard(unit: OrgUnit, *, actor: User, year: int, rank: Rank | None = None,
                         category: WorkCategory | None = None, sort: str = "",
                         now: datetime | None = None) -> UnitDashboard:
    """The year of a unit's subtree for HR in scope or an admin (refusals audited).

    Read from the rollups when a refresh is recent enough (see rollups.py), otherwise
    computed live from the cadres' rows with the same rules.
    """
    ensure_may_open_unit(actor, unit)
    filters = Filters(unit.path, year, rank, category)
    as_of = rollups_as_of(year, now=now or utcnow())
    parts = _live_parts(unit, filters) if as_of is None else _rollup_parts(unit, filters)
    by_child, buckets, mastery, ratings = parts
    children = _children(unit, by_child)
    if None in by_child:
        children.append(ChildRow(unit_ref(unit), by_child[None], has_children=False, own=True))
    return UnitDashboard(
        unit=unit_ref(unit), year=year, rank=rank, category=category,
        tiles=reduce(Figures.plus, by_child.values(), Figures()),
        children=tuple(sort_children(children, sort)),
        score_buckets=tuple(ScoreBucket(label, low, buckets[index])
                            for index, (label, low) in enumerate(SCORE_BUCKETS)),
        mastery=mastery, ratings=ratings,
        breadcrumbs=_breadcrumbs(unit, actor), sort=sort, as_of=as_of)


def _live_parts(unit: OrgUnit, filters: Filters):
    """Figures per child unit, score buckets, mastery and ratings from the cadres' rows."""
    groups = _groups(unit, per_cadre(filters, load_schemes(filters.year)).subquery())
    by_child: dict[int | None, Figures] = {}
    buckets = [0] * len(SCORE_BUCKETS)
    for (child_id, bucket), figures in groups.items():
        by_child[child_id] = by_child.get(child_id, Figures()).plus(figures)
        if bucket >= 0:
            buckets[bucket] += figures.cadres
    return by_child, buckets, _mastery(filters), _ratings(unit, filters)


def _rollup_parts(unit: OrgUnit, filters: Filters):
    """The same parts, summed from the stored rollups of the unit's children."""
    tallies = read_unit_rollups(unit, filters)
    whole = Tally()
    for tally in tallies.values():
        whole.add(tally)
    mastery = tuple(
        AreaMastery(area, whole.mastery[area.value][0] / whole.mastery[area.value][1],
                    whole.mastery[area.value][1])
        if whole.mastery.get(area.value, [0, 0])[1] else AreaMastery(area, None, 0)
        for area in CompetencyArea)
    ratings = tuple((rating, whole.ratings.get(rating.value, 0)) for rating in Rating) \
        if whole.ratings else ()
    return ({child: tally.figures for child, tally in tallies.items()},
            whole.buckets[:len(SCORE_BUCKETS)], mastery, ratings)


def _groups(unit: OrgUnit, people) -> dict[tuple[int | None, int], Figures]:
    """One pass over the cadres: figures per (child unit, score bucket).

    Each cadre joins the child unit whose path range holds their unit's path (None: the
    unit's own cadres); the bucket is the index in SCORE_BUCKETS, NO_SCORE without one.
    Tiles, child rows and the score distribution are all sums of these few groups.
    """
    scored = with_score_bucket(people)
    child = select(OrgUnit.id, OrgUnit.path.label("low"),
                   subtree_high(OrgUnit.path).label("high")).where(
        OrgUnit.parent_id == unit.id).subquery()
    rows = db.session.execute(
        select(child.c.id, scored.c.bucket, *figure_columns(scored)).select_from(scored)
        .outerjoin(child, and_(scored.c.path >= child.c.low, scored.c.path < child.c.high))
        .group_by(child.c.id, scored.c.bucket))
    return {(row[0], row[1]): figures_of(row[2:]) for row in rows}


def _children(unit: OrgUnit, by_child: dict[int | None, Figures]) -> list[ChildRow]:
    """Every child unit in tree order, with its figures (zero without cadres)."""
    grandchild = OrgUnit.__table__.alias("grandchild")
    has_children = exists().where(grandchild.c.parent_id == OrgUnit.id)
    units = db.session.execute(select(OrgUnit, has_children).where(
        OrgUnit.parent_id == unit.id).order_by(OrgUnit.sort_order, OrgUnit.code))
    return [ChildRow(unit_ref(child_unit), by_child.get(child_unit.id, Figures()),
                     bool(deeper)) for child_unit, deeper in units]


def _mastery(filters: Filters) -> tuple[AreaMastery, ...]:
    per_cadre_area = mastery_per_cadre(filters)
    rows = {area: (percent, cadres) for area, percent, cadres in db.session.execute(
        select(per_cadre_area.c.area, func.avg(per_cadre_area.c.percent), func.count())
        .group_by(per_cadre_area.c.area))}
    return tuple(AreaMastery(area, float(rows[area][0]), int(rows[area][1])) if area in rows
                 else AreaMastery(area, None, 0) for area in CompetencyArea)


def _ratings(unit: OrgUnit, filters: Filters):
    """The year's stored results of cadres rated in the subtree, per rating (best first)."""
    statement = (select(AppraisalResult.rating, func.count())
                 .join(User, User.id == AppraisalResult.user_id)
                 .join(OrgUnit, OrgUnit.id == AppraisalResult.org_unit_id)
                 .where(AppraisalResult.year == filters.year, unit.subtree_condition())
                 .group_by(AppraisalResult.rating))
    if filters.rank is not None:
        statement = statement.where(User.rank == filters.rank)
    if filters.category is not None:
        statement = statement.where(User.category == filters.category)
    counts = dict(db.session.execute(statement).all())
    if not counts:
        return ()
    return tuple((rating, int(counts.get(rating, 0))) for rating in Rating)


def _breadcrumbs(unit: OrgUnit, actor: User):
    ancestors = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit.ancestor_ids))
                                   .order_by(OrgUnit.path))
    return tuple(unit_ref(u) for u in ancestors if may_manage_unit(actor, u))
