"""Hours earned elsewhere (学时认定), the cadre's side: submit a claim with its proof, list
one's claims, withdraw a pending one. HR's side is claim_review.

A claim is checked whole before anything is written, and every problem is named with its
field: the domain's rules (dates in order, hours above 0 and at most 8 a day), no training
in the future, none from before the five years the targets count, none into a closed
appraisal year, and a proof that really is a PDF or an image (proofs.py). A refused claim
writes nothing, so no proof is ever left without its claim.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.domain.claim_proofs import ProofRefused
from app.domain.class_vocabulary import ClaimKind, RequestStatus
from app.domain.learning import local_today
from app.domain.training_hours import (
    CUMULATIVE_YEARS,
    Claim,
    claim_problems,
    folded_certificate_number,
)
from app.extensions import db
from app.models import HoursClaim, User
from app.models.types import utcnow
from app.services.appraisal.closing import is_year_closed
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.core.paging import Page, paginate
from app.services.training.claim_access import claim_target, find_claim
from app.services.training.claim_flags import refresh_flags
from app.services.training.proofs import (
    ProofUpload,
    check_proof_upload,
    describe_proof,
    store_proof,
)

#: Longest texts, as the columns hold them.
TEXT_LIMITS = {"title": 200, "organizer": 100, "certificate_number": 100}
#: The most one claim may hold (the column's five digits, two of them decimals).
MAX_CLAIM_HOURS = Decimal("999.99")
#: Which field each of the domain's claim_problems concerns.
DOMAIN_PROBLEM_FIELDS = {
    "The training cannot end before it starts.": "ends_on",
    "The hours claimed must be more than 0.": "hours_claimed",
    "More hours are claimed than the dates allow (at most 8 a day).": "hours_claimed",
}


@dataclass(frozen=True)
class ClaimDraft:
    """What the cadre typed."""

    title: str
    organizer: str
    kind: ClaimKind
    starts_on: date
    ends_on: date
    hours_claimed: Decimal
    certificate_number: str = ""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str  # an English message id
    params: dict = field(default_factory=dict)


class ClaimInvalid(ServiceError):
    """The claim cannot be accepted: each problem names its field; ``proof_refused`` says
    why the proof file is not one."""

    def __init__(self, problems: list[FieldProblem], proof_refused: ProofRefused | None):
        super().__init__("; ".join(p.message for p in problems) or str(proof_refused))
        self.problems = problems
        self.proof_refused = proof_refused


class ClaimNotPending(ServiceError):
    """The claim was decided or withdrawn already."""


def submit_claim(draft: ClaimDraft, proof: ProofUpload, *, actor: User,
                 now: datetime | None = None) -> HoursClaim:
    """Record a pending claim of the actor's with its proof, flagged for HR."""
    now = now or utcnow()
    draft = _trimmed(draft)
    problems = claim_field_problems(draft, today=local_today(now))
    try:
        checked = check_proof_upload(proof)
    except ProofRefused as refused:
        raise ClaimInvalid(problems, refused) from refused
    if problems:
        raise ClaimInvalid(problems, None)
    claim = HoursClaim(
        user_id=actor.id, title=draft.title, organizer=draft.organizer, kind=draft.kind,
        starts_on=draft.starts_on, ends_on=draft.ends_on, hours_claimed=draft.hours_claimed,
        certificate_number=draft.certificate_number,
        certificate_key=folded_certificate_number(draft.certificate_number),
        status=RequestStatus.PENDING, flags=[], submitted_at=now)
    describe_proof(claim, proof, checked)
    db.session.add(claim)
    db.session.flush()
    store_proof(claim, proof.data)
    refresh_flags(claim)
    record_event("claims.submitted", actor=actor, target=claim_target(claim), details={
        "title": claim.title, "kind": claim.kind.value, "from": claim.starts_on.isoformat(),
        "to": claim.ends_on.isoformat(), "hours_claimed": str(claim.hours_claimed),
        "number": claim.certificate_number, "flags": list(claim.flags),
        "file": {"name": claim.proof_name, "type": claim.proof_type,
                 "bytes": claim.proof_bytes}})
    return claim


def claim_field_problems(draft: ClaimDraft, *, today: date) -> list[FieldProblem]:
    """Every problem of the typed claim (the proof aside), each with its field."""
    problems = [FieldProblem(name, "At most %(count)s characters.", {"count": limit})
                for name, limit in TEXT_LIMITS.items() if len(getattr(draft, name)) > limit]
    problems += [FieldProblem(name, "This field is required.")
                 for name in ("title", "organizer") if not getattr(draft, name)]
    hours = draft.hours_claimed
    if hours != hours.quantize(Decimal("0.01")):
        problems.append(FieldProblem("hours_claimed", "At most two decimals (e.g. 0.25)."))
    elif hours > MAX_CLAIM_HOURS:
        problems.append(FieldProblem("hours_claimed", "At most %(hours)s hours in one claim.",
                                     {"hours": MAX_CLAIM_HOURS}))
    problems += [FieldProblem(DOMAIN_PROBLEM_FIELDS[message], message)
                 for message in claim_problems(_as_domain(draft))]
    problems += _date_problems(draft, today)
    return problems


def _date_problems(draft: ClaimDraft, today: date) -> list[FieldProblem]:
    first_year = today.year - CUMULATIVE_YEARS + 1
    if draft.ends_on > today:
        return [FieldProblem("ends_on", "The training must be over: claim it once it ended "
                             "(today at the latest).")]
    if draft.ends_on.year < first_year:
        return [FieldProblem("ends_on", "Only training that ended in %(year)s or later can "
                             "be claimed (the five years the targets count).",
                             {"year": first_year})]
    if is_year_closed(draft.ends_on.year):
        return [FieldProblem("ends_on", "The appraisal year %(year)s is closed: its hours "
                             "can no longer change.", {"year": draft.ends_on.year})]
    return []


def _as_domain(draft: ClaimDraft) -> Claim:
    return Claim(draft.starts_on, draft.ends_on, draft.hours_claimed, draft.certificate_number)


def _trimmed(draft: ClaimDraft) -> ClaimDraft:
    return ClaimDraft(
        title=" ".join(draft.title.split()), organizer=" ".join(draft.organizer.split()),
        kind=ClaimKind(draft.kind), starts_on=draft.starts_on, ends_on=draft.ends_on,
        hours_claimed=Decimal(draft.hours_claimed),
        certificate_number=" ".join(draft.certificate_number.split()))


def list_my_claims(*, actor: User, page: int = 1, per_page: int = 50) -> Page:
    """The actor's own claims, newest first."""
    statement = (select(HoursClaim).where(HoursClaim.user_id == actor.id)
                 .order_by(HoursClaim.submitted_at.desc(), HoursClaim.id.desc()))
    return paginate(statement, page=page, per_page=per_page)


def withdraw_claim(claim_id: int, *, actor: User, now: datetime | None = None) -> HoursClaim:
    """The cadre takes back their own pending claim (another's is not found)."""
    claim = find_claim(claim_id)
    if claim.user_id != actor.id:
        raise NotFound(f"hours claim {claim_id}")
    if claim.status is not RequestStatus.PENDING:
        raise ClaimNotPending(claim.status.value)
    claim.status = RequestStatus.WITHDRAWN
    claim.decided_by_id = actor.id
    claim.decided_at = now or utcnow()
    refresh_flags(claim)
    record_event("claims.withdrawn", actor=actor, target=claim_target(claim),
                 details={"from": "pending", "to": "withdrawn"})
    return claim
