"""Finishing a training class: the completion decided once, hours credited, certificates.

A manager finishes an open class once its last session has ended. Each enrolled member
whose standing is complete (app.services.training.completion) then gets, at once:
``completed_at``; a face-to-face ledger line of the hours of the sessions they attended
(present or late), in the year the class ended, through ledger.credit_class_members; and the
class certificate (结业证书) with those hours. Members who did not complete get nothing;
their standing stays readable on the completion page with the reasons.

Finishing is idempotent: the status moves from open to finished in one conditional
UPDATE, so a second finish (a double click, a concurrent request, which waits for the
first one's row lock on PostgreSQL) changes nothing. It is refused while the class is a
draft or cancelled, has no sessions or a session still to end, and when the year the class
ended is a closed appraisal year (its hours cannot change). Audited as
``training_class.finished``.

Statements: about 25 for the class, whatever its size: the ledger lines, the certificates
and their audit events are each written for the whole class at once.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select, update

from app.domain.class_vocabulary import ClassStatus
from app.extensions import db
from app.models import ClassMember, ClassSession, TrainingClass, User
from app.services.appraisal.closing import ensure_year_open
from app.services.certificates.classes import issue_class_certificates
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.training.access import ensure_may_manage_class
from app.services.training.completion import MemberStanding, compute_standings
from app.services.training.ledger import credit_class_members


class ClassNotFinishable(ServiceError):
    """Why a class cannot be finished now: "not_open", "no_sessions" or "not_over"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class FinishOutcome:
    already: bool  # the class was finished before: nothing changed
    completed: int = 0
    not_completed: int = 0
    hours: Decimal = Decimal(0)  # face-to-face hours credited, all members together
    certificates: int = 0


def finish_refusal(training_class: TrainingClass, now: datetime) -> str | None:
    """Why the class cannot be finished now (ClassNotFinishable's reasons), None if it can."""
    if training_class.status is not ClassStatus.OPEN:
        return "not_open"
    last_end = db.session.scalar(select(func.max(ClassSession.ends_at))
                                 .where(ClassSession.class_id == training_class.id))
    if last_end is None:
        return "no_sessions"
    return "not_over" if last_end > now else None


def finish_class(training_class: TrainingClass, *, actor: User, now: datetime,
                 ip: str | None = None) -> FinishOutcome:
    ensure_may_manage_class(actor, training_class)
    if training_class.status is ClassStatus.FINISHED:
        return FinishOutcome(already=True)
    refusal = finish_refusal(training_class, now)
    if refusal is not None:
        raise ClassNotFinishable(refusal)
    ensure_year_open(training_class.ends_on.year)
    standings = compute_standings(training_class, now=now)
    if not _mark_finished(training_class, now):
        return FinishOutcome(already=True)
    done = [s for s in standings if s.standing.completed]
    outcome = FinishOutcome(
        already=False, completed=len(done), not_completed=len(standings) - len(done),
        hours=sum((s.standing.attended_hours for s in done), Decimal(0)),
        certificates=_complete_members(training_class, done, now))
    record_event("training_class.finished", actor=actor,
                 target=f"training_class:{training_class.id}", ip=ip,
                 details={"completed": outcome.completed,
                          "not_completed": outcome.not_completed,
                          "hours": format(outcome.hours.quantize(Decimal("0.01")), "f"),
                          "certificates": outcome.certificates})
    return outcome


def _mark_finished(training_class: TrainingClass, now: datetime) -> bool:
    """Open → finished, unless another request finished it first."""
    result = db.session.execute(
        update(TrainingClass)
        .where(TrainingClass.id == training_class.id, TrainingClass.status == ClassStatus.OPEN)
        .values(status=ClassStatus.FINISHED, finished_at=now, updated_at=now))
    return result.rowcount == 1


def _complete_members(training_class: TrainingClass, done: list[MemberStanding],
                      now: datetime) -> int:
    """Completion, hours and certificates of the members who completed; certificates issued."""
    if not done:
        return 0
    db.session.execute(update(ClassMember)
                       .where(ClassMember.id.in_([s.member.id for s in done]))
                       .values(completed_at=now))
    credit_class_members(training_class, {s.user.id: s.standing.attended_hours for s in done},
                         now)
    issued = issue_class_certificates(
        training_class, [(s.user, s.standing.attended_hours) for s in done], now=now)
    return len(issued)
