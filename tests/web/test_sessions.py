"""Issue #17, finding 9: idle sign-out, HSTS and the __Host- session cookie in production."""

import pytest

from app import create_app
from app.web import sessions
from config import ProductionConfig
from tests.factories import PASSWORD, make_user

IDLE_MESSAGE = "分钟无操作，已自动退出"


class _Production(ProductionConfig):
    SECRET_KEY = "s" * 40
    CERT_SIGNING_KEY = "c" * 40
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = "memory://"


@pytest.fixture
def clock(monkeypatch):
    moment = {"now": 1_800_000_000}
    monkeypatch.setattr(sessions, "_now", lambda: moment["now"])
    return moment


def _sign_in(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": PASSWORD})
    assert response.status_code == 302
    return user


def test_downloads_with_personal_data_production_sends_hsts_and_a_host_cookie(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(_Production)
    response = app.test_client().get("/auth/login", base_url="https://academy.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"secure", "path", "httponly"} <= attributes and "domain" not in attributes
    assert "Path=/;" in cookie or cookie.endswith("Path=/")


def test_downloads_with_personal_data_no_hsts_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers


def test_idle_session_ends_after_the_configured_minutes(client, tree, clock, app):
    app.config["SESSION_IDLE_MINUTES"] = 30
    _sign_in(client, tree)
    clock["now"] += 29 * 60
    assert client.get("/").status_code == 200  # 29 minutes: still signed in
    clock["now"] += 30 * 60
    response = client.get("/auth/profile")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login?next=/auth/profile")
    assert IDLE_MESSAGE in client.get(response.location).get_data(as_text=True)
    assert client.get("/").status_code == 302  # signed out for good


def test_idle_session_stamp_is_renewed_at_most_once_a_minute(client, tree, clock):
    _sign_in(client, tree)
    client.get("/")  # the first page stores its CSRF token in the session
    clock["now"] += 10
    assert "Set-Cookie" not in client.get("/").headers
    clock["now"] += 60
    assert "Set-Cookie" in client.get("/").headers
    clock["now"] += 5
    assert "Set-Cookie" not in client.get("/").headers


def test_idle_session_an_exam_in_progress_stays_signed_in(client, tree, clock):
    _sign_in(client, tree)
    for _ in range(12):  # an hour of reading questions, the page's heartbeat every 5 minutes
        clock["now"] += 5 * 60
        assert client.get("/auth/keepalive",
                          headers={"Accept": "application/json"}).status_code == 200
    assert client.get("/").status_code == 200


def test_idle_session_a_one_minute_timeout_still_keeps_an_exam_alive(client, tree, clock, app):
    # The page beats every 20 s per idle minute; renewing only once a minute, the stamp of a
    # one-minute timeout ran out at the third beat.
    app.config["SESSION_IDLE_MINUTES"] = 1
    _sign_in(client, tree)
    for _ in range(9):  # three minutes of reading, a heartbeat every 20 seconds
        clock["now"] += 20
        assert client.get("/auth/keepalive",
                          headers={"Accept": "application/json"}).status_code == 200
    assert client.get("/").status_code == 200


def test_idle_session_a_background_save_gets_a_clear_401(client, tree, clock):
    _sign_in(client, tree)
    clock["now"] += 31 * 60
    response = client.get("/auth/keepalive", headers={"Accept": "application/json"})
    assert response.status_code == 401 and IDLE_MESSAGE in response.get_json()["error"]
