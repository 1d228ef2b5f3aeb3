"""Manual corrections of attendance by the class's organizer (issue 20).

The organizer sets one enrolled member's status at one session (present, late, absent or
on leave) with a reason, always: a phone that would not scan, a cadre who left at the
break, leave agreed by telephone. The row records who corrected it, when and why, and the
audit event keeps the status before (and how it was recorded: none when there was no row)
and after. A finished or cancelled class's attendance
is final (its hours were decided on it).
"""

from datetime import datetime

from sqlalchemy import select

from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    MemberStatus,
)
from app.extensions import db
from app.models import Attendance, ClassMember, ClassSession, User
from app.services.core.audit import clip, record_event
from app.services.core.errors import ServiceError
from app.services.training.access import ensure_may_manage_class
from app.services.training.attendance import session_target

MAX_REASON = 500


class CorrectionRefused(ServiceError):
    """``reason``: reason_required, reason_too_long, not_enrolled, unchanged, class_closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def correct_attendance(session: ClassSession, user_id: int, status: AttendanceStatus,
                       reason: str, *, actor: User, now: datetime,
                       ip: str | None = None) -> Attendance:
    """Set an enrolled member's attendance at the session, with a reason (audited)."""
    ensure_may_manage_class(actor, session.training_class)
    if session.training_class.status in (ClassStatus.FINISHED, ClassStatus.CANCELLED):
        raise CorrectionRefused("class_closed")
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionRefused("reason_required")
    if len(reason) > MAX_REASON:
        raise CorrectionRefused("reason_too_long")
    member_status = db.session.scalar(select(ClassMember.status).where(
        ClassMember.class_id == session.class_id, ClassMember.user_id == user_id))
    if member_status is not MemberStatus.ENROLLED:
        raise CorrectionRefused("not_enrolled")
    row = db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.user_id == user_id))
    before = row.status.value if row is not None else AttendanceStatus.ABSENT.value
    before_method = row.method.value if row is not None else None
    if (row.status if row is not None else AttendanceStatus.ABSENT) is status:
        raise CorrectionRefused("unchanged")
    if row is None:
        row = Attendance(session_id=session.id, user_id=user_id)
        db.session.add(row)
    row.status, row.method = status, AttendanceMethod.CORRECTION
    row.recorded_at, row.recorded_by_id, row.reason = now, actor.id, reason
    db.session.flush()
    record_event("attendance.corrected", actor=actor, target=session_target(session),
                 details={"user_id": user_id, "before": before, "before_method": before_method,
                          "after": status.value, "reason": clip(reason, 200)}, ip=ip)
    return row
