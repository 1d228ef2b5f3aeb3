"""Leave requests (请假) for a class session (issue 20).

An enrolled member asks to be excused from a session that has not ended, with a reason;
they may withdraw it while it is pending. The class's organizer approves it (the member's
attendance at the session becomes LEAVE, by method LEAVE: excused, not attended, so its
hours do not count) or rejects it with a note. One request per member and session: asking
again after a rejection or a withdrawal reuses the row. Every step is audited.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    MemberStatus,
    RequestStatus,
)
from app.extensions import db
from app.models import Attendance, ClassMember, ClassSession, LeaveRequest, TrainingClass, User
from app.services.core.audit import clip, record_event
from app.services.core.errors import NotFound, PermissionDenied, ServiceError
from app.services.training.access import ensure_may_manage_class, find_class
from app.services.training.attendance import ATTENDED, session_target

MAX_TEXT = 500


class LeaveRefused(ServiceError):
    """``reason``: reason_required, text_too_long, session_over, class_closed, pending,
    approved, checked_in, not_pending, note_required."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def find_member_session(class_id: int, session_id: int, *, actor: User) -> ClassSession:
    """A session of a class the actor is enrolled in (PermissionDenied otherwise)."""
    training_class = find_class(class_id)
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != training_class.id:
        raise NotFound(f"session {session_id} of class {class_id}")
    status = db.session.scalar(select(ClassMember.status).where(
        ClassMember.class_id == class_id, ClassMember.user_id == actor.id))
    if status is not MemberStatus.ENROLLED:
        raise PermissionDenied("not enrolled in this class",
                               target=f"training_class:{class_id}")
    return session


def find_own_leave(session: ClassSession, user: User) -> LeaveRequest | None:
    return db.session.scalar(select(LeaveRequest).where(
        LeaveRequest.session_id == session.id, LeaveRequest.user_id == user.id))


def request_leave(session: ClassSession, reason: str, *, actor: User, now: datetime,
                  ip: str | None = None) -> LeaveRequest:
    """The actor (found enrolled by find_member_session) asks to be excused."""
    reason = _required_text(reason, "reason_required")
    _ensure_open(session.training_class)
    if now >= session.ends_at:
        raise LeaveRefused("session_over")
    attendance = _attendance(session, actor.id)
    if attendance is not None and attendance.status in ATTENDED:
        raise LeaveRefused("checked_in")
    leave = find_own_leave(session, actor)
    if leave is not None and leave.status in (RequestStatus.PENDING, RequestStatus.APPROVED):
        raise LeaveRefused(leave.status.value)
    if leave is None:
        leave = LeaveRequest(session_id=session.id, user_id=actor.id)
        db.session.add(leave)
    leave.reason, leave.status, leave.requested_at = reason, RequestStatus.PENDING, now
    leave.decided_by_id, leave.decided_at, leave.decision_note = None, None, ""
    db.session.flush()
    record_event("attendance.leave_requested", actor=actor, target=session_target(session),
                 details={"leave_request": leave.id, "reason": clip(reason, 200)}, ip=ip)
    return leave


def withdraw_leave(leave: LeaveRequest, *, actor: User, now: datetime,
                   ip: str | None = None) -> None:
    """The requester takes back a pending request."""
    if leave.user_id != actor.id:
        raise PermissionDenied("not your leave request", target=f"leave_request:{leave.id}")
    if leave.status is not RequestStatus.PENDING:
        raise LeaveRefused("not_pending")
    leave.status, leave.decided_at = RequestStatus.WITHDRAWN, now
    db.session.flush()
    record_event("attendance.leave_withdrawn", actor=actor, target=session_target(leave.session),
                 details={"leave_request": leave.id}, ip=ip)


def find_managed_leave(class_id: int, leave_id: int, *, actor: User) -> LeaveRequest:
    """A leave request of a class the actor runs."""
    leave = db.session.scalar(
        select(LeaveRequest).options(joinedload(LeaveRequest.session)
                                     .joinedload(ClassSession.training_class))
        .where(LeaveRequest.id == leave_id))
    if leave is None or leave.session.class_id != class_id:
        raise NotFound(f"leave request {leave_id} of class {class_id}")
    ensure_may_manage_class(actor, leave.session.training_class)
    return leave


def decide_leave(leave: LeaveRequest, *, approve: bool, note: str, actor: User,
                 now: datetime, ip: str | None = None) -> None:
    """Approve (the member's attendance becomes LEAVE) or reject (a note is required)."""
    session = leave.session
    ensure_may_manage_class(actor, session.training_class)
    _ensure_open(session.training_class)
    if leave.status is not RequestStatus.PENDING:
        raise LeaveRefused("not_pending")
    note = note.strip()
    if len(note) > MAX_TEXT:
        raise LeaveRefused("text_too_long")
    if not approve and not note:
        raise LeaveRefused("note_required")
    attendance = _attendance(session, leave.user_id)
    if approve:
        if attendance is not None and attendance.status in ATTENDED:
            raise LeaveRefused("checked_in")
        _excuse(attendance, leave, actor, now)
    leave.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    leave.decided_by_id, leave.decided_at, leave.decision_note = actor.id, now, note
    db.session.flush()
    action = "attendance.leave_approved" if approve else "attendance.leave_rejected"
    record_event(action, actor=actor, target=session_target(session),
                 details={"leave_request": leave.id, "user_id": leave.user_id,
                          "decision_note": clip(note, 200)}, ip=ip)


def _excuse(attendance: Attendance | None, leave: LeaveRequest, actor: User,
            now: datetime) -> None:
    if attendance is None:
        attendance = Attendance(session_id=leave.session_id, user_id=leave.user_id)
        db.session.add(attendance)
    attendance.status, attendance.method = AttendanceStatus.LEAVE, AttendanceMethod.LEAVE
    attendance.recorded_at, attendance.recorded_by_id = now, actor.id
    attendance.reason = clip(leave.reason, MAX_TEXT)


def list_class_leave(training_class: TrainingClass) -> list[LeaveRequest]:
    """Every request of the class's sessions: pending first (oldest first), then the
    decided ones (newest first); one statement with the members and sessions."""
    rows = db.session.scalars(
        select(LeaveRequest)
        .join(ClassSession, ClassSession.id == LeaveRequest.session_id)
        .options(joinedload(LeaveRequest.user).joinedload(User.org_unit),
                 joinedload(LeaveRequest.session))
        .where(ClassSession.class_id == training_class.id)
        .order_by(LeaveRequest.requested_at, LeaveRequest.id)).all()
    pending = [r for r in rows if r.status is RequestStatus.PENDING]
    decided = sorted((r for r in rows if r.status is not RequestStatus.PENDING),
                     key=lambda r: r.decided_at or r.requested_at, reverse=True)
    return pending + decided


def _attendance(session: ClassSession, user_id: int) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.user_id == user_id))


def _ensure_open(training_class: TrainingClass) -> None:
    if training_class.status is not ClassStatus.OPEN:
        raise LeaveRefused("class_closed")


def _required_text(text: str, missing: str) -> str:
    text = (text or "").strip()
    if not text:
        raise LeaveRefused(missing)
    if len(text) > MAX_TEXT:
        raise LeaveRefused("text_too_long")
    return text
