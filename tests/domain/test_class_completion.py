from datetime import UTC, date, datetime
from decimal import Decimal as D

from app.domain.class_completion import (
    BEFORE,
    DURING,
    CompletionState,
    CourseProgress,
    LinkedCourse,
    MemberProgress,
    Session,
    attended_hours,
    class_period,
    course_progress,
    remaining_hours,
)
from app.domain.training_hours import ClassStanding

# 2 to 3 November 2026 in Chongqing: [1 Nov 16:00 UTC, 3 Nov 16:00 UTC).
PERIOD = class_period(date(2026, 11, 2), date(2026, 11, 3))
COURSES = [LinkedCourse(1, "DC101", BEFORE), LinkedCourse(2, "SE220", DURING)]
BEFORE_START = datetime(2026, 10, 30, tzinfo=UTC)
FIRST_DAY = datetime(2026, 11, 2, 3, tzinfo=UTC)  # 11:00 local
AFTER_END = datetime(2026, 11, 5, tzinfo=UTC)


def test_the_period_is_the_class_days_in_city_time():
    assert PERIOD.starts == datetime(2026, 11, 1, 16, tzinfo=UTC)
    assert PERIOD.ends == datetime(2026, 11, 3, 16, tzinfo=UTC)


def test_courses_done_in_time_are_neither_missing_nor_late():
    done = {1: BEFORE_START, 2: FIRST_DAY}
    assert course_progress(COURSES, done, PERIOD, AFTER_END) == CourseProgress((), (), ())


def test_a_before_course_done_during_the_class_counts_but_is_late():
    done = {1: FIRST_DAY, 2: FIRST_DAY}
    assert course_progress(COURSES, done, PERIOD, AFTER_END) == CourseProgress((), ("DC101",), ())


def test_a_course_done_after_the_end_is_missing_and_overdue():
    done = {1: BEFORE_START, 2: AFTER_END}
    assert course_progress(COURSES, done, PERIOD, AFTER_END) == CourseProgress(
        ("SE220",), (), ("SE220",))


def test_missing_courses_become_overdue_at_their_own_deadline():
    assert course_progress(COURSES, {}, PERIOD, BEFORE_START).overdue == ()
    assert course_progress(COURSES, {}, PERIOD, FIRST_DAY).overdue == ("DC101",)
    assert course_progress(COURSES, {}, PERIOD, AFTER_END).overdue == ("DC101", "SE220")
    assert course_progress(COURSES, {}, PERIOD, FIRST_DAY).missing == ("DC101", "SE220")


SESSIONS = [Session(1, datetime(2026, 11, 2, 4, tzinfo=UTC), D("4")),
            Session(2, datetime(2026, 11, 2, 9, tzinfo=UTC), D("4")),
            Session(3, datetime(2026, 11, 3, 4, tzinfo=UTC), D("3.5"))]


def test_attended_and_remaining_hours():
    assert attended_hours(SESSIONS, {1, 3}) == D("7.5")
    noon = datetime(2026, 11, 2, 5, tzinfo=UTC)  # session 1 over
    assert remaining_hours(SESSIONS, set(), noon) == D("7.5")
    assert remaining_hours(SESSIONS, {2}, noon) == D("3.5")  # a leave settles session 2
    assert remaining_hours(SESSIONS, set(), AFTER_END) == 0


def _progress(attended, remaining="0", missing=(), overdue=(), test=None, taken=False):
    standing = ClassStanding(D(attended), D("16"), tuple(missing), test)
    courses = CourseProgress(tuple(missing), (), tuple(overdue))
    return MemberProgress(standing, D(remaining), courses, test_taken=taken)


def test_states_while_the_class_runs():
    assert _progress("16", test=True, taken=True).state(
        finished=False, completed=False) is CompletionState.MET
    # 8 attended, 8 to come: 16 reachable ≥ 12.8 needed: still in progress.
    assert _progress("8", "8").state(finished=False, completed=False) \
        is CompletionState.IN_PROGRESS
    # 4 attended, 8 to come: 12 < 12.8, out of reach.
    risky = _progress("4", "8")
    assert risky.attendance_out_of_reach and risky.state(
        finished=False, completed=False) is CompletionState.AT_RISK
    assert _progress("16", missing=["SE220"], overdue=["SE220"]).at_risk
    assert _progress("16", missing=["SE220"]).at_risk is False  # not due yet
    assert _progress("16", test=False, taken=True).at_risk  # failed the test
    assert _progress("16", test=False, taken=False).at_risk is False  # not taken yet


def test_states_once_finished_follow_the_recorded_completion():
    progress = _progress("16")
    assert progress.state(finished=True, completed=True) is CompletionState.COMPLETED
    assert progress.state(finished=True, completed=False) is CompletionState.NOT_COMPLETED


def test_hours_needed_and_percent():
    progress = _progress("6.4")
    assert progress.hours_needed == D("12.8")
    assert progress.attendance_percent == 50
    assert _progress("16").attendance_percent == 100
    empty = MemberProgress(ClassStanding(D(0), D(0), (), None), D(0),
                           CourseProgress((), (), ()), False)
    assert empty.attendance_percent == 0
