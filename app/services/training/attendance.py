"""QR check-in to a class session (issue 20): the projector's current code, and a cadre's
scan checked in or refused.

The projector shows the code of the current 30 s window (app.domain.attendance); a phone
that opens it is stamped with the moment (app.domain.check_in_scan) so signing in on the
way does not expire the code. A scan is judged at that moment: the code (expired, forged,
another session's), the session's times (too early, closed), the membership (enrolled),
and whether the cadre is already checked in. A refusal leaves a CheckInAttempt for the
organizer and nothing else (an enrolled cadre who fails stays absent); "already" leaves
nothing at all. The check-in itself is a handful of statements: the cadre's membership and
attendance in one read, one insert (the unique key on session and cadre makes a double
submit or a second tab a no-op), one audit event.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.domain.attendance import (
    Arrival,
    CheckInTimes,
    CodeCheck,
    arrival,
    check_in_code,
    time_window,
    verify_check_in_code,
)
from app.domain.check_in_scan import scan_stamp, stamped_moment
from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    CheckInRefusal,
    ClassStatus,
    MemberStatus,
)
from app.extensions import db
from app.models import Attendance, CheckInAttempt, ClassMember, ClassSession, TrainingClass, User
from app.services.core.audit import record_event
from app.services.core.errors import NotFound
from app.services.training.access import find_managed_class

#: Statuses that mean the cadre was there: a second scan changes nothing.
ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


def session_target(session: ClassSession) -> str:
    return f"class_session:{session.id}"


def find_managed_session(class_id: int, session_id: int, *, actor: User) -> ClassSession:
    """A session of a class the actor runs (NotFound for a session of another class,
    PermissionDenied for a class that is not theirs)."""
    training_class = find_managed_class(class_id, actor=actor)
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != training_class.id:
        raise NotFound(f"session {session_id} of class {class_id}")
    return session


def find_scanned_session(session_id: int) -> ClassSession:
    """The session a scanned address names, with its class (one statement)."""
    session = db.session.scalar(
        select(ClassSession).options(joinedload(ClassSession.training_class))
        .where(ClassSession.id == session_id))
    if session is None:
        raise NotFound(f"class session {session_id}")
    return session


def check_in_times(training_class: TrainingClass) -> CheckInTimes:
    return CheckInTimes(opens_before=timedelta(minutes=training_class.opens_before_minutes),
                        late_after=timedelta(minutes=training_class.late_after_minutes))


@dataclass(frozen=True)
class ShownCode:
    """What the projector shows now: the window, its code, and the seconds it has left."""

    window: int
    code: str
    seconds_left: int


def current_code(session: ClassSession, *, now: datetime, window_seconds: int = 30) -> ShownCode:
    window = time_window(now, window_seconds)
    left = (window + 1) * window_seconds - now.timestamp()
    return ShownCode(window, check_in_code(session.check_in_secret, session.id, window),
                     max(1, int(left + 0.999)))


def stamp_for_scan(session: ClassSession, window: int, code: str, stamp: str | None, *,
                   now: datetime) -> str | None:
    """The stamp the phone page carries on: the one it has when that is genuine and fresh
    (never renewed), a new one when the code is valid now, else none."""
    secret = session.check_in_secret
    if stamped_moment(secret, session.id, window, code, stamp, now=now) is not None:
        return stamp
    if verify_check_in_code(secret, session.id, window, code, now=now) is CodeCheck.VALID:
        return scan_stamp(secret, session.id, window, code, now)
    return None


def find_own_attendance(session: ClassSession, user: User) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.user_id == user.id))


@dataclass(frozen=True)
class CheckInResult:
    """A checked-in scan has a status and no refusal; "already" has both (the earlier
    status when known); any other refusal has no status."""

    status: AttendanceStatus | None
    refusal: CheckInRefusal | None
    recorded_at: datetime | None


def check_in_by_code(session: ClassSession, window: int, code: str, *, actor: User,
                     now: datetime, stamp: str | None = None,
                     ip: str | None = None) -> CheckInResult:
    """Check the actor in with a scanned (window, code), or refuse and say why."""
    member_status, existing = _standing(session, actor)
    if existing is not None and existing.status in ATTENDED:
        return CheckInResult(existing.status, CheckInRefusal.ALREADY, existing.recorded_at)
    seen_at = stamped_moment(session.check_in_secret, session.id, window, code, stamp,
                             now=now) or now
    refusal = (_code_refusal(session, window, code, seen_at)
               or _time_refusal(session, seen_at)
               or (None if member_status is MemberStatus.ENROLLED
                   else CheckInRefusal.NOT_ENROLLED))
    if refusal is not None:
        _record_refusal(session, actor, refusal, window=window, now=now, ip=ip)
        return CheckInResult(None, refusal, None)
    timing = arrival(seen_at, starts=session.starts_at, ends=session.ends_at,
                     times=check_in_times(session.training_class))
    status = AttendanceStatus.PRESENT if timing is Arrival.ON_TIME else AttendanceStatus.LATE
    before = existing.status if existing is not None else None
    if not _record_attendance(session, actor, status, existing, now):
        return CheckInResult(None, CheckInRefusal.ALREADY, None)  # another tab, a moment ago
    details = {"status": status.value, "scanned_at": seen_at.isoformat(timespec="seconds")}
    if before is not None:
        details["before"] = before.value
    record_event("attendance.checked_in", actor=actor, target=session_target(session),
                 details=details, ip=ip)
    return CheckInResult(status, None, now)


def _standing(session: ClassSession, user: User) -> tuple[MemberStatus | None,
                                                          Attendance | None]:
    """The user's place in the class and attendance at the session, in one statement."""
    row = db.session.execute(
        select(ClassMember.status, Attendance)
        .outerjoin(Attendance, and_(Attendance.session_id == session.id,
                                    Attendance.user_id == ClassMember.user_id))
        .where(ClassMember.class_id == session.class_id, ClassMember.user_id == user.id)
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


def _code_refusal(session: ClassSession, window: int, code: str,
                  seen_at: datetime) -> CheckInRefusal | None:
    check = verify_check_in_code(session.check_in_secret, session.id, window, code,
                                 now=seen_at)
    if check is CodeCheck.VALID:
        return None
    if check is CodeCheck.EXPIRED:
        return CheckInRefusal.EXPIRED
    if check is CodeCheck.FORGED and _code_of_another_session(session, window, code):
        return CheckInRefusal.OTHER_SESSION
    return CheckInRefusal.FORGED  # FUTURE too: no projector has shown that window yet


def _code_of_another_session(session: ClassSession, window: int, code: str) -> bool:
    """Whether the code is another session's of the same class (the address was edited to
    name this one): one statement, on the refusal path only."""
    others = db.session.execute(
        select(ClassSession.id, ClassSession.check_in_secret)
        .where(ClassSession.class_id == session.class_id, ClassSession.id != session.id)).all()
    return any(check_in_code(secret, other_id, window) == code.lower()
               for other_id, secret in others)


def _time_refusal(session: ClassSession, seen_at: datetime) -> CheckInRefusal | None:
    training_class = session.training_class
    if training_class.status is not ClassStatus.OPEN:
        return CheckInRefusal.CLOSED  # a draft, finished or cancelled class takes no scans
    timing = arrival(seen_at, starts=session.starts_at, ends=session.ends_at,
                     times=check_in_times(training_class))
    return {Arrival.TOO_EARLY: CheckInRefusal.TOO_EARLY,
            Arrival.CLOSED: CheckInRefusal.CLOSED}.get(timing)


def _record_refusal(session: ClassSession, user: User, refusal: CheckInRefusal, *,
                    window: int, now: datetime, ip: str | None) -> None:
    db.session.add(CheckInAttempt(session_id=session.id, user_id=user.id, refusal=refusal,
                                  attempted_at=now))
    record_event("attendance.check_in_refused", actor=user, target=session_target(session),
                 details={"refusal": refusal.value, "window": window}, ip=ip)


def _record_attendance(session: ClassSession, user: User, status: AttendanceStatus,
                       existing: Attendance | None, now: datetime) -> bool:
    """Insert the row (False when another request inserted it first), or turn a leave or
    an absence set earlier into the scan's status (the cadre came after all)."""
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(Attendance(session_id=session.id, user_id=user.id,
                                          status=status, method=AttendanceMethod.QR,
                                          recorded_at=now))
        except IntegrityError:
            return False
        return True
    changed = db.session.execute(
        update(Attendance)
        .where(Attendance.id == existing.id, Attendance.status.not_in(ATTENDED))
        .values(status=status, method=AttendanceMethod.QR, recorded_at=now,
                recorded_by_id=None, reason="")
        .execution_options(synchronize_session="fetch"))
    return changed.rowcount == 1
