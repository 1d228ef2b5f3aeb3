"""A training class's documents for its managers: the roster and attendance sheet for
signing, and the class summary (app.reports.class_roster, app.reports.class_summary).

Only those who manage the class may build them (PermissionDenied). Each is built from a
bounded number of queries whatever the class's size; every download is audited as
``report.downloaded`` like the other HR documents.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from app.domain.class_vocabulary import AttendanceStatus
from app.domain.learning import local_today
from app.extensions import db
from app.models import Attendance, ClassSession, TrainingClass, User
from app.reports.class_roster import (
    ClassHeader,
    ClassRoster,
    RosterMember,
    RosterSession,
    render_class_roster_pdf,
)
from app.reports.class_summary import (
    ClassSummary,
    MemberOutcome,
    SessionAttendance,
    render_class_summary_pdf,
)
from app.services.core.audit import record_event
from app.services.training.access import ensure_may_manage_class
from app.services.training.completion import (
    compute_standings,
    enrolled_members,
    member_ids_query,
)

ROSTER, SUMMARY = "class_roster", "class_summary"


def class_header(training_class: TrainingClass) -> ClassHeader:
    return ClassHeader(title=training_class.title, organizer=training_class.organizer,
                       venue=training_class.venue, unit_name=training_class.org_unit.name,
                       starts_on=training_class.starts_on, ends_on=training_class.ends_on)


def _sessions(training_class: TrainingClass) -> list[ClassSession]:
    return list(db.session.scalars(select(ClassSession).where(
        ClassSession.class_id == training_class.id).order_by(ClassSession.starts_at)))


def build_class_roster(training_class: TrainingClass, *, actor: User) -> ClassRoster:
    """The enrolled members and the schedule (two queries)."""
    ensure_may_manage_class(actor, training_class)
    members = [RosterMember(m.user.name, m.user.username, m.user.org_unit.name)
               for m in enrolled_members(training_class)]
    sessions = [RosterSession(s.starts_at, s.ends_at, s.topic, s.teacher, s.hours)
                for s in _sessions(training_class)]
    return ClassRoster(class_header(training_class), sessions, members)


def _attendance_counts(training_class: TrainingClass) -> dict[tuple[int, str], int]:
    """(session id, status) → how many enrolled members have that attendance."""
    rows = db.session.execute(
        select(Attendance.session_id, Attendance.status, func.count())
        .where(Attendance.session_id.in_(select(ClassSession.id).where(
            ClassSession.class_id == training_class.id)),
            Attendance.user_id.in_(member_ids_query(training_class)))
        .group_by(Attendance.session_id, Attendance.status))
    return {(session_id, status): count for session_id, status, count in rows}


def _session_lines(training_class: TrainingClass, members: int) -> list[SessionAttendance]:
    counts = _attendance_counts(training_class)
    lines = []
    for session in _sessions(training_class):
        present, late, leave = (counts.get((session.id, status), 0) for status in (
            AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEAVE))
        lines.append(SessionAttendance(
            session.starts_at, session.ends_at, session.topic, session.hours, present, late,
            leave, absent=members - present - late - leave))
    return lines


def build_class_summary(training_class: TrainingClass, *, actor: User,
                        now: datetime) -> ClassSummary:
    """Attendance by session and every member's completion (about ten queries)."""
    ensure_may_manage_class(actor, training_class)
    standings = compute_standings(training_class, now=now)
    members = [MemberOutcome(
        s.user.name, s.user.username, s.user.org_unit.name, s.standing.attended_hours,
        s.standing.scheduled_hours, s.standing.courses_missing, s.standing.test_passed,
        s.state, s.standing.missing, s.credited_hours) for s in standings]
    finished = training_class.finished_at
    return ClassSummary(
        class_header(training_class), training_class.attendance_share,
        local_today(finished).isoformat() if finished else None,
        _session_lines(training_class, len(members)), members)


def _font_path() -> str:
    return current_app.config["CJK_FONT_PATH"]


def class_roster_pdf(training_class: TrainingClass, *, actor: User, now: datetime,
                     generated_by: str, ip: str | None = None) -> bytes:
    roster = build_class_roster(training_class, actor=actor)
    _record_download(actor, training_class, ROSTER, ip)
    return render_class_roster_pdf(roster, generated_by=generated_by, generated_at=now,
                                   font_path=_font_path())


def class_summary_pdf(training_class: TrainingClass, *, actor: User, now: datetime,
                      generated_by: str, ip: str | None = None) -> bytes:
    summary = build_class_summary(training_class, actor=actor, now=now)
    _record_download(actor, training_class, SUMMARY, ip)
    return render_class_summary_pdf(summary, generated_by=generated_by, generated_at=now,
                                    font_path=_font_path())


def _record_download(actor: User, training_class: TrainingClass, kind: str,
                     ip: str | None) -> None:
    # The same event as the other HR documents (app.services.records.documents).
    record_event("report.downloaded", actor=actor, target=f"training_class:{training_class.id}",
                 details={"kind": kind, "year": training_class.ends_on.year}, ip=ip)
