"""HR's review of hours claims: the queue of claims by cadres in scope, one claim with what
surrounds its dates, and the decisions.

Approving writes the recognized hours through the ledger (ledger.credit_claim_hours, the
only way), in the year the training ended; reversing an approval takes them back
(ledger.withdraw_claim_hours). A closed appraisal year refuses both (YearClosed). Every
decision is audited with the claim's state before and after.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from app.domain.class_vocabulary import ClassStatus, MemberStatus, RequestStatus
from app.domain.training_hours import overlaps
from app.extensions import db
from app.models import ClassMember, HoursClaim, OrgUnit, TrainingClass, User
from app.models.types import utcnow
from app.services.core.access import ensure_may_manage_unit, people_scope_condition
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, PermissionDenied, ServiceError
from app.services.core.paging import Page, paginate
from app.services.training.claim_access import (
    REVIEWER_ROLES,
    claim_target,
    ensure_may_decide_claim,
    ensure_may_review_claim,
    find_claim,
)
from app.services.training.claim_flags import compute_flags, domain_claim, refresh_flags
from app.services.training.ledger import credit_claim_hours, withdraw_claim_hours

#: The claim page shows the cadre's other claims and classes this many days around its dates.
CONTEXT_DAYS = 30
MAX_REASON_CHARS = 500


class ClaimStateChanged(ServiceError):
    """The claim is no longer in the state the decision needs (decided meanwhile)."""


class DecisionInvalid(ServiceError):
    """A decision that cannot stand as given: ``field`` and an English message id."""

    def __init__(self, field: str, message: str, **params):
        super().__init__(message)
        self.field = field
        self.params = params


@dataclass(frozen=True)
class ReviewFilter:
    status: RequestStatus | None = None
    flagged: bool = False
    unit: OrgUnit | None = None


def list_claims_for_review(*, actor: User, filters: ReviewFilter = ReviewFilter(),
                           page: int = 1, per_page: int = 50) -> Page:
    """Claims of the cadres the actor may see: pending first (oldest first, a queue), then
    the decided ones, newest first; the cadre and their unit come joined."""
    if not actor.has_role(*REVIEWER_ROLES):
        raise PermissionDenied("only HR reviews claims")
    if filters.unit is not None:
        ensure_may_manage_unit(actor, filters.unit)
    pending = HoursClaim.status == RequestStatus.PENDING
    statement = (
        select(HoursClaim).join(User, User.id == HoursClaim.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(people_scope_condition(actor))
        .options(contains_eager(HoursClaim.user).contains_eager(User.org_unit))
        .order_by(case((pending, 0), else_=1), case((pending, HoursClaim.submitted_at)),
                  HoursClaim.submitted_at.desc(), HoursClaim.id.desc()))
    if filters.status is not None:
        statement = statement.where(HoursClaim.status == filters.status)
    if filters.flagged:
        statement = statement.where(func.json_array_length(HoursClaim.flags) > 0)
    if filters.unit is not None:
        statement = statement.where(filters.unit.subtree_condition())
    return paginate(statement, page=page, per_page=per_page)


def find_claim_for_review(claim_id: int, *, actor: User, lock: bool = False) -> HoursClaim:
    """The claim if the actor may review it; ``lock`` holds its row until the commit."""
    if lock:
        claim = db.session.scalar(select(HoursClaim).where(HoursClaim.id == claim_id)
                                  .with_for_update().execution_options(populate_existing=True))
        if claim is None:
            raise NotFound(f"hours claim {claim_id}")
    else:
        claim = find_claim(claim_id)
    ensure_may_review_claim(actor, claim)
    return claim


@dataclass(frozen=True)
class Nearby:
    """A claim or class of the cadre around the claim's dates; ``overlapping`` its dates."""

    item: HoursClaim | TrainingClass
    overlapping: bool


@dataclass(frozen=True)
class ClaimContext:
    flags: list[str]  # as they are now
    claims: list[Nearby]
    classes: list[Nearby]
    window: tuple[date, date]


def claim_context(claim: HoursClaim) -> ClaimContext:
    """The cadre's other claims (any state) and enrolled classes within CONTEXT_DAYS of the
    claim's dates, and the claim's flags computed afresh (nothing is written)."""
    low = claim.starts_on - timedelta(days=CONTEXT_DAYS)
    high = claim.ends_on + timedelta(days=CONTEXT_DAYS)
    mine = domain_claim(claim)
    claims = db.session.scalars(select(HoursClaim).where(
        HoursClaim.user_id == claim.user_id, HoursClaim.id != claim.id,
        HoursClaim.starts_on <= high, HoursClaim.ends_on >= low)
        .order_by(HoursClaim.starts_on))
    classes = db.session.scalars(
        select(TrainingClass).join(ClassMember, ClassMember.class_id == TrainingClass.id)
        .where(ClassMember.user_id == claim.user_id,
               ClassMember.status == MemberStatus.ENROLLED,
               TrainingClass.status != ClassStatus.CANCELLED,
               TrainingClass.starts_on <= high, TrainingClass.ends_on >= low)
        .order_by(TrainingClass.starts_on))
    return ClaimContext(
        flags=compute_flags([claim])[claim.id],
        claims=[Nearby(c, overlaps(mine, c.starts_on, c.ends_on)) for c in claims],
        classes=[Nearby(c, overlaps(mine, c.starts_on, c.ends_on)) for c in classes],
        window=(low, high))


def approve_claim(claim: HoursClaim, hours: Decimal, reason: str, *, actor: User,
                  now: datetime | None = None) -> HoursClaim:
    """Approve ``hours`` (at most those claimed; fewer need a reason) and credit them."""
    ensure_may_decide_claim(actor, claim)
    _ensure_status(claim, RequestStatus.PENDING)
    reason = _reason(reason, required=False)
    if hours != hours.quantize(Decimal("0.01")):
        raise DecisionInvalid("hours_approved", "At most two decimals (e.g. 0.25).")
    if not Decimal(0) < hours <= claim.hours_claimed:
        raise DecisionInvalid("hours_approved", "Approve more than 0 hours and at most the "
                              "%(hours)s claimed.", hours=claim.hours_claimed)
    if hours < claim.hours_claimed and not reason:
        raise DecisionInvalid("reason", "Say why fewer hours are approved than claimed.")
    now = now or utcnow()
    before = _state(claim)
    credit_claim_hours(claim, hours, now)  # YearClosed before anything is written
    _decide(claim, RequestStatus.APPROVED, hours, reason, actor, now)
    _audit("claims.approved", claim, before, actor)
    return claim


def reject_claim(claim: HoursClaim, reason: str, *, actor: User,
                 now: datetime | None = None) -> HoursClaim:
    ensure_may_decide_claim(actor, claim)
    _ensure_status(claim, RequestStatus.PENDING)
    reason = _reason(reason, required=True)
    before = _state(claim)
    _decide(claim, RequestStatus.REJECTED, None, reason, actor, now or utcnow())
    _audit("claims.rejected", claim, before, actor)
    return claim


def reverse_approval(claim: HoursClaim, reason: str, *, actor: User,
                     now: datetime | None = None) -> HoursClaim:
    """An approval turns out wrong: the claim becomes rejected and its ledger line goes."""
    ensure_may_decide_claim(actor, claim)
    _ensure_status(claim, RequestStatus.APPROVED)
    reason = _reason(reason, required=True)
    before = _state(claim)
    withdraw_claim_hours(claim)  # YearClosed before anything is written
    _decide(claim, RequestStatus.REJECTED, None, reason, actor, now or utcnow())
    _audit("claims.reversed", claim, before, actor)
    return claim


def _ensure_status(claim: HoursClaim, status: RequestStatus) -> None:
    if claim.status is not status:
        raise ClaimStateChanged(claim.status.value)


def _reason(reason: str, *, required: bool) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise DecisionInvalid("reason", "Give the reason: the cadre reads it.")
    if len(reason) > MAX_REASON_CHARS:
        raise DecisionInvalid("reason", "At most %(count)s characters.",
                              count=MAX_REASON_CHARS)
    return reason


def _decide(claim: HoursClaim, status: RequestStatus, hours: Decimal | None, reason: str,
            actor: User, now: datetime) -> None:
    claim.status = status
    claim.hours_approved = hours
    claim.decision_reason = reason
    claim.decided_by_id = actor.id
    claim.decided_at = now
    refresh_flags(claim)  # what HR saw when deciding stays with the claim


def _state(claim: HoursClaim) -> dict:
    hours = claim.hours_approved
    return {"status": claim.status.value, "hours_approved": None if hours is None else str(hours),
            "reason": claim.decision_reason}


def _audit(action: str, claim: HoursClaim, before: dict, actor: User) -> None:
    record_event(action, actor=actor, target=claim_target(claim), details={
        "user_id": claim.user_id, "hours_claimed": str(claim.hours_claimed),
        "year": claim.year, "flags": list(claim.flags or []),
        "before": before, "after": _state(claim)})
