"""A cadre's hours standing: the year's hours by kind, the five-year total and the targets
of their scheme (app.domain.training_hours), for the record page, the home page and the
printed record. One query for the ledger, one for the year's schemes."""

from decimal import Decimal

from sqlalchemy import func, select

from app.domain.appraisal import exact_sum
from app.domain.training_hours import (
    CUMULATIVE_YEARS,
    HoursStanding,
    LedgerLine,
    hours_standing,
    readable_hours,
)
from app.extensions import db
from app.models import HourCredit, User
from app.services.appraisal.schemes import hours_targets_of

HOUR_UNIT = Decimal("0.01")


def ledger_lines_by_user(ids, year: int) -> dict[int, list[LedgerLine]]:
    """These cadres' hours of the five years ending with ``year``, summed by year and kind
    (one query for any number of cadres)."""
    found: dict[int, list[LedgerLine]] = {user_id: [] for user_id in ids}
    for user_id, line_year, kind, hours in db.session.execute(
            select(HourCredit.user_id, HourCredit.year, HourCredit.hours_kind,
                   func.sum(HourCredit.hours))
            .where(HourCredit.user_id.in_(ids),
                   HourCredit.year.between(year - CUMULATIVE_YEARS + 1, year))
            .group_by(HourCredit.user_id, HourCredit.year, HourCredit.hours_kind)):
        found[user_id].append(
            LedgerLine(line_year, kind, readable_hours(exact_sum(hours, HOUR_UNIT))))
    return found


def hours_standing_of(person: User, year: int, schemes: dict | None = None,
                      lines: list[LedgerLine] | None = None) -> HoursStanding:
    """The cadre's standing; pass ``schemes`` and ``lines`` when building many at once."""
    if lines is None:
        lines = ledger_lines_by_user([person.id], year)[person.id]
    return hours_standing(lines, year, hours_targets_of(person, year, schemes))
