"""What the organizer reads about attendance (issue 20): the live counts of a session, its
refused scans, the per-session sheet of every enrolled member, and the class overview.

Every figure is over the class's enrolled members: a member with no attendance row is
absent, and so is one a correction marked absent. Each read is one statement whatever the
class's size; the caller found the session or class through the managers' access check
(app.services.training.attendance.find_managed_session, access.find_managed_class).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import aliased

from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    CheckInRefusal,
    MemberStatus,
    RequestStatus,
)
from app.extensions import db
from app.models import (
    Attendance,
    CheckInAttempt,
    ClassMember,
    ClassSession,
    LeaveRequest,
    OrgUnit,
    TrainingClass,
    User,
)

#: Refused scans the projector lists (the newest).
PROJECTOR_REFUSALS = 8
#: Refused scans the sheet lists (the newest); a flood of forged scans stays readable.
SHEET_REFUSALS = 200


@dataclass(frozen=True)
class SessionCounts:
    enrolled: int
    present: int
    late: int
    leave: int

    @property
    def checked_in(self) -> int:
        return self.present + self.late

    @property
    def absent(self) -> int:
        return self.enrolled - self.present - self.late - self.leave


def _counted_columns():
    """count of members, and of those present, late, on leave (over the joined rows)."""
    return (func.count(ClassMember.id),
            *(func.count(case((Attendance.status == status, 1)))
              for status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE,
                             AttendanceStatus.LEAVE)))


def count_session_attendance(session: ClassSession) -> SessionCounts:
    row = db.session.execute(
        select(*_counted_columns()).select_from(ClassMember)
        .outerjoin(Attendance, and_(Attendance.session_id == session.id,
                                    Attendance.user_id == ClassMember.user_id))
        .where(ClassMember.class_id == session.class_id,
               ClassMember.status == MemberStatus.ENROLLED)).one()
    return SessionCounts(*row)


@dataclass(frozen=True)
class RefusalLine:
    name: str
    username: str
    refusal: CheckInRefusal
    attempted_at: datetime


def latest_refusals(session: ClassSession, limit: int = PROJECTOR_REFUSALS) -> list[RefusalLine]:
    rows = db.session.execute(
        select(User.name, User.username, CheckInAttempt.refusal, CheckInAttempt.attempted_at)
        .join(User, User.id == CheckInAttempt.user_id)
        .where(CheckInAttempt.session_id == session.id)
        .order_by(CheckInAttempt.attempted_at.desc(), CheckInAttempt.id.desc()).limit(limit))
    return [RefusalLine(*row) for row in rows]


@dataclass(frozen=True)
class SheetLine:
    """One enrolled member on the session's sheet; status None means absent (no row)."""

    user_id: int
    username: str
    name: str
    unit: str
    status: AttendanceStatus | None
    method: AttendanceMethod | None
    recorded_at: datetime | None
    recorded_by: str | None
    reason: str
    leave: RequestStatus | None

    @property
    def shown_status(self) -> AttendanceStatus:
        return self.status or AttendanceStatus.ABSENT


def attendance_sheet(session: ClassSession) -> list[SheetLine]:
    """Every enrolled member with their attendance and leave request, by unit and number."""
    recorder = aliased(User)
    rows = db.session.execute(
        select(User.id, User.username, User.name, OrgUnit.name, Attendance.status,
               Attendance.method, Attendance.recorded_at, recorder.name, Attendance.reason,
               LeaveRequest.status)
        .select_from(ClassMember)
        .join(User, User.id == ClassMember.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .outerjoin(Attendance, and_(Attendance.session_id == session.id,
                                    Attendance.user_id == ClassMember.user_id))
        .outerjoin(recorder, recorder.id == Attendance.recorded_by_id)
        .outerjoin(LeaveRequest, and_(LeaveRequest.session_id == session.id,
                                      LeaveRequest.user_id == ClassMember.user_id))
        .where(ClassMember.class_id == session.class_id,
               ClassMember.status == MemberStatus.ENROLLED)
        .order_by(OrgUnit.path, User.username))
    return [SheetLine(*row[:8], row[8] or "", row[9]) for row in rows]


@dataclass(frozen=True)
class SessionLine:
    session: ClassSession
    counts: SessionCounts
    refused: int
    pending_leave: int


def class_attendance_overview(training_class: TrainingClass) -> list[SessionLine]:
    """Each session with its counts, refused scans and pending leave requests (three
    statements, besides the sessions themselves)."""
    sessions = training_class.sessions
    counts = dict((row[0], SessionCounts(*row[1:])) for row in db.session.execute(
        select(ClassSession.id, *_counted_columns()).select_from(ClassSession)
        .outerjoin(ClassMember, and_(ClassMember.class_id == ClassSession.class_id,
                                     ClassMember.status == MemberStatus.ENROLLED))
        .outerjoin(Attendance, and_(Attendance.session_id == ClassSession.id,
                                    Attendance.user_id == ClassMember.user_id))
        .where(ClassSession.class_id == training_class.id).group_by(ClassSession.id)))
    refused = _per_session(CheckInAttempt, training_class)
    pending = _per_session(LeaveRequest, training_class,
                           LeaveRequest.status == RequestStatus.PENDING)
    empty = SessionCounts(0, 0, 0, 0)
    return [SessionLine(s, counts.get(s.id, empty), refused.get(s.id, 0), pending.get(s.id, 0))
            for s in sessions]


def _per_session(model, training_class: TrainingClass, *conditions) -> dict[int, int]:
    return dict(db.session.execute(
        select(model.session_id, func.count()).join(ClassSession,
                                                   ClassSession.id == model.session_id)
        .where(ClassSession.class_id == training_class.id, *conditions)
        .group_by(model.session_id)).all())
