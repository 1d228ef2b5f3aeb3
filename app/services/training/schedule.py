"""A class's schedule: sessions added, changed and removed by its managers.

Times are typed in Beijing time and stored in UTC; the rules (inside the class's dates,
ends after it starts, no overlap, hours within the length) are app.domain.training_classes'.
Each session gets its own random check-in key when it is created. A session with attendance
or leave requests recorded is not deleted (its records would go with it).
"""

import secrets
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from sqlalchemy import exists, select

from app.domain.training_classes import ScheduleProblem, Slot, schedule_problems, session_times
from app.extensions import db
from app.models import Attendance, ClassSession, LeaveRequest, TrainingClass, User
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.training.access import ensure_may_manage_class
from app.services.training.classes import class_target, ensure_running

#: Bytes of a session's check-in key (an HMAC key: app.domain.attendance).
SECRET_BYTES = 32


class SessionRefused(ServiceError):
    """A session that breaks the schedule's rules; each problem names its form field."""

    def __init__(self, problems: list[ScheduleProblem]):
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SessionInput:
    day: date
    starts: time  # Beijing time
    ends: time
    topic: str
    hours: Decimal
    teacher: str = ""


def add_class_session(training_class: TrainingClass, data: SessionInput, *,
                      actor: User) -> ClassSession:
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    slot = _checked_slot(training_class, data, None)
    session = ClassSession(class_id=training_class.id, starts_at=slot.starts_at,
                           ends_at=slot.ends_at, check_in_secret=secrets.token_bytes(SECRET_BYTES))
    _apply(session, data)
    db.session.add(session)
    db.session.flush()
    db.session.expire(training_class, ["sessions"])
    record_event("classes.session_added", actor=actor, target=class_target(training_class),
                 details=_details(session))
    return session


def update_class_session(session: ClassSession, data: SessionInput, *,
                         actor: User) -> ClassSession:
    training_class = session.training_class
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    slot = _checked_slot(training_class, data, session.id)
    session.starts_at, session.ends_at = slot.starts_at, slot.ends_at
    _apply(session, data)
    db.session.flush()
    record_event("classes.session_updated", actor=actor, target=class_target(training_class),
                 details=_details(session))
    return session


def delete_class_session(session: ClassSession, *, actor: User) -> None:
    training_class = session.training_class
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    if _has_records(session):
        raise SessionRefused([ScheduleProblem("session", "has_records")])
    details = _details(session)
    db.session.delete(session)
    db.session.flush()
    db.session.expire(training_class, ["sessions"])
    record_event("classes.session_deleted", actor=actor, target=class_target(training_class),
                 details=details)


def find_class_session(training_class: TrainingClass, session_id: int) -> ClassSession:
    session = db.session.get(ClassSession, session_id)
    if session is None or session.class_id != training_class.id:
        raise NotFound(f"class session {session_id}")
    return session


def _checked_slot(training_class: TrainingClass, data: SessionInput,
                  session_id: int | None) -> Slot:
    typed = session_times(data.day, data.starts, data.ends)
    slot = Slot(typed.starts_at, typed.ends_at, session_id)
    others = [Slot(s.starts_at, s.ends_at, s.id) for s in training_class.sessions]
    problems = [] if data.topic.strip() else [ScheduleProblem("topic", "required")]
    if data.hours != data.hours.quantize(Decimal("0.01")):
        problems.append(ScheduleProblem("hours", "precision"))
    problems += schedule_problems(slot, data.hours, starts_on=training_class.starts_on,
                                  ends_on=training_class.ends_on, others=others)
    if problems:
        raise SessionRefused(problems)
    return slot


def _apply(session: ClassSession, data: SessionInput) -> None:
    session.topic = data.topic.strip()[:200]
    session.teacher = data.teacher.strip()[:100]
    session.hours = data.hours


def _has_records(session: ClassSession) -> bool:
    return bool(db.session.scalar(select(
        exists().where(Attendance.session_id == session.id)
        | exists().where(LeaveRequest.session_id == session.id))))


def _details(session: ClassSession) -> dict:
    return {"session_id": session.id, "from": session.starts_at.isoformat(),
            "to": session.ends_at.isoformat(), "hours": str(session.hours),
            "title": session.topic}
