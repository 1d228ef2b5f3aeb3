"""The year's commendation (表彰) lists: proposed from the appraisal results, edited, confirmed.

Rules of the proposal (from the stored AppraisalResult rows of the unit's subtree):
- outstanding individuals: only cadres rated 优秀 (Excellent); in each unit the best
  PERSONS_PER_UNIT by index (ties: more hours, then the earlier account);
- outstanding teams: units with at least TEAM_MIN_SIZE rated (not exempt) cadres, ranked by
  average index, then by completion rate (the share who met their hours target); the best
  TEAMS are proposed.
HR of the unit (or an admin) removes or adds entries, each with a reason and an audit event
(an addition must meet the same rule: 优秀 for a person, the minimum size for a team), and
confirms; an edit after confirming takes the confirmation back. The entries copy the figures
of the proposal, and nothing about a list changes once its year is closed.
"""

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.appraisal import Rating
from app.domain.orgtree import in_subtree
from app.extensions import db
from app.models import AppraisalResult, CommendationEntry, CommendationList, OrgUnit, User
from app.services.appraisal.closing import ensure_year_open
from app.services.core.access import ensure_may_manage_unit
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError

PERSONS_PER_UNIT = 3
TEAM_MIN_SIZE = 5
TEAMS = 3
PERSON, TEAM = "person", "team"


class CommendationRefused(ServiceError):
    """Why an edit was refused: no_results, reason, not_excellent, outside, listed, too_small."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _results(year: int, unit: OrgUnit) -> list[AppraisalResult]:
    return list(db.session.scalars(
        select(AppraisalResult).join(OrgUnit, OrgUnit.id == AppraisalResult.org_unit_id)
        .where(AppraisalResult.year == year, unit.subtree_condition())))


def _team_figures(results) -> dict[int, tuple[int, Decimal, Decimal]]:
    """Unit id → (rated cadres, average index, completion percent), exempt cadres left out."""
    by_unit = defaultdict(list)
    for row in results:
        if row.rating is not Rating.EXEMPT:
            by_unit[row.org_unit_id].append(row)
    figures = {}
    for unit_id, rows in by_unit.items():
        done = sum(1 for r in rows if r.hours >= r.hours_target)
        figures[unit_id] = (len(rows), (sum(r.index for r in rows) / len(rows)).quantize(
            Decimal("0.01")), (Decimal(100 * done) / len(rows)).quantize(Decimal("0.01")))
    return figures


def _proposal(results) -> list[CommendationEntry]:
    by_unit = defaultdict(list)
    for row in results:
        if row.rating is Rating.EXCELLENT:
            by_unit[row.org_unit_id].append(row)
    entries = []
    for unit_id in sorted(by_unit):
        best = sorted(by_unit[unit_id], key=lambda r: (-r.index, -r.hours, r.user_id))
        entries += [CommendationEntry(kind=PERSON, user_id=r.user_id, index=r.index)
                    for r in best[:PERSONS_PER_UNIT]]
    teams = sorted(((-avg, -done, unit_id) for unit_id, (size, avg, done)
                    in _team_figures(results).items() if size >= TEAM_MIN_SIZE))
    entries += [CommendationEntry(kind=TEAM, team_unit_id=unit_id, index=-neg_avg,
                                  completion=-neg_done)
                for neg_avg, neg_done, unit_id in teams[:TEAMS]]
    return entries


def find_commendation(year: int, unit: OrgUnit, *, actor: User) -> CommendationList | None:
    ensure_may_manage_unit(actor, unit)
    return db.session.scalar(
        select(CommendationList).where(CommendationList.year == year,
                                       CommendationList.org_unit_id == unit.id)
        .options(joinedload(CommendationList.entries).joinedload(CommendationEntry.user),
                 joinedload(CommendationList.entries).joinedload(CommendationEntry.team_unit)))


def propose_commendation(year: int, unit: OrgUnit, *, actor: User, now: datetime
                         ) -> CommendationList:
    """(Re)build the proposed list from the year's results; replaces earlier edits."""
    ensure_may_manage_unit(actor, unit)
    ensure_year_open(year)
    results = _results(year, unit)
    if not results:
        raise CommendationRefused("no_results")
    row = find_commendation(year, unit, actor=actor)
    if row is None:
        row = CommendationList(year=year, org_unit_id=unit.id)
        db.session.add(row)
    row.entries = []
    db.session.flush()
    row.entries = _proposal(results)
    for position, entry in enumerate(row.entries):
        entry.position = position
    row.proposed_at, row.confirmed_at, row.confirmed_by_id = now, None, None
    db.session.flush()
    record_event("commendation.proposed", actor=actor, target=f"org_unit:{unit.id}",
                 details={"year": year, "entries": len(row.entries)})
    return row


def _ensure_may_edit(commendation: CommendationList, actor: User, reason: str) -> str:
    ensure_may_manage_unit(actor, commendation.org_unit)
    ensure_year_open(commendation.year)
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise CommendationRefused("reason")
    return reason


def _edited(commendation: CommendationList, action: str, entry: CommendationEntry,
            reason: str, actor: User) -> None:
    commendation.confirmed_at = commendation.confirmed_by_id = None
    db.session.flush()
    record_event(f"commendation.{action}", actor=actor, target=f"commendation:{commendation.id}",
                 details={"year": commendation.year, "kind": entry.kind, "reason": reason,
                          "user_id": entry.user_id, "team_unit_id": entry.team_unit_id})


def remove_entry(commendation: CommendationList, entry_id: int, *, reason: str,
                 actor: User) -> CommendationEntry:
    reason = _ensure_may_edit(commendation, actor, reason)
    entry = next((e for e in commendation.entries if e.id == entry_id), None)
    if entry is None or entry.removed_reason is not None:
        raise CommendationRefused("outside")
    entry.removed_reason = reason
    _edited(commendation, "removed", entry, reason, actor)
    return entry


def _add(commendation, *, kind, reason, actor, **subject) -> CommendationEntry:
    key = "user_id" if kind == PERSON else "team_unit_id"
    entry = next((e for e in commendation.entries if e.kind == kind
                  and getattr(e, key) == subject[key]), None)
    if entry is not None and entry.removed_reason is None:
        raise CommendationRefused("listed")
    if entry is None:
        entry = CommendationEntry(kind=kind, position=len(commendation.entries), **subject)
        commendation.entries.append(entry)
    entry.removed_reason, entry.added_reason = None, reason
    _edited(commendation, "added", entry, reason, actor)
    return entry


def add_person(commendation: CommendationList, person: User, *, reason: str,
               actor: User) -> CommendationEntry:
    """Add a cadre of the unit's subtree rated 优秀 that year."""
    reason = _ensure_may_edit(commendation, actor, reason)
    if not in_subtree(person.org_unit.path, commendation.org_unit.path):
        raise CommendationRefused("outside")
    result = db.session.scalar(select(AppraisalResult).where(
        AppraisalResult.user_id == person.id, AppraisalResult.year == commendation.year))
    if result is None or result.rating is not Rating.EXCELLENT:
        raise CommendationRefused("not_excellent")
    return _add(commendation, kind=PERSON, reason=reason, actor=actor, user_id=person.id,
                index=result.index)


def add_team(commendation: CommendationList, team: OrgUnit, *, reason: str,
             actor: User) -> CommendationEntry:
    """Add a unit of the subtree with at least TEAM_MIN_SIZE rated cadres."""
    reason = _ensure_may_edit(commendation, actor, reason)
    if not in_subtree(team.path, commendation.org_unit.path):
        raise CommendationRefused("outside")
    figures = _team_figures(_results(commendation.year, team)).get(team.id)
    if figures is None or figures[0] < TEAM_MIN_SIZE:
        raise CommendationRefused("too_small")
    return _add(commendation, kind=TEAM, reason=reason, actor=actor, team_unit_id=team.id,
                index=figures[1], completion=figures[2])


def confirm_commendation(commendation: CommendationList, *, actor: User,
                         now: datetime) -> None:
    ensure_may_manage_unit(actor, commendation.org_unit)
    ensure_year_open(commendation.year)
    commendation.confirmed_at, commendation.confirmed_by_id = now, actor.id
    db.session.flush()
    kept = [e for e in commendation.entries if e.removed_reason is None]
    record_event("commendation.confirmed", actor=actor, target=f"commendation:{commendation.id}",
                 details={"year": commendation.year, "people": [
                     e.user_id for e in kept if e.kind == PERSON], "teams": [
                     e.team_unit_id for e in kept if e.kind == TEAM]})
