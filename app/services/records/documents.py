"""What HR documents say: a cadre's training record, a batch of them, and a unit summary.

The data classes belong to the documents that draw them (app.reports.cadre_record,
app.reports.unit_summary); this module fills them. One cadre's record reuses the learning
record, the competency profile and the stored appraisal result; a batch for a unit asks
the same questions for a chunk of cadres at a time (app.services.records.unit_records), so a
unit of 5,000 cadres costs a few queries per chunk, not per cadre. Scope: HR sees only
their subtree, admins everything; a refusal is a PermissionDenied naming the cadre or
unit, which the web layer audits like every 403.
"""

from datetime import datetime

from sqlalchemy import func, select

from app.domain.appraisal import Rating
from app.domain.competency import AreaStanding
from app.domain.learning import local_today, local_year
from app.domain.training_hours import HoursKind
from app.domain.vocabulary import (
    CompetencyArea,
    QuizKind,
    Rank,
    RoleName,
    WorkCategory,
)
from app.extensions import db
from app.models import (
    AppraisalExemption,
    AppraisalResult,
    Certificate,
    OrgUnit,
    Role,
    User,
)
from app.reports.cadre_record import (
    AppealSummary,
    AppraisalLine,
    AreaLine,
    CadreRecord,
    CertificateLine,
)
from app.reports.unit_summary import CommendationLine, CommendationSummary, UnitSummary
from app.services.appraisal.commendation import find_commendation
from app.services.core.access import ensure_may_view_person
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.records.dashboard import (
    build_compliance_list,
    build_unit_dashboard,
    ensure_may_open_unit,
)
from app.services.records.learning_record import (
    FIRST_YEAR,
    BadYear,
    LearningRecord,
    build_learning_record,
)


class UnknownUnit(ServiceError):
    """No org unit has this code."""


class UnknownCadre(ServiceError):
    """No account has this username (or id)."""


def check_year(year: int, now: datetime) -> None:
    if not FIRST_YEAR <= year <= local_year(now):
        raise BadYear(f"{FIRST_YEAR}-{local_year(now)}")


def appraisal_line(result: AppraisalResult | None,
                   exemption: AppraisalExemption | None) -> AppraisalLine | None:
    if result is None and exemption is None:
        return None
    if result is None:
        return AppraisalLine(rating=Rating.EXEMPT, index=None, hours=None, hours_target=None,
                             exemption_reason=exemption.reason)
    weights = result.weights or {}
    components = {"hours": result.hours_component, "scores": result.scores_component,
                  "practice": result.practice_component, "coverage": result.coverage_component}
    return AppraisalLine(
        rating=result.rating, index=result.index, hours=result.hours,
        hours_target=result.hours_target,
        components={name: (value, int(weights.get(name, 0))) for name, value in
                    components.items()},
        exemption_reason=exemption.reason if exemption is not None else None)


def certificate_line(row: Certificate) -> CertificateLine:
    return CertificateLine(serial=row.serial, kind=row.kind, title=row.title, hours=row.hours,
                           score=row.score, issued_at=row.issued_at, status=row.status)


def cadre_record_from(record: LearningRecord, unit: OrgUnit, appraisal: AppraisalLine | None,
                      certificates: list[CertificateLine]) -> CadreRecord:
    """The document's view of a learning record plus the appraisal and certificates."""
    person = record.person
    areas = [AreaLine(area, standing.mastery, standing.items, standing.level)
             for area, standing in _standings(record)]
    return CadreRecord(
        user_id=person.id, username=person.username, name=person.name, unit_name=unit.name,
        unit_code=unit.code, rank=person.rank, category=person.category, year=record.year,
        target=record.target, required_hours=record.required_hours,
        elective_hours=record.elective_hours, percent=record.percent, hours=record.hours,
        face_to_face_hours=record.hours_of(HoursKind.FACE_TO_FACE),
        recognized_hours=record.hours_of(HoursKind.RECOGNIZED),
        online_minimum=record.standing.targets.online_minimum,
        five_year_hours=record.standing.five_year,
        five_year_target=record.standing.targets.five_year,
        completed=record.completed,
        quizzes=[r for r in record.results if r.kind is not QuizKind.EXERCISE],
        exercises=[r for r in record.results if r.kind is QuizKind.EXERCISE],
        areas=areas, weakest=record.profile.weakest if record.profile else None,
        appraisal=appraisal, certificates=certificates, videos=record.videos,
        appeals=[AppealSummary(a.quiz_title, a.position, a.status, a.remedy, a.response,
                               a.created_at) for a in record.appeals])


def _standings(record: LearningRecord) -> list[tuple[CompetencyArea, AreaStanding]]:
    if record.profile is None:
        return []
    return record.profile.rows()


def certificates_by_user(user_ids: list[int], year: int) -> dict[int, list[CertificateLine]]:
    """Certificates issued up to the end of the year (revoked ones too, marked as such)."""
    found: dict[int, list[CertificateLine]] = {}
    for row in db.session.scalars(
            select(Certificate).where(Certificate.user_id.in_(user_ids),
                                      Certificate.year <= year)
            .order_by(Certificate.user_id, Certificate.issued_at, Certificate.serial)):
        found.setdefault(row.user_id, []).append(certificate_line(row))
    return found


def build_cadre_record(person: User, *, actor: User, year: int, now: datetime) -> CadreRecord:
    """One cadre's training record; the actor must see the cadre (HR in scope, admin)."""
    ensure_may_view_person(actor, person)
    record = build_learning_record(person, actor=actor, year=year, now=now)
    result = db.session.scalar(select(AppraisalResult).where(
        AppraisalResult.user_id == person.id, AppraisalResult.year == year))
    exemption = db.session.scalar(select(AppraisalExemption).where(
        AppraisalExemption.user_id == person.id, AppraisalExemption.year == year))
    return cadre_record_from(record, person.org_unit, appraisal_line(result, exemption),
                             certificates_by_user([person.id], year).get(person.id, []))


def find_cadre(*, user_id: int | None = None, username: str | None = None) -> User:
    if user_id is not None:
        person = db.session.get(User, user_id)
    else:
        person = db.session.scalar(select(User).where(User.username_is(username or "")))
    if person is None:
        raise UnknownCadre(str(user_id if user_id is not None else username))
    return person


def find_report_unit(code: str, *, actor: User) -> OrgUnit:
    """The unit a summary or batch is asked for, by code, inside the actor's scope."""
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == (code or "").strip()))
    if unit is None:
        raise UnknownUnit(code)
    ensure_may_open_unit(actor, unit)
    return unit


def operator_actor() -> User:
    """Who the command line acts as: a transient administrator, never saved or audited by
    id (the CLI is the operator's, like ``appraise``: every unit, every cadre)."""
    operator = User(name="operator", username="", rank=Rank.STAFF,
                    category=WorkCategory.ADMINISTRATION)
    operator.roles = [Role(name=RoleName.ADMIN)]
    return operator


def record_download(actor: User | None, *, kind: str, target: str, year: int,
                    ip: str | None = None, **details) -> None:
    record_event("report.downloaded", actor=actor if actor and actor.id else None, target=target,
                 details={"kind": kind, "year": year, **details}, ip=ip)


# --- the unit summary --------------------------------------------------------------------

def _commendation(unit: OrgUnit, year: int, actor: User) -> CommendationSummary | None:
    row = find_commendation(year, unit, actor=actor)
    if row is None:
        return None
    lines = [CommendationLine(
        kind=e.kind, name=e.user.name if e.user else e.team_unit.name,
        unit_name=e.user.org_unit.name if e.user else e.team_unit.name,
        index=e.index, completion=e.completion)
        for e in row.entries if e.removed_reason is None]
    return CommendationSummary(confirmed=row.confirmed_at is not None, lines=lines)


def count_unit_cadres(unit: OrgUnit) -> int:
    """Active cadres of the unit's subtree (one query): how big a document will be."""
    return db.session.scalar(
        select(func.count()).select_from(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(unit.subtree_condition(), User.active.is_(True)))


def build_unit_summary(unit: OrgUnit, *, actor: User, year: int, now: datetime) -> UnitSummary:
    """The year of a unit's subtree for HR in scope or an admin (refusals audited)."""
    ensure_may_open_unit(actor, unit)
    check_year(year, now)
    return UnitSummary(
        unit_name=unit.name, unit_code=unit.code, year=year,
        dashboard=build_unit_dashboard(unit, actor=actor, year=year),
        compliance=build_compliance_list(unit, actor=actor, year=year, today=local_today(now)),
        commendation=_commendation(unit, year, actor))
