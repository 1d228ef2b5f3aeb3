"""The attendance pages (issue 20): who may open each, the projector and its state, the
phone's check-in through sign-in, refusals in Chinese, the sheet and its corrections."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.domain.attendance import check_in_code, time_window
from app.domain.class_vocabulary import AttendanceMethod, AttendanceStatus, CheckInRefusal
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Attendance, CheckInAttempt
from app.models.types import utcnow
from tests.factories import (
    PASSWORD,
    add_attendance_member,
    add_attendance_session,
    audit_events,
    make_attendance_class,
    make_user,
)

STAMP = re.compile(r'name="stamp" type="hidden" value="([^"]+)"')


@pytest.fixture
def room(app, tree):
    """A class of 渝中区 run by a trainer, a session that began five minutes ago, and the
    people of the access matrix."""
    people = {
        "cadre": make_user(unit=tree["jiefangbei"], name="李明"),
        "trainer_owner": make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="王建华"),
        "trainer_other": make_user(unit=tree["city"], roles=[RoleName.TRAINER]),
        "hr_in_scope": make_user(unit=tree["yuzhong"], roles=[RoleName.HR],
                                 scope=tree["yuzhong"]),
        "hr_out_of_scope": make_user(unit=tree["jiangbei"], roles=[RoleName.HR],
                                     scope=tree["jiangbei"]),
        "admin": make_user(unit=tree["city"], roles=[RoleName.ADMIN]),
    }
    training_class = make_attendance_class(unit=tree["yuzhong"],
                                           created_by=people["trainer_owner"])
    session = add_attendance_session(training_class, starts_at=utcnow() - timedelta(minutes=5),
                                     topic="城市大脑与数字治理")
    add_attendance_member(training_class, people["cadre"])
    db.session.commit()
    return {"people": people, "class": training_class, "session": session}


def browser(app, user=None):
    client = app.test_client()
    if user is not None:
        response = client.post("/auth/login", data={"username": user.username,
                                                    "password": PASSWORD})
        assert response.status_code == 302
    return client


def _base(room):
    return f"/classes/{room['class'].id}/sessions/{room['session'].id}"


def _scan_path(session, at=None, *, window=None, code=None):
    window = time_window(at or utcnow()) if window is None else window
    code = code or check_in_code(session.check_in_secret, session.id, window)
    return f"/classes/check-in/{session.id}/{window}/{code}"


MANAGERS = {"anonymous": "login", "cadre": 403, "trainer_owner": 200, "trainer_other": 403,
            "hr_in_scope": 200, "hr_out_of_scope": 403, "admin": 200}


@pytest.mark.parametrize("who", list(MANAGERS))
def test_the_organizer_pages_open_for_the_class_s_managers_only(app, room, who):
    client = browser(app, room["people"].get(who))
    class_id = room["class"].id
    for path in (f"{_base(room)}/check-in", f"{_base(room)}/check-in/state",
                 f"{_base(room)}/attendance", f"/classes/{class_id}/attendance",
                 f"/classes/{class_id}/leave"):
        response = client.get(path)
        if MANAGERS[who] == "login":
            assert response.status_code == 302 and "/auth/login" in response.location, path
        else:
            assert response.status_code == MANAGERS[who], (path, who)
    correction = client.post(f"{_base(room)}/attendance/correct", data={
        "member": room["people"]["cadre"].id, "status": "present", "reason": "核实"})
    assert correction.status_code == {"login": 302, 403: 403, 200: 302}[MANAGERS[who]]
    expected = AttendanceStatus.PRESENT if MANAGERS[who] == 200 else None
    assert db.session.scalar(select(Attendance.status)) is expected


def test_a_session_of_another_class_or_a_missing_one_is_not_found(app, room, tree):
    other = make_attendance_class(unit=tree["yuzhong"])
    db.session.commit()
    client = browser(app, room["people"]["admin"])
    assert client.get(f"/classes/{other.id}/sessions/{room['session'].id}/check-in"
                      ).status_code == 404
    assert client.get(f"/classes/{room['class'].id}/sessions/999999/attendance"
                      ).status_code == 404
    assert client.get("/classes/check-in/999999/1/abc").status_code == 404


def test_the_projector_shows_the_session_a_large_qr_and_works_without_script(app, room):
    client = browser(app, room["people"]["trainer_owner"])
    page = client.get(f"{_base(room)}/check-in").get_data(as_text=True)
    assert "城市大脑与数字治理" in page and "市委党校1号报告厅" in page
    assert '<svg viewBox="0 0 ' in page and 'class="check-in-qr"' in page
    assert "js/check_in_projector.js" in page and "<script>" not in page  # CSP: no inline
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', page)
    assert "二维码每 30 秒更换一次" in page


def test_the_state_gives_the_current_window_s_code_and_live_counts(app, room):
    session = room["session"]
    client = browser(app, room["people"]["hr_in_scope"])
    before = time_window(utcnow())
    state = client.get(f"{_base(room)}/check-in/state").get_json()
    after = time_window(utcnow())
    assert before <= state["window"] <= after and 1 <= state["seconds_left"] <= 30
    path = urlsplit(state["url"])
    assert f"{path.scheme}://{path.netloc}" == app.config["PUBLIC_BASE_URL"]
    assert path.path == _scan_path(session, window=state["window"])
    assert state["svg"].startswith("<svg viewBox=")
    assert state["counts"] == {"enrolled": 1, "present": 0, "late": 0, "leave": 0,
                               "absent": 1, "checked_in": 0}

    cadre = browser(app, room["people"]["cadre"])
    assert cadre.post(path.path).status_code == 200
    stranger = browser(app, room["people"]["hr_out_of_scope"])
    stranger.post(path.path)
    state = client.get(f"{_base(room)}/check-in/state").get_json()
    assert state["counts"]["checked_in"] == 1 and state["counts"]["absent"] == 0
    [refusal] = state["refusals"]
    assert refusal["reason"] == "非本班在册学员"
    assert refusal["name"] == room["people"]["hr_out_of_scope"].name


def test_an_anonymous_scan_signs_in_and_comes_back_stamped(app, room):
    session, cadre = room["session"], room["people"]["cadre"]
    phone = app.test_client()
    response = phone.get(_scan_path(session))
    assert response.status_code == 302 and "/auth/login" in response.location
    back = parse_qs(urlsplit(response.location).query)["next"][0]
    assert back.startswith(f"/classes/check-in/{session.id}/") and "?s=" in back
    signed_in = phone.post("/auth/login", data={"username": cadre.username,
                                               "password": PASSWORD, "next": back})
    assert signed_in.status_code == 302 and signed_in.location == back
    page = phone.get(back).get_data(as_text=True)
    assert "城市大脑与数字治理" in page and 'id="check-in-button"' in page
    stamp = STAMP.search(page).group(1)
    assert stamp == parse_qs(urlsplit(back).query)["s"][0]  # carried on, not renewed
    result = phone.post(urlsplit(back).path, data={"stamp": stamp}).get_data(as_text=True)
    assert "签到成功" in result
    row = db.session.scalar(select(Attendance))
    assert (row.user_id, row.status, row.method) == (
        cadre.id, AttendanceStatus.PRESENT, AttendanceMethod.QR)
    again = phone.get(back).get_data(as_text=True)
    assert 'id="check-in-already"' in again and 'id="check-in-button"' not in again
    assert "已签到" in phone.post(urlsplit(back).path).get_data(as_text=True)
    assert len(db.session.scalars(select(Attendance)).all()) == 1


def test_yesterday_s_code_is_refused_on_the_phone_and_shown_to_the_organizer(app, room):
    session, cadre = room["session"], room["people"]["cadre"]
    phone = browser(app, cadre)
    yesterday = _scan_path(session, utcnow() - timedelta(days=1))
    page = phone.get(yesterday).get_data(as_text=True)
    assert 'name="stamp" type="hidden" value=""' in page  # no stamp for a dead code
    answer = phone.post(yesterday)
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "签到未成功" in text and "二维码已过期" in text
    assert db.session.scalar(select(Attendance)) is None
    assert db.session.scalar(select(CheckInAttempt.refusal)) is CheckInRefusal.EXPIRED
    organizer = browser(app, room["people"]["trainer_owner"])
    sheet = organizer.get(f"{_base(room)}/attendance").get_data(as_text=True)
    assert "二维码已过期" in sheet and 'id="sheet-absent">1<' in sheet


@pytest.mark.parametrize(("path_of", "words"), [
    (lambda s: _scan_path(s, code="0123456789abcdef"), "不是本课次有效的签到二维码"),
    (lambda s: _scan_path(s, window=time_window(utcnow()) + 5), "不是本课次有效的签到二维码"),
])
def test_a_forged_code_is_refused_in_chinese(app, room, path_of, words):
    phone = browser(app, room["people"]["cadre"])
    text = phone.post(path_of(room["session"])).get_data(as_text=True)
    assert words in text and db.session.scalar(select(Attendance)) is None


def test_too_early_closed_and_not_enrolled_say_so(app, room, tree):
    training_class = room["class"]
    later = add_attendance_session(training_class, starts_at=utcnow() + timedelta(hours=2))
    earlier = add_attendance_session(training_class, starts_at=utcnow() - timedelta(hours=5),
                                     minutes=60)
    db.session.commit()
    phone = browser(app, room["people"]["cadre"])
    assert "签到将于" in phone.post(_scan_path(later)).get_data(as_text=True)
    assert "签到已结束" in phone.post(_scan_path(earlier)).get_data(as_text=True)
    stranger = browser(app, make_user(unit=tree["jiefangbei"]))
    db.session.commit()
    assert "不是本培训班的在册学员" in stranger.post(_scan_path(room["session"])
                                              ).get_data(as_text=True)
    refusals = set(db.session.scalars(select(CheckInAttempt.refusal)))
    assert refusals == {CheckInRefusal.TOO_EARLY, CheckInRefusal.CLOSED,
                        CheckInRefusal.NOT_ENROLLED}


def test_the_phone_pages_fit_a_phone_and_carry_the_csrf_token(app, room, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    phone = browser_with_csrf(app, room["people"]["cadre"])
    page = phone.get(_scan_path(room["session"])).get_data(as_text=True)
    assert 'name="viewport" content="width=device-width' in page
    assert 'class="check-in-phone"' in page and "btn-lg w-100" in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    stamp = STAMP.search(page).group(1)
    assert phone.post(_scan_path(room["session"]), data={"stamp": stamp}).status_code == 400
    answer = phone.post(_scan_path(room["session"]), data={"stamp": stamp, "csrf_token": token})
    assert "签到成功" in answer.get_data(as_text=True)


def browser_with_csrf(app, user):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302
    return client


def test_a_correction_needs_a_reason_and_is_audited(app, room):
    cadre = room["people"]["cadre"]
    organizer = browser(app, room["people"]["hr_in_scope"])
    correct = f"{_base(room)}/attendance/correct"
    page = organizer.post(correct, data={"member": cadre.id, "status": "late", "reason": " "})
    assert page.status_code == 200 and "请填写更正原因" in page.get_data(as_text=True)
    assert db.session.scalar(select(Attendance)) is None
    page = organizer.post(correct, data={"member": 999999, "status": "late", "reason": "核实"})
    assert page.status_code == 200 and db.session.scalar(select(Attendance)) is None
    page = organizer.post(correct, data={"member": cadre.id, "status": "absent", "reason": "核实"})
    assert "该学员已是此状态" in page.get_data(as_text=True)
    done = organizer.post(correct, data={"member": cadre.id, "status": "late",
                                         "reason": "9:20到场，手机没电"})
    assert done.status_code == 302
    sheet = organizer.get(done.location).get_data(as_text=True)
    assert "考勤已更正" in sheet and "9:20到场，手机没电" in sheet and 'id="sheet-late">1<' in sheet
    [event] = audit_events("attendance.corrected")
    assert event.details["after"] == "late"
    preset = organizer.get(f"{_base(room)}/attendance?member={cadre.id}").get_data(as_text=True)
    assert f'<option selected value="{cadre.id}">' in preset


def test_the_overview_counts_every_session(app, room):
    add_attendance_session(room["class"], starts_at=utcnow() + timedelta(days=1),
                           topic="数据安全与个人信息保护")
    db.session.commit()
    cadre = browser(app, room["people"]["cadre"])
    cadre.post(_scan_path(room["session"]))
    organizer = browser(app, room["people"]["admin"])
    page = organizer.get(f"/classes/{room['class'].id}/attendance").get_data(as_text=True)
    assert "城市大脑与数字治理" in page and "数据安全与个人信息保护" in page
    assert page.count("/sessions/") >= 4  # a sheet and a projector link per session


def test_the_organizer_pages_run_a_bounded_number_of_queries(app, room, tree, count_queries):
    for number in range(30):
        add_attendance_member(room["class"], make_user(unit=tree["jiefangbei"],
                                                       username=f"Q{number:05d}"))
    db.session.commit()
    organizer = browser(app, room["people"]["admin"])
    for path in (f"{_base(room)}/check-in/state", f"{_base(room)}/attendance",
                 f"/classes/{room['class'].id}/attendance"):
        with count_queries(own_context=True) as counter:
            assert organizer.get(path).status_code == 200
        assert counter.count <= 10, (path, counter.statements)


def test_the_phone_page_and_its_check_in_are_a_handful_of_statements(app, room, count_queries):
    phone = browser(app, room["people"]["cadre"])
    path = _scan_path(room["session"])
    with count_queries(own_context=True) as page:
        assert phone.get(path).status_code == 200
    with count_queries(own_context=True) as post:
        assert "签到成功" in phone.post(path).get_data(as_text=True)
    # the user, the session with its class, the cadre's attendance
    assert page.count <= 3, page.statements
    # the user, the session with its class, the standing, savepoint + insert + release,
    # the audit event (and the commit, which is no statement here)
    assert post.count <= 7, post.statements


def test_the_audit_log_reads_attendance_events_in_chinese(app, room):
    from tests.web.test_untranslated_text import english_words, visible_text

    cadre = room["people"]["cadre"]
    phone = browser(app, cadre)
    phone.post(_scan_path(room["session"], code="0" * 16))
    phone.post(_scan_path(room["session"]))
    organizer = browser(app, room["people"]["hr_in_scope"])
    organizer.post(f"{_base(room)}/attendance/correct",
                   data={"member": cadre.id, "status": "late", "reason": "实际9:20到场"})
    page = browser(app, room["people"]["admin"]).get("/admin/audit").get_data(as_text=True)
    for words in ("培训班课次签到", "培训班签到被拒绝", "培训班考勤已更正", "无效二维码",
                  "变更前", "扫码签到", "实际9:20到场"):
        assert words in page, words
    assert english_words(visible_text(page)) == set()
