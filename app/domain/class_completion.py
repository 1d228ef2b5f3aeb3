"""Where a member stands in a training class, on plain values (issue 20).

The requirements themselves (attendance share, linked courses, the class test) are
app.domain.training_hours.ClassStanding; this module turns a member's raw facts into one:

- attended hours: the hours of the sessions the member attended, present or late (an
  approved leave and an absence do not count);
- linked courses: every linked course counts once it is completed before the end of the
  class's last day. A course due "before" the class and completed only after the first
  day began is *late*: it still counts, but managers see it (the rule is "be ready before
  the class", and a member who catches up during the class is not failed for it). A course
  not completed once its deadline passed (the first day for "before", the end of the last
  day for "during") is *overdue*;
- the class test: the standing result of the class's quiz; not taken yet is not passed;
- at risk: not met, and already failing something the member cannot put right by simply
  coming to the remaining sessions: the attendance share is out of reach, a course is
  overdue, or the test was taken and failed.
"""

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from app.domain.learning import CITY_TIMEZONE
from app.domain.training_hours import ZERO, ClassStanding

BEFORE, DURING = "before", "during"


def plain_hours(hours: Decimal) -> str:
    """Hours as people write them: 16, 12.5, 3.25 (not 16.00: the database's scale)."""
    text = format(hours, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class CompletionState(enum.StrEnum):
    COMPLETED = "completed"  # the class is finished and the member completed it
    NOT_COMPLETED = "not_completed"  # the class is finished without the member completing it
    MET = "met"  # every requirement met so far (the class is not finished yet)
    AT_RISK = "at_risk"  # missing something that attending the rest will not put right
    IN_PROGRESS = "in_progress"  # missing something that may still come


@dataclass(frozen=True)
class ClassPeriod:
    """The class's days in the city's time: [start of the first day, end of the last)."""

    starts: datetime
    ends: datetime


def class_period(starts_on: date, ends_on: date) -> ClassPeriod:
    return ClassPeriod(datetime.combine(starts_on, time(), CITY_TIMEZONE),
                       datetime.combine(ends_on + timedelta(days=1), time(), CITY_TIMEZONE))


@dataclass(frozen=True)
class Session:
    id: int
    ends_at: datetime
    hours: Decimal


@dataclass(frozen=True)
class LinkedCourse:
    id: int
    code: str
    due: str  # BEFORE or DURING
    title: str = ""


@dataclass(frozen=True)
class CourseProgress:
    missing: tuple[str, ...]  # codes not completed by the end of the class (so far)
    late: tuple[str, ...]  # "before" courses completed after the class began
    overdue: tuple[str, ...]  # missing, and past the course's deadline


def course_progress(courses: Iterable[LinkedCourse], completed: Mapping[int, datetime],
                    period: ClassPeriod, now: datetime) -> CourseProgress:
    """``completed`` maps course id to when the member completed it."""
    missing, late, overdue = [], [], []
    for course in courses:
        when = completed.get(course.id)
        deadline = period.starts if course.due == BEFORE else period.ends
        if when is None or when >= period.ends:
            missing.append(course.code)
            if now >= deadline:
                overdue.append(course.code)
        elif course.due == BEFORE and when >= period.starts:
            late.append(course.code)
    return CourseProgress(tuple(missing), tuple(late), tuple(overdue))


def attended_hours(sessions: Iterable[Session], attended: set[int]) -> Decimal:
    """Hours of the sessions whose ids are in ``attended`` (present or late)."""
    return sum((s.hours for s in sessions if s.id in attended), ZERO)


def remaining_hours(sessions: Iterable[Session], settled: set[int], now: datetime) -> Decimal:
    """Hours still to come for a member: sessions not over yet whose attendance is not
    settled (no row: a check-in, an approved leave or a correction settles a session)."""
    return sum((s.hours for s in sessions if s.ends_at > now and s.id not in settled), ZERO)


@dataclass(frozen=True)
class MemberProgress:
    standing: ClassStanding
    remaining_hours: Decimal
    courses: CourseProgress
    test_taken: bool

    @property
    def test_failed(self) -> bool:
        return self.test_taken and self.standing.test_passed is False

    @property
    def attendance_out_of_reach(self) -> bool:
        """Even attending every remaining session would not reach the share."""
        return self.standing.at_risk(self.remaining_hours)

    @property
    def at_risk(self) -> bool:
        if self.standing.completed:
            return False
        return self.attendance_out_of_reach or bool(self.courses.overdue) or self.test_failed

    @property
    def hours_needed(self) -> Decimal:
        """The attended hours the share asks for (16 scheduled at 80 % → 12.8)."""
        return self.standing.scheduled_hours * self.standing.attendance_share / 100

    @property
    def attendance_percent(self) -> int:
        """How far attendance has come towards the share, 0–100 (a progress bar's value)."""
        needed = self.hours_needed
        if needed <= 0:
            return 0
        return min(100, int(self.standing.attended_hours * 100 / needed))

    def state(self, *, finished: bool, completed: bool) -> CompletionState:
        """``completed``: the member's completion as recorded when the class finished."""
        if finished:
            return CompletionState.COMPLETED if completed else CompletionState.NOT_COMPLETED
        if self.standing.completed:
            return CompletionState.MET
        return CompletionState.AT_RISK if self.at_risk else CompletionState.IN_PROGRESS
