"""Leave requests (请假, issue 20): a member asks, withdraws; the organizer approves (the
attendance becomes LEAVE) or rejects with a note; every step audited."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.domain.attendance import check_in_code, time_window
from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    MemberStatus,
    RequestStatus,
)
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Attendance, LeaveRequest
from app.services.core.errors import NotFound, PermissionDenied
from app.services.training.attendance import check_in_by_code
from app.services.training.attendance_sheet import count_session_attendance
from app.services.training.leave import (
    LeaveRefused,
    decide_leave,
    find_managed_leave,
    find_member_session,
    list_class_leave,
    request_leave,
    withdraw_leave,
)
from tests.factories import (
    add_attendance_member,
    add_attendance_session,
    audit_events,
    make_attendance_class,
    make_user,
)

START = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
BEFORE = START - timedelta(days=1)


@pytest.fixture
def setting(tree):
    cadre = make_user(unit=tree["jiefangbei"], name="李明")
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    training_class = make_attendance_class(unit=tree["yuzhong"])
    session = add_attendance_session(training_class, starts_at=START)
    add_attendance_member(training_class, cadre)
    db.session.commit()
    return {"cadre": cadre, "hr": hr, "class": training_class, "session": session}


def _attendance(session, user):
    return db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.user_id == user.id))


def test_a_member_asks_and_the_organizer_approves(setting):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    leave = request_leave(session, "  区里防汛值班  ", actor=cadre, now=BEFORE)
    assert (leave.status, leave.reason, leave.requested_at) == (
        RequestStatus.PENDING, "区里防汛值班", BEFORE)
    assert _attendance(session, cadre) is None  # nothing changes until it is decided
    decide_leave(leave, approve=True, note="", actor=hr, now=BEFORE + timedelta(hours=1))
    assert (leave.status, leave.decided_by_id) == (RequestStatus.APPROVED, hr.id)
    row = _attendance(session, cadre)
    assert (row.status, row.method, row.recorded_by_id, row.reason) == (
        AttendanceStatus.LEAVE, AttendanceMethod.LEAVE, hr.id, "区里防汛值班")
    counts = count_session_attendance(session)
    assert (counts.leave, counts.checked_in, counts.absent) == (1, 0, 0)
    assert [e.actor_id for e in audit_events("attendance.leave_requested")] == [cadre.id]
    [approved] = audit_events("attendance.leave_approved")
    assert approved.actor_id == hr.id and approved.details["user_id"] == cadre.id


def test_a_rejection_needs_a_note_and_leaves_the_member_absent(setting):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    leave = request_leave(session, "家中有事", actor=cadre, now=BEFORE)
    with pytest.raises(LeaveRefused, match="note_required"):
        decide_leave(leave, approve=False, note="  ", actor=hr, now=BEFORE)
    note = "本讲为必修专题，请调整工作"
    decide_leave(leave, approve=False, note=note, actor=hr, now=BEFORE)
    assert (leave.status, leave.decision_note) == (RequestStatus.REJECTED, note)
    assert _attendance(session, cadre) is None
    assert audit_events("attendance.leave_rejected")[0].details["decision_note"].startswith("本讲")
    with pytest.raises(LeaveRefused, match="not_pending"):
        decide_leave(leave, approve=True, note="", actor=hr, now=BEFORE)
    # asking again after a rejection reuses the one row
    again = request_leave(session, "确有急事", actor=cadre, now=BEFORE + timedelta(hours=2))
    assert again.id == leave.id and again.status is RequestStatus.PENDING
    assert again.decision_note == "" and again.decided_by_id is None


def test_the_member_withdraws_a_pending_request_only(setting):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    leave = request_leave(session, "出差", actor=cadre, now=BEFORE)
    with pytest.raises(PermissionDenied):
        withdraw_leave(leave, actor=hr, now=BEFORE)
    withdraw_leave(leave, actor=cadre, now=BEFORE)
    assert leave.status is RequestStatus.WITHDRAWN
    assert len(audit_events("attendance.leave_withdrawn")) == 1
    with pytest.raises(LeaveRefused, match="not_pending"):
        withdraw_leave(leave, actor=cadre, now=BEFORE)
    with pytest.raises(LeaveRefused, match="not_pending"):
        decide_leave(leave, approve=True, note="", actor=hr, now=BEFORE)


def test_a_request_refused_for_what_it_says_or_when(setting):
    session, cadre = setting["session"], setting["cadre"]
    for reason, code in (("", "reason_required"), ("   ", "reason_required"),
                         ("长" * 501, "text_too_long")):
        with pytest.raises(LeaveRefused, match=code):
            request_leave(session, reason, actor=cadre, now=BEFORE)
    with pytest.raises(LeaveRefused, match="session_over"):
        request_leave(session, "补请假", actor=cadre, now=session.ends_at)
    # while the session runs a member may still ask (called away at the break)
    request_leave(session, "临时接到通知", actor=cadre, now=START + timedelta(minutes=30))
    with pytest.raises(LeaveRefused, match="pending"):
        request_leave(session, "再次申请", actor=cadre, now=START + timedelta(minutes=31))
    assert db.session.scalar(select(LeaveRequest.reason)) == "临时接到通知"


def test_a_member_already_checked_in_cannot_ask_nor_be_excused(setting, tree):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    other = make_user(unit=tree["jiefangbei"])
    add_attendance_member(setting["class"], other)
    leave = request_leave(session, "可能迟到", actor=other, now=BEFORE)
    at = START + timedelta(minutes=1)
    for user in (cadre, other):
        code = check_in_code(session.check_in_secret, session.id, time_window(at))
        check_in_by_code(session, time_window(at), code, actor=user, now=at)
    with pytest.raises(LeaveRefused, match="checked_in"):
        request_leave(session, "请假", actor=cadre, now=at)
    with pytest.raises(LeaveRefused, match="checked_in"):
        decide_leave(leave, approve=True, note="", actor=hr, now=at)
    assert _attendance(session, other).status is AttendanceStatus.PRESENT


@pytest.mark.parametrize("status", [ClassStatus.FINISHED, ClassStatus.CANCELLED])
def test_a_finished_or_cancelled_class_takes_no_leave(setting, status):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    leave = request_leave(session, "出差", actor=cadre, now=BEFORE)
    setting["class"].status = status
    with pytest.raises(LeaveRefused, match="class_closed"):
        request_leave(session, "出差", actor=cadre, now=BEFORE)
    with pytest.raises(LeaveRefused, match="class_closed"):
        decide_leave(leave, approve=True, note="", actor=hr, now=BEFORE)


def test_who_may_ask_and_who_may_decide(setting, tree):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    training_class = setting["class"]
    waitlisted, stranger = make_user(unit=tree["jiefangbei"]), make_user(unit=tree["jiefangbei"])
    add_attendance_member(training_class, waitlisted, MemberStatus.WAITLISTED)
    assert find_member_session(training_class.id, session.id, actor=cadre) is session
    for user in (waitlisted, stranger, hr):
        with pytest.raises(PermissionDenied):
            find_member_session(training_class.id, session.id, actor=user)
    other_class = make_attendance_class(unit=tree["yuzhong"])
    with pytest.raises(NotFound):
        find_member_session(other_class.id, session.id, actor=cadre)

    leave = request_leave(session, "出差", actor=cadre, now=BEFORE)
    jiangbei_hr = make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"])
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    assert find_managed_leave(training_class.id, leave.id, actor=hr) is leave
    for user in (jiangbei_hr, trainer, cadre):
        with pytest.raises(PermissionDenied):
            find_managed_leave(training_class.id, leave.id, actor=user)
        with pytest.raises(PermissionDenied):
            decide_leave(leave, approve=True, note="", actor=user, now=BEFORE)
    with pytest.raises(NotFound):
        find_managed_leave(other_class.id, leave.id, actor=hr)
    assert leave.status is RequestStatus.PENDING


def test_the_organizer_s_list_shows_pending_first(setting, tree):
    session, cadre, hr = setting["session"], setting["cadre"], setting["hr"]
    later = add_attendance_session(setting["class"], starts_at=START + timedelta(days=1))
    other = make_user(unit=tree["jiefangbei"], name="王芳")
    add_attendance_member(setting["class"], other)
    decided = request_leave(session, "一", actor=cadre, now=BEFORE)
    decide_leave(decided, approve=True, note="", actor=hr, now=BEFORE + timedelta(minutes=5))
    first = request_leave(later, "二", actor=other, now=BEFORE + timedelta(minutes=1))
    second = request_leave(later, "三", actor=cadre, now=BEFORE + timedelta(minutes=2))
    assert list_class_leave(setting["class"]) == [first, second, decided]
