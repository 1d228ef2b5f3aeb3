"""Leave pages (issue 20): a member asks and withdraws on their phone, the organizer
approves or rejects with a note; who may open which page."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.class_vocabulary import AttendanceStatus, MemberStatus, RequestStatus
from app.extensions import db
from app.models import Attendance, LeaveRequest
from app.models.types import utcnow
from tests.factories import (
    add_attendance_member,
    add_attendance_session,
    audit_events,
    make_user,
)
from tests.web.training.test_attendance import MANAGERS, browser, room  # noqa: F401 - fixture


@pytest.fixture
def tomorrow(room):  # noqa: F811 - the fixture imported above
    session = add_attendance_session(room["class"], starts_at=utcnow() + timedelta(days=1),
                                     topic="数据安全与个人信息保护")
    db.session.commit()
    return session


def _ask_path(setting, session):
    return f"/classes/{setting['class'].id}/sessions/{session.id}/leave"


def test_a_member_asks_for_leave_and_withdraws_it(app, room, tomorrow):  # noqa: F811
    cadre = room["people"]["cadre"]
    phone = browser(app, cadre)
    page = phone.get(_ask_path(room, tomorrow)).get_data(as_text=True)
    assert "数据安全与个人信息保护" in page and 'id="leave-form"' in page
    empty = phone.post(_ask_path(room, tomorrow), data={"reason": "  "})
    assert "请填写请假事由" in empty.get_data(as_text=True)
    assert db.session.scalar(select(LeaveRequest)) is None
    asked = phone.post(_ask_path(room, tomorrow), data={"reason": "区里防汛值班"})
    assert asked.status_code == 302
    page = phone.get(asked.location).get_data(as_text=True)
    assert "请假申请已提交" in page and 'id="leave-status">等待处理<' in page
    assert 'id="leave-form"' not in page and 'id="leave-withdraw"' in page
    twice = phone.post(_ask_path(room, tomorrow), data={"reason": "再申请"})
    assert "已有一条待审批" in twice.get_data(as_text=True)
    withdrawn = phone.post(_ask_path(room, tomorrow) + "/withdraw")
    assert "请假申请已撤回" in phone.get(withdrawn.location).get_data(as_text=True)
    assert db.session.scalar(select(LeaveRequest.status)) is RequestStatus.WITHDRAWN
    again = phone.post(_ask_path(room, tomorrow) + "/withdraw")
    assert "该申请已处理或已撤回" in phone.get(again.location).get_data(as_text=True)
    assert len(audit_events("attendance.leave_requested")) == 1
    assert len(audit_events("attendance.leave_withdrawn")) == 1


def test_the_organizer_approves_and_rejects_with_a_note(app, room, tomorrow, tree):  # noqa: F811
    cadre = room["people"]["cadre"]
    other = make_user(unit=tree["chaotianmen"], name="王芳")
    add_attendance_member(room["class"], other)
    db.session.commit()
    browser(app, cadre).post(_ask_path(room, tomorrow), data={"reason": "区里防汛值班"})
    browser(app, other).post(_ask_path(room, tomorrow), data={"reason": "家中有事"})
    first, second = db.session.scalars(select(LeaveRequest).order_by(LeaveRequest.id))
    organizer = browser(app, room["people"]["hr_in_scope"])
    manage = f"/classes/{room['class'].id}/leave"
    page = organizer.get(manage).get_data(as_text=True)
    assert 'id="leave-pending-count">2<' in page and "区里防汛值班" in page and "王芳" in page

    refused = organizer.post(f"{manage}/{second.id}/decide", data={"reject": "1", "note": ""})
    assert "请在备注中说明驳回理由" in organizer.get(refused.location).get_data(as_text=True)
    assert db.session.get(LeaveRequest, second.id).status is RequestStatus.PENDING
    organizer.post(f"{manage}/{first.id}/decide", data={"approve": "1", "note": ""})
    organizer.post(f"{manage}/{second.id}/decide", data={"reject": "1", "note": "本讲必修"})
    page = organizer.get(manage).get_data(as_text=True)
    assert 'id="leave-pending-count">0<' in page and "本讲必修" in page
    statuses = dict(db.session.execute(select(Attendance.user_id, Attendance.status)).all())
    assert statuses == {cadre.id: AttendanceStatus.LEAVE}
    assert len(audit_events("attendance.leave_approved")) == 1
    assert len(audit_events("attendance.leave_rejected")) == 1
    mine = browser(app, other).get(_ask_path(room, tomorrow)).get_data(as_text=True)
    assert "已驳回" in mine and "本讲必修" in mine and 'id="leave-form"' in mine
    sheet = organizer.get(f"/classes/{room['class'].id}/sessions/{tomorrow.id}/attendance")
    assert 'id="sheet-leave">1<' in sheet.get_data(as_text=True)


def test_a_session_that_has_ended_takes_no_leave(app, room):  # noqa: F811
    past = add_attendance_session(room["class"], starts_at=utcnow() - timedelta(hours=5),
                                  minutes=60)
    db.session.commit()
    phone = browser(app, room["people"]["cadre"])
    page = phone.get(_ask_path(room, past)).get_data(as_text=True)
    assert "只能为尚未结束的课次请假" in page and 'id="leave-form"' not in page
    answer = phone.post(_ask_path(room, past), data={"reason": "补请假"})
    assert "只能为尚未结束的课次请假" in answer.get_data(as_text=True)
    assert db.session.scalar(select(LeaveRequest)) is None


@pytest.mark.parametrize("who", list(MANAGERS))
def test_only_enrolled_members_open_the_leave_page(app, room, tomorrow, who):  # noqa: F811
    client = browser(app, room["people"].get(who))
    response = client.get(_ask_path(room, tomorrow))
    if who == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.location
    else:
        assert response.status_code == (200 if who == "cadre" else 403), who
    post = client.post(_ask_path(room, tomorrow), data={"reason": "出差"})
    assert post.status_code == {"anonymous": 302, "cadre": 302}.get(who, 403)
    assert (db.session.scalar(select(LeaveRequest)) is not None) == (who == "cadre")


def test_a_waitlisted_cadre_may_not_ask(app, room, tomorrow, tree):  # noqa: F811
    waiting = make_user(unit=tree["jiefangbei"])
    add_attendance_member(room["class"], waiting, MemberStatus.WAITLISTED)
    db.session.commit()
    assert browser(app, waiting).get(_ask_path(room, tomorrow)).status_code == 403


@pytest.mark.parametrize("who", list(MANAGERS))
def test_only_the_class_s_managers_decide(app, room, tomorrow, who):  # noqa: F811
    browser(app, room["people"]["cadre"]).post(_ask_path(room, tomorrow),
                                               data={"reason": "出差"})
    leave = db.session.scalar(select(LeaveRequest))
    client = browser(app, room["people"].get(who))
    response = client.post(f"/classes/{room['class'].id}/leave/{leave.id}/decide",
                           data={"approve": "1"})
    allowed = MANAGERS[who] == 200
    assert response.status_code == (302 if allowed or who == "anonymous" else 403)
    db.session.refresh(leave)
    assert leave.status is (RequestStatus.APPROVED if allowed else RequestStatus.PENDING)
