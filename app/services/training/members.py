"""A class's members as its managers handle them: the list, approving or rejecting
applications, withdrawing members, and the waitlist moving up.

Capacity counts enrolled members only. A freed place (a withdrawal, a larger class) goes to
the first waiting member in line (by when they were nominated or applied). Changes to one
class's places take the class row's lock first, so two managers approving at once cannot
overfill it. Every decision is audited.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager

from app.domain.class_vocabulary import MemberStatus
from app.domain.training_classes import RUNNING_STATUSES, may_decide, may_withdraw, to_promote
from app.extensions import db
from app.models import ClassMember, OrgUnit, TrainingClass, User
from app.models.types import utcnow
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.core.paging import Page, paginate
from app.services.training.access import ensure_may_manage_class

#: The waitlist's order, and the member list's.
IN_LINE = (ClassMember.requested_at, ClassMember.id)


class MemberRefused(ServiceError):
    """A change to a member that the member's status or the class's does not allow;
    ``code`` names the rule (the web words it)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class MemberDecision:
    member: ClassMember
    promoted: list[int]  # user ids moved up from the waitlist


def lock_places(training_class: TrainingClass) -> None:
    """Take the class row's lock until the transaction ends (PostgreSQL; SQLite writes one
    at a time anyway): decisions on places are made one after the other."""
    db.session.refresh(training_class, ["status"], with_for_update=True)


def status_counts(training_class: TrainingClass) -> dict[MemberStatus, int]:
    """Members by status (one query); statuses with nobody are left out."""
    rows = db.session.execute(
        select(ClassMember.status, func.count(ClassMember.id))
        .where(ClassMember.class_id == training_class.id).group_by(ClassMember.status))
    return {MemberStatus(status): count for status, count in rows}


def fill_places(training_class: TrainingClass, now: datetime | None = None) -> list[int]:
    """Move the first waiting members into free places; their user ids, in line order."""
    counts = status_counts(training_class)
    moving = to_promote(capacity=training_class.capacity,
                        enrolled=counts.get(MemberStatus.ENROLLED, 0),
                        waiting=counts.get(MemberStatus.WAITLISTED, 0))
    if not moving:
        return []
    first = db.session.execute(
        select(ClassMember.id, ClassMember.user_id)
        .where(ClassMember.class_id == training_class.id,
               ClassMember.status == MemberStatus.WAITLISTED)
        .order_by(*IN_LINE).limit(moving)).all()
    db.session.execute(
        update(ClassMember).where(ClassMember.id.in_([row.id for row in first]))
        .values(status=MemberStatus.ENROLLED, decided_at=now or utcnow())
        .execution_options(synchronize_session="fetch"))
    return [row.user_id for row in first]


def list_members(training_class: TrainingClass, *, actor: User,
                 status: MemberStatus | None = None, page: int = 1,
                 per_page: int = 50) -> Page:
    """One page of members (with their accounts and units), in line order."""
    ensure_may_manage_class(actor, training_class)
    statement = (select(ClassMember).join(User, User.id == ClassMember.user_id)
                 .join(OrgUnit, OrgUnit.id == User.org_unit_id)
                 .options(contains_eager(ClassMember.user).contains_eager(User.org_unit))
                 .where(ClassMember.class_id == training_class.id)
                 .order_by(*IN_LINE))
    if status is not None:
        statement = statement.where(ClassMember.status == status)
    return paginate(statement, page=page, per_page=per_page)


def find_member(training_class: TrainingClass, member_id: int) -> ClassMember:
    member = db.session.get(ClassMember, member_id)
    if member is None or member.class_id != training_class.id:
        raise NotFound(f"class member {member_id}")
    return member


def approve_application(member: ClassMember, *, actor: User) -> MemberDecision:
    """An application accepted: a free place, or the end of the line when the class is full."""
    training_class = _decidable(member, actor)
    now = utcnow()
    enrolled = status_counts(training_class).get(MemberStatus.ENROLLED, 0)
    member.status = (MemberStatus.ENROLLED if enrolled < training_class.capacity
                     else MemberStatus.WAITLISTED)
    if member.status is MemberStatus.WAITLISTED:
        member.requested_at = now  # behind those already waiting
    _decided(member, actor, now, "")
    record_event("classes.application_approved", actor=actor, target=_target(member),
                 details={"user_id": member.user_id, "to": member.status.value})
    return MemberDecision(member, [])


def reject_application(member: ClassMember, reason: str, *, actor: User) -> MemberDecision:
    _decidable(member, actor)
    reason = _reason(reason)
    member.status = MemberStatus.REJECTED
    _decided(member, actor, utcnow(), reason)
    record_event("classes.application_rejected", actor=actor, target=_target(member),
                 details={"user_id": member.user_id, "reason": reason})
    return MemberDecision(member, [])


def withdraw_member(member: ClassMember, reason: str, *, actor: User) -> MemberDecision:
    """The organizer takes a member out (with a reason); the first waiting moves up."""
    training_class = member.training_class
    ensure_may_manage_class(actor, training_class)
    _ensure_running(training_class)
    reason = _reason(reason)
    lock_places(training_class)
    if not may_withdraw(member.status):
        raise MemberRefused("not_active")
    before = member.status
    now = utcnow()
    member.status = MemberStatus.WITHDRAWN
    _decided(member, actor, now, reason)
    promoted = fill_places(training_class, now)
    record_event("classes.member_withdrawn", actor=actor, target=_target(member),
                 details={"user_id": member.user_id, "from": before.value, "reason": reason,
                          "promoted": promoted})
    return MemberDecision(member, promoted)


def _decidable(member: ClassMember, actor: User) -> TrainingClass:
    training_class = member.training_class
    ensure_may_manage_class(actor, training_class)
    _ensure_running(training_class)
    lock_places(training_class)
    if not may_decide(member.status):
        raise MemberRefused("not_applied")
    return training_class


def _ensure_running(training_class: TrainingClass) -> None:
    if training_class.status not in RUNNING_STATUSES:
        raise MemberRefused("class_closed")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MemberRefused("reason_required")
    return reason[:500]


def _decided(member: ClassMember, actor: User, now: datetime, reason: str) -> None:
    member.decided_by_id = actor.id
    member.decided_at = now
    member.reason = reason
    db.session.flush()


def _target(member: ClassMember) -> str:
    return f"training_class:{member.class_id}"

