"""The drill-down to people: a unit's cadres with their year, paged or streamed."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from sqlalchemy import case, func, or_, select

from app.domain.learning import local_today
from app.domain.unit_figures import CadreRow, ComplianceList, ComplianceRow, HoursByKind
from app.domain.vocabulary import Rank, WorkCategory
from app.extensions import db
from app.models import CadreRollup, OrgUnit, User
from app.models.org import path_in_subtree
from app.models.types import utcnow
from app.services.core.paging import Page
from app.services.records.dashboard.queries import (
    Filters,
    load_schemes,
    members,
    overdue_per_cadre,
    per_cadre,
    to_decimal,
)
from app.services.records.dashboard.rollups import rollups_as_of
from app.services.records.dashboard.scope import ensure_may_open_unit, unit_ref

STREAM_BATCH = 1000


def hours_by_kind_of(row) -> HoursByKind:
    return HoursByKind(to_decimal(row.hours_online), to_decimal(row.hours_face_to_face),
                       to_decimal(row.hours_recognized), int(row.online_minimum),
                       to_decimal(row.five_year_hours), int(row.five_year_target))


def _cadre_row(row) -> CadreRow:
    return CadreRow(row.user_id, row.username, row.name, row.unit_name, row.rank, row.category,
                    to_decimal(row.hours), int(row.target), int(row.enrollments),
                    int(row.completed), None if row.score is None else float(row.score),
                    row.rating, hours_by_kind_of(row))


def list_unit_cadres(unit: OrgUnit, *, actor: User, year: int, rank: Rank | None = None,
                     category: WorkCategory | None = None, text: str = "", page: int = 1,
                     per_page: int = 50) -> Page:
    """One page of the subtree's active cadres (CadreRow), in tree order; four queries.

    The page's cadres are chosen first (a plain indexed SELECT of ids), then only their
    figures are computed, so the first page of a whole city costs as little as a street's.
    """
    ensure_may_open_unit(actor, unit)
    filters = Filters(unit.path, year, rank, category, (text or "").strip())
    chosen = members(filters)
    total = db.session.scalar(select(func.count()).select_from(chosen.subquery()))
    page = max(page, 1)
    ids = tuple(db.session.scalars(chosen.order_by(OrgUnit.path, User.username)
                                   .limit(per_page).offset((page - 1) * per_page)))
    rows = db.session.execute(per_cadre(replace(filters, user_ids=ids), load_schemes(year))
                              .order_by(OrgUnit.path, User.username))
    return Page(items=[_cadre_row(row) for row in rows], total=total, page=page,
                per_page=per_page)


def iter_unit_cadres(unit: OrgUnit, *, actor: User, year: int, rank: Rank | None = None,
                     category: WorkCategory | None = None) -> Iterator[CadreRow]:
    """Every cadre of the subtree, streamed in batches (for workbooks of any size).

    Access is checked at the call, before the first row is asked for.
    """
    ensure_may_open_unit(actor, unit)
    statement = per_cadre(Filters(unit.path, year, rank, category), load_schemes(year)).order_by(
        OrgUnit.path, User.username).execution_options(yield_per=STREAM_BATCH)
    return (_cadre_row(row) for row in db.session.execute(statement))


def build_compliance_list(unit: OrgUnit, *, actor: User, year: int, today: date | None = None,
                          rank: Rank | None = None, category: WorkCategory | None = None
                          ) -> ComplianceList:
    """Cadres behind on the year's hours target (or its online minimum) or with overdue
    assigned courses; each row has the year's hours by kind and the five-year total.

    "Behind" compares the hours credited so far with the full year's target, so early in
    the year most cadres are listed; HR reads it together with the plans' due dates.
    ``today`` (default: the city's date now) decides which due dates have passed. Read from
    the cadres' rollups when a refresh of that day is recent enough (one range scan), else
    computed from the cadres' rows (2 queries).
    """
    ensure_may_open_unit(actor, unit)
    now = utcnow()
    today = today or local_today(now)
    filters = Filters(unit.path, year, rank, category)
    as_of = rollups_as_of(year, now=now)
    rows = _rolled_up_rows(filters) if as_of is not None and local_today(as_of) == today \
        else _live_rows(filters, today)
    return ComplianceList(unit=unit_ref(unit), year=year, today=today, rows=tuple(
        ComplianceRow(row.user_id, row.username, row.name, row.unit_name, Rank(row.rank),
                      WorkCategory(row.category), to_decimal(row.hours), int(row.target),
                      int(row.overdue), row.first_due, hours_by_kind_of(row)) for row in rows))


def _behind(people, overdue_count):
    """Behind on hours (the year's or its online minimum) or overdue, the overdue first,
    then in tree order."""
    return (or_(people.c.hours < people.c.target,
                people.c.hours_online < people.c.online_minimum, overdue_count > 0),
            (case((overdue_count > 0, 0), else_=1), people.c.path, people.c.username))


def _live_rows(filters: Filters, today: date):
    people = per_cadre(filters, load_schemes(filters.year)).subquery()
    overdue = overdue_per_cadre(filters, today)
    overdue_count = func.coalesce(overdue.c.overdue, 0)
    condition, order = _behind(people, overdue_count)
    return db.session.execute(
        select(people, overdue_count.label("overdue"), overdue.c.first_due)
        .outerjoin(overdue, overdue.c.user_id == people.c.user_id)
        .where(condition).order_by(*order))


def _rolled_up_rows(filters: Filters):
    statement = select(CadreRollup).where(CadreRollup.year == filters.year,
                                          path_in_subtree(filters.root_path, CadreRollup.path))
    if filters.rank is not None:
        statement = statement.where(CadreRollup.rank == filters.rank.value)
    if filters.category is not None:
        statement = statement.where(CadreRollup.category == filters.category.value)
    people = statement.subquery()
    condition, order = _behind(people, people.c.overdue)
    return db.session.execute(select(people).where(condition).order_by(*order))
