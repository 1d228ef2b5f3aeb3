"""The appraisal scheme per year and unit, exemptions and plan due-date extensions (容错).

A unit's scheme applies to its whole subtree; a cadre is appraised under the scheme of the
nearest unit above them (their own included) that has one for the year, else the city
default (stored with no unit), else the defaults of DESIGN.md §7. The city default is the
admin's; HR edits the schemes of the units they look after and may not make them easier
than the city's. The run itself lives in app.services.appraisal.run.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.appraisal import (
    DEFAULT_FIVE_YEAR_TARGETS,
    Scheme,
    SchemeProblem,
    default_scheme,
    loosened_fields,
)
from app.domain.appraisal import validate_scheme as check_scheme
from app.domain.training_hours import HoursTargets
from app.domain.vocabulary import Rank, RoleName
from app.extensions import db
from app.models import (
    AppraisalExemption,
    AppraisalResult,
    AppraisalScheme,
    OrgUnit,
    PlanDueExtension,
    TrainingPlan,
    User,
)
from app.models.types import utcnow
from app.services.appraisal.closing import ensure_year_open
from app.services.core.access import (
    ensure_may_manage_unit,
    ensure_may_view_person,
    unit_scope_condition,
)
from app.services.core.audit import record_event, user_target
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.core.paging import Page, paginate

RANKS = tuple(rank.value for rank in Rank)


class SchemeInvalid(ServiceError):
    def __init__(self, problems: list[SchemeProblem]):
        super().__init__(", ".join(f"{p.field}: {p.reason}" for p in problems))
        self.problems = problems


class MissingJustification(ServiceError):
    """An exemption or extension without its reason or document reference."""

    def __init__(self, field: str):
        super().__init__(field)
        self.field = field


class BadDueDate(ServiceError):
    """An extension must move the due date later than the plan's."""


def scheme_from_row(row: AppraisalScheme | None) -> Scheme:
    if row is None:
        return default_scheme(RANKS)
    return Scheme(
        hours_targets={rank: int(row.hours_targets.get(rank, 50)) for rank in RANKS},
        weights={"hours": row.weight_hours, "scores": row.weight_scores,
                 "practice": row.weight_practice, "coverage": row.weight_coverage},
        thresholds={"excellent": row.excellent_at, "pass": row.pass_at, "basic": row.basic_at},
        quota_percent=row.quota_percent,
        # A rank missing (a scheme stored before these targets existed) has the defaults.
        online_minimums={rank: int(row.online_minimums.get(rank, 0)) for rank in RANKS},
        five_year_targets={
            rank: int(row.five_year_targets.get(rank, DEFAULT_FIVE_YEAR_TARGETS.get(rank, 0)))
            for rank in RANKS})


def schemes_of_year(year: int) -> dict[int | None, Scheme]:
    """Every stored scheme of the year by unit id (None: the city default); one query."""
    rows = db.session.scalars(select(AppraisalScheme).where(AppraisalScheme.year == year))
    return {row.org_unit_id: scheme_from_row(row) for row in rows}


def scheme_for_unit(schemes: dict[int | None, Scheme], ancestor_ids: list[int]) -> Scheme:
    """The scheme of the nearest unit at or above the one whose ancestor ids are given."""
    for unit_id in reversed(ancestor_ids):
        if unit_id in schemes:
            return schemes[unit_id]
    return schemes.get(None) or default_scheme(RANKS)


def hours_target_for(person: User, year: int, schemes: dict | None = None) -> Decimal:
    """The cadre's yearly hours target: their rank's under the scheme in force for their unit
    (one query, or none when the year's schemes are passed in), so the cadre's own pages and
    the appraisal agree."""
    schemes = schemes_of_year(year) if schemes is None else schemes
    return Decimal(scheme_for_unit(schemes, person.org_unit.ancestor_ids)
                   .target_for(person.rank.value))


def hours_targets_of(person: User, year: int, schemes: dict | None = None) -> HoursTargets:
    """The cadre's targets of the year: total, online minimum and five-year total."""
    schemes = schemes_of_year(year) if schemes is None else schemes
    return (scheme_for_unit(schemes, person.org_unit.ancestor_ids)
            .hours_targets_for(person.rank.value))


def is_city(unit: OrgUnit | None) -> bool:
    return unit is None or unit.parent_id is None


def find_scheme(year: int, unit: OrgUnit | None) -> tuple[Scheme, bool]:
    """The scheme in force for a unit (None: the city) and whether the unit has its own."""
    schemes = schemes_of_year(year)
    if is_city(unit):
        return schemes.get(None) or default_scheme(RANKS), None in schemes
    return scheme_for_unit(schemes, unit.ancestor_ids), unit.id in schemes


def ensure_may_edit_scheme(actor: User, unit: OrgUnit | None) -> None:
    """Admins edit the city default; HR (and admins) the schemes of units they manage."""
    if is_city(unit):
        if not actor.has_role(RoleName.ADMIN):
            raise PermissionDenied("only an administrator edits the city default")
        return
    ensure_may_manage_unit(actor, unit)


def may_edit_scheme(actor: User, unit: OrgUnit | None) -> bool:
    try:
        ensure_may_edit_scheme(actor, unit)
    except PermissionDenied:
        return False
    return True


def save_scheme(year: int, unit: OrgUnit | None, scheme: Scheme, *, actor: User
                ) -> AppraisalScheme:
    """Store a unit's (or the city's) scheme; refuses invalid or loosened schemes."""
    ensure_may_edit_scheme(actor, unit)
    ensure_year_open(year)
    problems = check_scheme(scheme)
    if not problems and not is_city(unit):
        city = schemes_of_year(year).get(None) or default_scheme(RANKS)
        problems = [SchemeProblem(name, "looser") for name in loosened_fields(scheme, city)]
    if problems:
        raise SchemeInvalid(problems)
    unit_id = None if is_city(unit) else unit.id
    row = db.session.scalar(select(AppraisalScheme).where(
        AppraisalScheme.year == year, AppraisalScheme.org_unit_id.is_(None) if unit_id is None
        else AppraisalScheme.org_unit_id == unit_id))
    if row is None:
        row = AppraisalScheme(year=year, org_unit_id=unit_id)
        db.session.add(row)
    row.hours_targets = {rank: scheme.target_for(rank) for rank in RANKS}
    row.online_minimums = {rank: scheme.online_minimum_for(rank) for rank in RANKS}
    row.five_year_targets = {rank: scheme.five_year_target_for(rank) for rank in RANKS}
    row.weight_hours, row.weight_scores = scheme.weights["hours"], scheme.weights["scores"]
    row.weight_practice = scheme.weights["practice"]
    row.weight_coverage = scheme.weights["coverage"]
    row.excellent_at = scheme.thresholds["excellent"]
    row.pass_at, row.basic_at = scheme.thresholds["pass"], scheme.thresholds["basic"]
    row.quota_percent = scheme.quota_percent
    row.updated_by_id, row.updated_at = actor.id, utcnow()
    db.session.flush()
    record_event("appraisal.scheme_saved", actor=actor,
                 target=f"org_unit:{unit_id}" if unit_id else "city",
                 details={"year": year, "weights": dict(scheme.weights),
                          "thresholds": dict(scheme.thresholds),
                          "quota_percent": scheme.quota_percent,
                          "hours_targets": dict(row.hours_targets),
                          "online_minimums": dict(row.online_minimums),
                          "five_year_targets": dict(row.five_year_targets)})
    return row


def ensure_may_appraise(actor: User, person: User) -> None:
    """HR in whose scope the person is, or an administrator."""
    if not actor.has_role(RoleName.HR, RoleName.ADMIN):
        raise PermissionDenied("only HR grants exemptions and extensions")
    ensure_may_view_person(actor, person)


def _justification(reason: str, document_ref: str) -> tuple[str, str]:
    reason, document_ref = (reason or "").strip(), (document_ref or "").strip()
    if not reason:
        raise MissingJustification("reason")
    if not document_ref:
        raise MissingJustification("document_ref")
    return reason, document_ref


def grant_exemption(person: User, year: int, *, reason: str, document_ref: str,
                    actor: User) -> AppraisalExemption:
    """Exempt the person from the year's appraisal (replacing an earlier exemption's text)."""
    ensure_may_appraise(actor, person)
    ensure_year_open(year)
    reason, document_ref = _justification(reason, document_ref)
    row = find_exemption(person, year)
    if row is None:
        row = AppraisalExemption(user_id=person.id, year=year)
        db.session.add(row)
    row.reason, row.document_ref = reason, document_ref
    row.granted_by_id, row.granted_at = actor.id, utcnow()
    db.session.flush()
    record_event("appraisal.exemption_granted", actor=actor, target=user_target(person),
                 details={"year": year, "reason": reason, "document_ref": document_ref})
    return row


def find_exemption(person: User, year: int) -> AppraisalExemption | None:
    return db.session.scalar(select(AppraisalExemption).where(
        AppraisalExemption.user_id == person.id, AppraisalExemption.year == year))


def plans_covering(person: User) -> list[TrainingPlan]:
    """Training plans whose unit contains the person's unit (their due dates may move)."""
    ids = person.org_unit.ancestor_ids
    return list(db.session.scalars(select(TrainingPlan).where(TrainingPlan.org_unit_id.in_(ids))
                                   .order_by(TrainingPlan.year.desc(), TrainingPlan.due_on)))


def grant_plan_extension(person: User, plan: TrainingPlan, due_on: date, *, reason: str,
                         document_ref: str, actor: User) -> PlanDueExtension:
    """Move the plan's due date for one cadre; the new date must be after the plan's."""
    ensure_may_appraise(actor, person)
    if plan.id not in {p.id for p in plans_covering(person)}:
        raise PermissionDenied("this plan does not cover the person")
    if due_on <= plan.due_on:
        raise BadDueDate(str(plan.due_on))
    reason, document_ref = _justification(reason, document_ref)
    row = db.session.scalar(select(PlanDueExtension).where(
        PlanDueExtension.plan_id == plan.id, PlanDueExtension.user_id == person.id))
    if row is None:
        row = PlanDueExtension(plan_id=plan.id, user_id=person.id)
        db.session.add(row)
    row.due_on, row.reason, row.document_ref = due_on, reason, document_ref
    row.granted_by_id, row.granted_at = actor.id, utcnow()
    db.session.flush()
    record_event("appraisal.plan_extended", actor=actor, target=user_target(person),
                 details={"plan_id": plan.id, "due_on": due_on.isoformat(), "reason": reason,
                          "document_ref": document_ref})
    return row


def list_extensions(person: User) -> list[PlanDueExtension]:
    return list(db.session.scalars(
        select(PlanDueExtension).where(PlanDueExtension.user_id == person.id)
        .options(joinedload(PlanDueExtension.plan)).order_by(PlanDueExtension.due_on)))


@dataclass(frozen=True)
class CadreAppraisal:
    person: User
    year: int
    result: AppraisalResult | None
    exemption: AppraisalExemption | None


def find_cadre_appraisal(person: User, year: int, *, actor: User) -> CadreAppraisal:
    """A cadre's result for the year: the cadre themselves, HR in scope or an admin."""
    ensure_may_view_person(actor, person)
    result = db.session.scalar(select(AppraisalResult).where(
        AppraisalResult.user_id == person.id, AppraisalResult.year == year))
    return CadreAppraisal(person, year, result, find_exemption(person, year))


def list_results(year: int, *, actor: User, unit: OrgUnit | None, page: int, per_page: int
                 ) -> Page:
    """One page of the year's results in the actor's scope (optionally one unit's subtree)."""
    if not actor.has_role(RoleName.HR, RoleName.ADMIN):
        raise PermissionDenied("only HR sees appraisal results")
    statement = (
        select(AppraisalResult).join(OrgUnit, OrgUnit.id == AppraisalResult.org_unit_id)
        .where(AppraisalResult.year == year, unit_scope_condition(actor))
        .options(joinedload(AppraisalResult.user), joinedload(AppraisalResult.org_unit))
        .order_by(OrgUnit.path, AppraisalResult.index.desc(), AppraisalResult.user_id))
    if unit is not None:
        statement = statement.where(unit.subtree_condition())
    return paginate(statement, page=page, per_page=per_page)


def list_exemptions(year: int, *, actor: User) -> list[AppraisalExemption]:
    return list(db.session.scalars(
        select(AppraisalExemption).join(User, User.id == AppraisalExemption.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(AppraisalExemption.year == year, unit_scope_condition(actor))
        .options(joinedload(AppraisalExemption.user)).order_by(AppraisalExemption.granted_at)))
