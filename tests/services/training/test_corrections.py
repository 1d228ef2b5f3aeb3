"""Manual corrections of attendance (issue 20): a reason always, only enrolled members, the
status before and after in the audit, and a finished class's attendance is final."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.domain.attendance import check_in_code, time_window
from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    ClassStatus,
    MemberStatus,
)
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Attendance
from app.services.core.errors import NotFound, PermissionDenied
from app.services.training.attendance import check_in_by_code, find_managed_session
from app.services.training.attendance_sheet import (
    attendance_sheet,
    class_attendance_overview,
    count_session_attendance,
)
from app.services.training.corrections import CorrectionRefused, correct_attendance
from app.services.training.leave import request_leave
from tests.factories import (
    add_attendance_member,
    add_attendance_session,
    audit_events,
    make_attendance_class,
    make_user,
)

START = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


@pytest.fixture
def setting(tree):
    cadre = make_user(unit=tree["jiefangbei"], name="李明")
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="王建华")
    training_class = make_attendance_class(unit=tree["yuzhong"], created_by=trainer)
    session = add_attendance_session(training_class, starts_at=START)
    add_attendance_member(training_class, cadre)
    db.session.commit()
    return {"cadre": cadre, "trainer": trainer, "class": training_class, "session": session}


def _row(session, user):
    return db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.user_id == user.id))


def test_a_correction_sets_the_status_with_its_reason_and_audits_before_and_after(setting):
    session, cadre, trainer = setting["session"], setting["cadre"], setting["trainer"]
    at = START + timedelta(minutes=40)
    correct_attendance(session, cadre.id, AttendanceStatus.PRESENT, " 手机没电，现场核实 ",
                       actor=trainer, now=at)
    row = _row(session, cadre)
    assert (row.status, row.method, row.recorded_by_id, row.recorded_at, row.reason) == (
        AttendanceStatus.PRESENT, AttendanceMethod.CORRECTION, trainer.id, at, "手机没电，现场核实")
    correct_attendance(session, cadre.id, AttendanceStatus.ABSENT, "课间离开未返回",
                       actor=trainer, now=at + timedelta(hours=1))
    assert _row(session, cadre).status is AttendanceStatus.ABSENT
    first, second = audit_events("attendance.corrected")
    assert (first.details["before"], first.details["before_method"]) == ("absent", None)
    assert first.details["after"] == "present"
    assert (second.details["before"], second.details["before_method"]) == (
        "present", "correction")
    assert second.details["after"] == "absent"
    assert second.details["user_id"] == cadre.id and second.actor_id == trainer.id
    assert second.details["reason"] == "课间离开未返回"


def test_a_scan_corrected_to_late_keeps_the_scan_in_the_audit(setting):
    session, cadre, trainer = setting["session"], setting["cadre"], setting["trainer"]
    code = check_in_code(session.check_in_secret, session.id, time_window(START))
    check_in_by_code(session, time_window(START), code, actor=cadre, now=START)
    correct_attendance(session, cadre.id, AttendanceStatus.LATE, "实际9:20到场",
                       actor=trainer, now=START + timedelta(hours=1))
    [event] = audit_events("attendance.corrected")
    assert (event.details["before"], event.details["before_method"]) == ("present", "qr")
    assert count_session_attendance(session).late == 1


@pytest.mark.parametrize(("reason", "code"), [("", "reason_required"), ("  ", "reason_required"),
                                              ("理" * 501, "reason_too_long")])
def test_a_correction_without_a_proper_reason_changes_nothing(setting, reason, code):
    session, cadre, trainer = setting["session"], setting["cadre"], setting["trainer"]
    with pytest.raises(CorrectionRefused, match=code):
        correct_attendance(session, cadre.id, AttendanceStatus.PRESENT, reason,
                           actor=trainer, now=START)
    assert _row(session, cadre) is None and audit_events("attendance.corrected") == []


def test_only_enrolled_members_and_only_a_change(setting, tree):
    session, cadre, trainer = setting["session"], setting["cadre"], setting["trainer"]
    waitlisted, stranger = make_user(unit=tree["jiefangbei"]), make_user(unit=tree["jiefangbei"])
    add_attendance_member(setting["class"], waitlisted, MemberStatus.WAITLISTED)
    for user in (waitlisted, stranger):
        with pytest.raises(CorrectionRefused, match="not_enrolled"):
            correct_attendance(session, user.id, AttendanceStatus.PRESENT, "核实",
                               actor=trainer, now=START)
    with pytest.raises(CorrectionRefused, match="unchanged"):
        correct_attendance(session, cadre.id, AttendanceStatus.ABSENT, "核实",
                           actor=trainer, now=START)


@pytest.mark.parametrize("status", [ClassStatus.FINISHED, ClassStatus.CANCELLED])
def test_a_finished_class_s_attendance_is_final(setting, status):
    setting["class"].status = status
    with pytest.raises(CorrectionRefused, match="class_closed"):
        correct_attendance(setting["session"], setting["cadre"].id, AttendanceStatus.PRESENT,
                           "补录", actor=setting["trainer"], now=START)


def test_who_may_correct(setting, tree):
    session, cadre = setting["session"], setting["cadre"]
    training_class = setting["class"]
    yuzhong_hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    refused = [make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"]),
               make_user(unit=tree["city"], roles=[RoleName.TRAINER]), cadre]
    for user in (yuzhong_hr, admin, setting["trainer"]):
        assert find_managed_session(training_class.id, session.id, actor=user) is session
    for user in refused:
        with pytest.raises(PermissionDenied):
            find_managed_session(training_class.id, session.id, actor=user)
        with pytest.raises(PermissionDenied):
            correct_attendance(session, cadre.id, AttendanceStatus.PRESENT, "核实",
                               actor=user, now=START)
    other_class = make_attendance_class(unit=tree["yuzhong"])
    with pytest.raises(NotFound):
        find_managed_session(other_class.id, session.id, actor=admin)
    assert _row(session, cadre) is None


def test_the_sheet_lists_every_enrolled_member_and_the_overview_counts_them(setting, tree):
    session, cadre, trainer = setting["session"], setting["cadre"], setting["trainer"]
    training_class = setting["class"]
    afternoon = add_attendance_session(training_class, starts_at=START + timedelta(hours=5))
    late = make_user(unit=tree["chaotianmen"], name="迟到者")
    away = make_user(unit=tree["jiefangbei"], name="请假者")
    gone = make_user(unit=tree["jiefangbei"], name="已退出")
    for user in (late, away):
        add_attendance_member(training_class, user)
    add_attendance_member(training_class, gone, MemberStatus.WITHDRAWN)
    window = time_window(START)
    code = check_in_code(session.check_in_secret, session.id, window)
    check_in_by_code(session, window, code, actor=cadre, now=START)
    check_in_by_code(session, window, code, actor=gone, now=START)  # refused: not enrolled
    correct_attendance(session, late.id, AttendanceStatus.LATE, "9:30到", actor=trainer,
                       now=START + timedelta(minutes=40))
    request_leave(afternoon, "下午开会", actor=away, now=START)
    correct_attendance(afternoon, away.id, AttendanceStatus.LEAVE, "电话请假",
                       actor=trainer, now=START)

    sheet = attendance_sheet(session)
    assert [(line.name, line.shown_status, line.method, line.recorded_by) for line in sheet] == [
        ("李明", AttendanceStatus.PRESENT, AttendanceMethod.QR, None),
        ("请假者", AttendanceStatus.ABSENT, None, None),
        ("迟到者", AttendanceStatus.LATE, AttendanceMethod.CORRECTION, "王建华"),
    ]
    assert [line.unit for line in sheet] == ["解放碑街道", "解放碑街道", "朝天门街道"]
    assert attendance_sheet(afternoon)[1].leave is not None

    morning, evening = class_attendance_overview(training_class)
    assert morning.session is session and evening.session is afternoon
    assert (morning.counts.enrolled, morning.counts.present, morning.counts.late,
            morning.counts.absent, morning.refused, morning.pending_leave) == (3, 1, 1, 1, 1, 0)
    assert (evening.counts.leave, evening.counts.absent, evening.pending_leave) == (1, 2, 1)
