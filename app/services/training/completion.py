"""Class standing: who has completed a training class, who is at risk and why (issue 20).

The rules are app.domain.class_completion's; this module loads the facts of a whole class
set-based: the sessions, the enrolled members (with their units), the class's attendance
rows, the linked courses and the members' completions of them, the class test's results,
and, once the class is finished, the hours credited and the valid class certificates. At
most eight queries whatever the number of members; each reads only this class's rows (the
ledger and the certificates through their (user, class) keys).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.domain.class_completion import (
    ClassPeriod,
    CompletionState,
    LinkedCourse,
    MemberProgress,
    Session,
    attended_hours,
    class_period,
    course_progress,
    remaining_hours,
)
from app.domain.class_vocabulary import AttendanceStatus, ClassStatus, MemberStatus
from app.domain.training_hours import ClassStanding
from app.domain.vocabulary import CertificateStatus
from app.extensions import db
from app.models import (
    Attendance,
    ClassMember,
    ClassSession,
    Course,
    Enrollment,
    HourCredit,
    OrgUnit,
    QuizResult,
    TrainingClass,
    User,
)
from app.models.certificate import Certificate
from app.models.training_class import training_class_course
from app.services.core.errors import PermissionDenied
from app.services.core.paging import Page
from app.services.training.access import ensure_may_manage_class, may_manage_class

#: Attendance whose session's hours count.
COUNTING = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass(frozen=True)
class MemberStanding:
    """One enrolled member's standing; ``credited_hours`` and ``certificate_serial`` are
    set once the class is finished and the member completed it."""

    member: ClassMember
    progress: MemberProgress
    state: CompletionState
    credited_hours: Decimal | None = None
    certificate_serial: str | None = None

    @property
    def user(self) -> User:
        return self.member.user

    @property
    def standing(self) -> ClassStanding:
        return self.progress.standing


@dataclass(frozen=True)
class ClassFacts:
    """What every member's standing is measured against."""

    period: ClassPeriod
    sessions: list[Session]
    courses: list[LinkedCourse]
    has_test: bool

    @property
    def scheduled_hours(self) -> Decimal:
        return sum((s.hours for s in self.sessions), Decimal(0))


def class_facts(training_class: TrainingClass) -> ClassFacts:
    """The schedule and the linked courses (two queries)."""
    sessions = [Session(row.id, row.ends_at, row.hours) for row in db.session.execute(
        select(ClassSession.id, ClassSession.ends_at, ClassSession.hours)
        .where(ClassSession.class_id == training_class.id).order_by(ClassSession.starts_at))]
    courses = [LinkedCourse(row.id, row.code, row.due, row.title) for row in db.session.execute(
        select(Course.id, Course.code, training_class_course.c.due, Course.title)
        .join(training_class_course, training_class_course.c.course_id == Course.id)
        .where(training_class_course.c.class_id == training_class.id).order_by(Course.code))]
    return ClassFacts(class_period(training_class.starts_on, training_class.ends_on),
                      sessions, courses, training_class.test_quiz_id is not None)


def compute_standings(training_class: TrainingClass, *, now: datetime,
                      user_id: int | None = None,
                      facts: ClassFacts | None = None) -> list[MemberStanding]:
    """Every enrolled member's standing (or only ``user_id``'s), members ordered by unit
    code and employee number. No access check: callers check who asks."""
    facts = facts or class_facts(training_class)
    members = enrolled_members(training_class, user_id)
    if not members:
        return []
    member_ids = member_ids_query(training_class, user_id)
    attendance = _attendance(training_class, member_ids)
    completions = _completions(facts, member_ids)
    tests = _test_results(training_class, member_ids)
    finished = training_class.status is ClassStatus.FINISHED
    credits, serials = _outcomes(training_class, member_ids) if finished else ({}, {})
    standings = []
    for member in members:
        progress = _progress(training_class, facts, now, attendance.get(member.user_id, {}),
                             completions.get(member.user_id, {}), tests.get(member.user_id))
        standings.append(MemberStanding(
            member, progress,
            progress.state(finished=finished, completed=member.completed_at is not None),
            credits.get(member.user_id), serials.get(member.user_id)))
    return standings


def _progress(training_class: TrainingClass, facts: ClassFacts, now: datetime,
              attendance: dict[int, str], completed: dict[int, datetime],
              test_passed: bool | None) -> MemberProgress:
    """One member's facts measured against the class (``test_passed`` None: not taken)."""
    counted = {session_id for session_id, status in attendance.items() if status in COUNTING}
    courses = course_progress(facts.courses, completed, facts.period, now)
    standing = ClassStanding(
        attended_hours=attended_hours(facts.sessions, counted),
        scheduled_hours=facts.scheduled_hours, courses_missing=courses.missing,
        test_passed=bool(test_passed) if facts.has_test else None,
        attendance_share=training_class.attendance_share)
    return MemberProgress(standing, remaining_hours(facts.sessions, set(attendance), now),
                          courses, test_taken=test_passed is not None)


def member_ids_query(training_class: TrainingClass, user_id: int | None = None):
    """The enrolled members' user ids, as a subquery (the other queries filter by it)."""
    statement = select(ClassMember.user_id).where(
        ClassMember.class_id == training_class.id, ClassMember.status == MemberStatus.ENROLLED)
    return statement.where(ClassMember.user_id == user_id) if user_id is not None else statement


def enrolled_members(training_class: TrainingClass,
                     user_id: int | None = None) -> list[ClassMember]:
    """The enrolled members with their users and units, by unit code and employee number."""
    statement = (select(ClassMember).join(User, User.id == ClassMember.user_id)
                 .join(OrgUnit, OrgUnit.id == User.org_unit_id)
                 .where(ClassMember.class_id == training_class.id,
                        ClassMember.status == MemberStatus.ENROLLED)
                 .options(contains_eager(ClassMember.user).contains_eager(User.org_unit),
                          # not the members' roles (loaded with every user otherwise)
                          contains_eager(ClassMember.user).lazyload(User.roles))
                 .order_by(OrgUnit.code, User.username))
    if user_id is not None:
        statement = statement.where(ClassMember.user_id == user_id)
    return list(db.session.scalars(statement).unique())


def _attendance(training_class: TrainingClass, member_ids) -> dict[int, dict[int, str]]:
    """user id → session id → attendance status."""
    rows = db.session.execute(
        select(Attendance.user_id, Attendance.session_id, Attendance.status)
        .where(Attendance.session_id.in_(select(ClassSession.id).where(
            ClassSession.class_id == training_class.id)), Attendance.user_id.in_(member_ids)))
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for user_id, session_id, status in rows:
        found[user_id][session_id] = status
    return found


def _completions(facts: ClassFacts, member_ids) -> dict[int, dict[int, datetime]]:
    """user id → course id → completed at, for the linked courses."""
    if not facts.courses:
        return {}
    rows = db.session.execute(
        select(Enrollment.user_id, Enrollment.course_id, Enrollment.completed_at).where(
            Enrollment.course_id.in_([c.id for c in facts.courses]),
            Enrollment.completed_at.is_not(None), Enrollment.user_id.in_(member_ids)))
    found: dict[int, dict[int, datetime]] = defaultdict(dict)
    for user_id, course_id, completed_at in rows:
        found[user_id][course_id] = completed_at
    return found


def _test_results(training_class: TrainingClass, member_ids) -> dict[int, bool]:
    if training_class.test_quiz_id is None:
        return {}
    return dict(db.session.execute(
        select(QuizResult.user_id, QuizResult.passed).where(
            QuizResult.quiz_id == training_class.test_quiz_id,
            QuizResult.user_id.in_(member_ids))).all())


def _outcomes(training_class: TrainingClass, member_ids):
    """The finished class's face-to-face hours and valid certificates, by user id."""
    credits = dict(db.session.execute(
        select(HourCredit.user_id, HourCredit.hours).where(
            HourCredit.user_id.in_(member_ids),
            HourCredit.training_class_id == training_class.id)).all())
    serials = dict(db.session.execute(
        select(Certificate.user_id, Certificate.serial).where(
            Certificate.user_id.in_(member_ids),
            Certificate.training_class_id == training_class.id,
            Certificate.status == CertificateStatus.VALID)).all())
    return credits, serials


# --- what managers and members read ---------------------------------------------------------

@dataclass(frozen=True)
class ClassCompletion:
    facts: ClassFacts
    standings: list[MemberStanding]


def class_standings(training_class: TrainingClass, *, actor: User,
                    now: datetime) -> ClassCompletion:
    """Every enrolled member's standing, for someone who manages the class."""
    ensure_may_manage_class(actor, training_class)
    facts = class_facts(training_class)
    return ClassCompletion(facts, compute_standings(training_class, now=now, facts=facts))


def standing_of_member(training_class: TrainingClass, user: User, *, actor: User,
                       now: datetime) -> MemberStanding | None:
    """One member's standing, for the member or a manager; None when not enrolled."""
    if actor.id != user.id and not may_manage_class(actor, training_class):
        raise PermissionDenied("only the member and the class's managers see this standing",
                               target=f"training_class:{training_class.id}")
    found = compute_standings(training_class, now=now, user_id=user.id)
    return found[0] if found else None


# --- the managers' list: counts by state, filters, pages ------------------------------------

#: What a standing may miss (ClassStanding.missing), the list's second filter.
REASONS = ("attendance", "courses", "test")


@dataclass(frozen=True)
class CompletionFilter:
    state: CompletionState | None = None
    reason: str | None = None  # one of REASONS
    search: str = ""  # part of a name or an employee number

    def admits(self, standing: MemberStanding) -> bool:
        if self.state is not None and standing.state is not self.state:
            return False
        if self.reason is not None and self.reason not in standing.standing.missing:
            return False
        needle = self.search.strip().casefold()
        return not needle or needle in standing.user.name.casefold() \
            or needle in standing.user.username.casefold()


def count_states(standings: list[MemberStanding]) -> dict[CompletionState, int]:
    counts = dict.fromkeys(CompletionState, 0)
    for standing in standings:
        counts[standing.state] += 1
    return counts


def page_of(items: list, *, page: int, per_page: int) -> Page:
    """One page of a list already in memory (the class's standings)."""
    page = max(page, 1)
    start = (page - 1) * per_page
    return Page(items=items[start:start + per_page], total=len(items), page=page,
                per_page=per_page)
