"""Closing an appraisal year: its stored results become the snapshot of record.

A year is closed for the whole city, by an administrator or by HR whose scope includes the
city (the root unit): ratings are quota-based across units, so closing one district while
another still re-runs would let a closed snapshot disagree with the live quota base. While
a year is closed, running the appraisal, editing its schemes and granting its exemptions
are refused; pages only read the stored AppraisalResult rows, so later regrades, imports
or scheme edits never change what a closed year shows. A change goes through an explicit
reopen with a reason, recorded in the audit log; the year can then be re-run and closed
again.
"""

from datetime import datetime

from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import AppraisalResult, AppraisalYearClosure, OrgUnit, User
from app.services.core.access import ensure_may_manage_unit
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied, ServiceError


class YearClosed(ServiceError):
    """The year is closed: reopen it (with a reason) before changing anything."""

    def __init__(self, year: int):
        super().__init__(f"the appraisal year {year} is closed; reopen it first")
        self.year = year


class ResultsOutdated(ServiceError):
    """Cadres moved units since the last run: closing would freeze their old units."""

    def __init__(self, cadres: int):
        super().__init__(str(cadres))
        self.cadres = cadres


class YearNotClosed(ServiceError):
    """Reopening a year that is open."""


class ReasonRequired(ServiceError):
    """Reopening needs a reason."""


def find_closure(year: int) -> AppraisalYearClosure | None:
    return db.session.scalar(
        select(AppraisalYearClosure).where(AppraisalYearClosure.year == year))


def is_year_closed(year: int) -> bool:
    return find_closure(year) is not None


def ensure_year_open(year: int) -> None:
    """Refuse any change to a closed year's appraisal (run, scheme, exemption)."""
    if is_year_closed(year):
        raise YearClosed(year)


def may_close_years(actor: User) -> bool:
    """An administrator, or HR whose scope includes the city root unit."""
    if actor.has_role(RoleName.ADMIN):
        return True
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
    if root is None:
        return False
    try:
        ensure_may_manage_unit(actor, root)
    except PermissionDenied:
        return False
    return True


def _ensure_may_close(actor: User | None) -> None:
    if actor is not None and not may_close_years(actor):
        raise PermissionDenied("only an administrator or city HR closes a year")


def close_year(year: int, *, actor: User | None, now: datetime) -> AppraisalYearClosure:
    """Freeze the year's stored results; actor None is the CLI."""
    _ensure_may_close(actor)
    ensure_year_open(year)
    outdated = _cadres_not_rated_in_their_unit(year)
    if outdated:  # a closed year rates each cadre in the unit they belong to at closing
        raise ResultsOutdated(outdated)
    results = db.session.scalar(
        select(func.count()).select_from(AppraisalResult).where(AppraisalResult.year == year))
    row = AppraisalYearClosure(year=year, closed_by_id=actor.id if actor else None,
                               closed_at=now)
    db.session.add(row)
    db.session.flush()
    record_event("appraisal.year_closed", actor=actor, target=f"appraisal_year:{year}",
                 details={"year": year, "results": results})
    return row


def _cadres_not_rated_in_their_unit(year: int) -> int:
    """Cadres whose result of the year is for a unit they no longer belong to (moved)."""
    return db.session.scalar(
        select(func.count()).select_from(AppraisalResult)
        .join(User, User.id == AppraisalResult.user_id)
        .where(AppraisalResult.year == year, AppraisalResult.org_unit_id != User.org_unit_id))


def reopen_year(year: int, *, reason: str, actor: User | None) -> None:
    """Lift the freeze so the year may change again; the reason goes to the audit log."""
    _ensure_may_close(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired("reason")
    row = find_closure(year)
    if row is None:
        raise YearNotClosed(str(year))
    closed_at = row.closed_at
    db.session.delete(row)
    db.session.flush()
    record_event("appraisal.year_reopened", actor=actor, target=f"appraisal_year:{year}",
                 details={"year": year, "reason": reason,
                          "closed_at": closed_at.isoformat() if closed_at else None})
