"""Training records of many cadres at once, for a batch PDF of a whole unit.

The very queries of app.services.records.learning_record (``record_lines``) and
app.services.records.competency (``mastery_profiles``), asked for a chunk of cadres at a
time (``user_id IN (...)``): about ten queries per chunk of CHUNK cadres, whatever the
chunk's size, instead of about ten per cadre. The records come out exactly as
``build_cadre_record`` builds them one at a time (a test holds them equal), minus the
courses recommended next, which a printed record does not show.
"""

from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, lazyload

from app.domain.competency import weakest_area
from app.domain.vocabulary import CompetencyArea
from app.extensions import db
from app.models import AppraisalExemption, AppraisalResult, OrgUnit, User
from app.services.appraisal.schemes import schemes_of_year
from app.services.core.access import ensure_may_manage_unit
from app.services.records.competency import CompetencyProfile, mastery_profiles
from app.services.records.documents import (
    CadreRecord,
    appraisal_line,
    cadre_record_from,
    certificates_by_user,
    check_year,
)
from app.services.records.hours import hours_standing_of, ledger_lines_by_user
from app.services.records.learning_record import LearningRecord, record_lines

CHUNK = 200


def unit_cadres(unit: OrgUnit) -> list[User]:
    """The active cadres of the unit's subtree, in tree then name order, in one query."""
    return list(db.session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(unit.subtree_condition(), User.active.is_(True))
        # Their units come along; their roles (selectin by default: one more query per
        # 500 cadres) are never needed for a record.
        .options(joinedload(User.org_unit), lazyload(User.roles))
        .order_by(OrgUnit.path, User.name, User.username)))


def _profiles(ids, now: datetime) -> dict[int, CompetencyProfile]:
    """Every cadre's standing per area (mastery_profile's one query, for the whole chunk)."""
    return {user_id: CompetencyProfile(
                standings=standings, weakest=weakest_area(standings, list(CompetencyArea)),
                next_courses=[])
            for user_id, standings in mastery_profiles(ids, now=now).items()}


def _appraisals(ids, year):
    results = {r.user_id: r for r in db.session.scalars(select(AppraisalResult).where(
        AppraisalResult.user_id.in_(ids), AppraisalResult.year == year))}
    exemptions = {e.user_id: e for e in db.session.scalars(select(AppraisalExemption).where(
        and_(AppraisalExemption.user_id.in_(ids), AppraisalExemption.year == year)))}
    return {i: appraisal_line(results.get(i), exemptions.get(i)) for i in ids}


def build_chunk(people: list[User], *, year: int, now: datetime) -> list[CadreRecord]:
    """The records of these cadres (already checked to be in scope), in their order."""
    ids = [p.id for p in people]
    lines = record_lines(ids, year)
    profiles, appraisals = _profiles(ids, now), _appraisals(ids, year)
    certificates = certificates_by_user(ids, year)
    schemes, ledgers = schemes_of_year(year), ledger_lines_by_user(ids, year)
    records = []
    for person in people:
        record = LearningRecord(
            person=person, year=year, years=[],
            standing=hours_standing_of(person, year, schemes, ledgers[person.id]),
            hours=lines[person.id].hours, completed=lines[person.id].completed,
            results=lines[person.id].results, appeals=lines[person.id].appeals,
            videos=lines[person.id].videos, profile=profiles[person.id])
        records.append(cadre_record_from(record, person.org_unit, appraisals[person.id],
                                         certificates.get(person.id, [])))
    return records


def unit_records(unit: OrgUnit, *, actor: User, year: int, now: datetime,
                 progress: Callable[[int, int], None] | None = None,
                 chunk: int = CHUNK) -> tuple[int, Iterator[CadreRecord]]:
    """How many cadres, and their records one chunk of queries at a time (lazily).

    Scope and year are checked at once; ``progress(done, total)`` is called after each
    chunk, from inside the iteration.
    """
    ensure_may_manage_unit(actor, unit)
    check_year(year, now)
    people = unit_cadres(unit)
    return len(people), _records(people, year=year, now=now, progress=progress, chunk=chunk)


def _records(people, *, year, now, progress, chunk) -> Iterator[CadreRecord]:
    for offset in range(0, len(people), chunk):
        part = people[offset:offset + chunk]
        yield from build_chunk(part, year=year, now=now)
        if progress:
            progress(offset + len(part), len(people))
