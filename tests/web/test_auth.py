from http.cookies import SimpleCookie

import pytest
from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.models import AuditEvent
from app.services.people.accounts import deactivate_user
from tests.factories import PASSWORD, make_user

GENERIC = "工号或密码错误"
THROTTLED = "该工号尝试失败次数过多"


def _login(client, username, password=PASSWORD):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_login_page_is_chinese_by_default(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'lang="zh-Hans"' in page
    assert "登录" in page and 'name="username"' in page and 'name="password"' in page


def test_successful_login_lands_on_home(client, tree):
    user = make_user(unit=tree["jiefangbei"], name="李明")
    response = _login(client, user.username)
    assert response.status_code == 302 and response.location == "/"
    assert "欢迎，李明" in client.get("/").get_data(as_text=True)


def test_login_redirects_only_to_local_next(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    response = client.post("/auth/login?next=/auth/profile", data={
        "username": user.username, "password": PASSWORD, "next": "https://evil.example/"})
    assert response.location == "/"
    client.post("/auth/logout")
    response = client.post("/auth/login", data={
        "username": user.username, "password": PASSWORD, "next": "/auth/profile"})
    assert response.location == "/auth/profile"


def test_unknown_user_and_wrong_password_look_the_same(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    unknown = _login(client, "nobody", "x")
    wrong = _login(client, user.username, "x")
    assert unknown.status_code == wrong.status_code == 200
    assert GENERIC in unknown.get_data(as_text=True)
    assert GENERIC in wrong.get_data(as_text=True)


def test_five_failures_slow_the_account_down_and_are_audited(client, tree, db):
    user = make_user(unit=tree["jiefangbei"])
    for _ in range(4):
        assert GENERIC in _login(client, user.username, "bad").get_data(as_text=True)
    slowed = _login(client, user.username, "bad").get_data(as_text=True)
    assert THROTTLED in slowed and "锁定" not in slowed
    again = _login(client, user.username, PASSWORD)
    assert again.status_code == 200 and THROTTLED in again.get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("auth.login_failed") == 5
    assert "auth.throttled" in actions and "auth.login_throttled" in actions


def test_inactive_user_cannot_sign_in(client, tree, db):
    user = make_user(unit=tree["jiefangbei"])
    deactivate_user(user, actor=None)
    db.session.commit()
    response = _login(client, user.username)
    assert response.status_code == 200 and "已停用" in response.get_data(as_text=True)


def test_login_is_rate_limited_per_ip(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    statuses = [_login(client, "nobody", "x").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    page = _login(client, "nobody", "x").get_data(as_text=True)
    assert "请求过于频繁" in page


@pytest.mark.parametrize("how", ["logout", "password", "deactivate"])
def test_a_captured_session_cookie_stops_working(app, client, tree, db, how):
    user = make_user(unit=tree["jiefangbei"])
    _login(client, user.username)
    stolen = client.get_cookie("session").value
    if how == "logout":
        client.post("/auth/logout")
    elif how == "password":
        response = client.post("/auth/password", data={
            "current_password": PASSWORD, "new_password": "Another@2027",
            "confirm": "Another@2027"})
        assert response.status_code == 302
    else:
        deactivate_user(user, actor=None)
        db.session.commit()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get("/auth/profile")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_password_change_keeps_the_current_session(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    _login(client, user.username)
    client.post("/auth/password", data={"current_password": PASSWORD,
                                        "new_password": "Another@2027",
                                        "confirm": "Another@2027"})
    assert client.get("/auth/profile").status_code == 200
    client.post("/auth/logout")
    assert _login(client, user.username, "Another@2027").status_code == 302


def test_password_change_explains_what_is_wrong(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    _login(client, user.username)
    page = client.post("/auth/password", data={"current_password": PASSWORD,
                                               "new_password": "short", "confirm": "short"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "至少 8 位" in text
    page = client.post("/auth/password", data={"current_password": "bad",
                                               "new_password": "Another@2027",
                                               "confirm": "Another@2027"})
    assert "当前密码不正确" in page.get_data(as_text=True)


def test_login_starts_a_fresh_session(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    _login(client, user.username)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_cookie_flags(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    response = _login(client, user.username)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    morsel = SimpleCookie(header)["session"]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"


def test_post_without_csrf_token_gets_a_readable_400(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/auth/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)


def test_profile_shows_the_users_details(client, login_as):
    user = login_as(RoleName.HR)
    page = client.get("/auth/profile").get_data(as_text=True)
    assert user.username in page and "解放碑街道" in page and "组织人事" in page


def test_a_session_outlives_a_browser_restart_for_the_working_day(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    response = _login(client, user.username)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Expires=" in cookie  # a permanent cookie, not one that dies with the browser
    assert client.application.permanent_session_lifetime.total_seconds() == 12 * 3600


def test_the_real_client_address_comes_through_a_trusted_proxy_only(app, client, tree, db):
    from app import _trust_proxies

    user = make_user(unit=tree["jiefangbei"])
    original = app.wsgi_app
    try:
        for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.7")):
            app.wsgi_app = original
            app.config["TRUSTED_PROXIES"] = hops
            _trust_proxies(app)
            client.post("/auth/login", data={"username": user.username, "password": "x"},
                        headers={"X-Forwarded-For": "203.0.113.7"},
                        environ_base={"REMOTE_ADDR": "127.0.0.1"})
            event = db.session.scalars(select(AuditEvent).where(
                AuditEvent.action == "auth.login_failed").order_by(AuditEvent.id.desc())).first()
            assert event.ip == expected
    finally:
        app.wsgi_app = original
        app.config["TRUSTED_PROXIES"] = 0
