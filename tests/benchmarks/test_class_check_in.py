"""The class check-in benchmark's own parts: what its client reads from the phone pages
(the CSRF token, the scan stamp, the answer's headline) is what the pages hold."""

from datetime import timedelta

from app.domain.attendance import check_in_code, time_window
from app.extensions import db
from app.models.types import utcnow
from benchmarks.class_check_in import OUTCOME, STAMP, percentile
from benchmarks.load.client import CSRF
from tests.factories import (
    PASSWORD,
    add_attendance_member,
    add_attendance_session,
    make_attendance_class,
    make_user,
)


def test_the_client_finds_the_token_the_stamp_and_the_answer(app, tree, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    cadre = make_user(unit=tree["jiefangbei"])
    training_class = make_attendance_class(unit=tree["yuzhong"])
    session = add_attendance_session(training_class, starts_at=utcnow() + timedelta(minutes=5))
    add_attendance_member(training_class, cadre)
    db.session.commit()
    client = app.test_client()
    login = client.get("/auth/login").get_data(as_text=True)
    client.post("/auth/login", data={"username": cadre.username, "password": PASSWORD,
                                     "csrf_token": CSRF.search(login).group(1)})
    window = time_window(utcnow())
    path = f"/classes/check-in/{session.id}/{window}/" + check_in_code(
        session.check_in_secret, session.id, window)
    page = client.get(path).get_data(as_text=True)
    token, stamp = CSRF.search(page).group(1), STAMP.search(page).group(1)
    assert stamp
    answer = client.post(path, data={"csrf_token": token, "stamp": stamp}).get_data(as_text=True)
    assert OUTCOME.search(answer).group(1) == "签到成功"
    again = client.post(path, data={"csrf_token": CSRF.search(client.get(path).get_data(
        as_text=True)).group(1)}).get_data(as_text=True)
    assert OUTCOME.search(again).group(1) == "已签到"


def test_percentiles_of_the_latencies():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (
        51.0, 96.0, 100.0)
    assert percentile([], 0.5) == 0.0
