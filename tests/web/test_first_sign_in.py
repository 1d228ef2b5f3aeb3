"""A one-time password must be replaced before anything else can be opened."""

from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.models import AuditEvent
from app.services.people.one_time_passwords import set_one_time_password
from tests.factories import make_user

NEW = "Mine@2027x"


def _user_with_one_time_password(db, tree, roles=()):
    user = make_user(unit=tree["jiefangbei"], roles=roles)
    password = set_one_time_password(user, actor=None)
    db.session.commit()
    return user, password


def _login(client, username, password):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_sign_in_with_a_one_time_password_leads_to_the_password_page(client, tree, db):
    user, password = _user_with_one_time_password(db, tree)
    response = _login(client, user.username, password)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/password")
    page = client.get("/auth/password")
    assert page.status_code == 200 and 'id="must-change-password"' in page.get_data(as_text=True)


def test_every_page_redirects_until_the_password_is_changed(client, tree, db):
    user, password = _user_with_one_time_password(db, tree, roles=[RoleName.ADMIN])
    _login(client, user.username, password)
    for path in ("/", "/courses/", "/auth/profile", "/admin/audit", "/records/me"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/auth/password"), path
    # public pages stay open
    assert client.get("/healthz").status_code == 200


def test_changing_the_password_clears_the_flag_and_is_audited(client, tree, db):
    user, password = _user_with_one_time_password(db, tree)
    _login(client, user.username, password)
    response = client.post("/auth/password", data={"current_password": password,
                                                   "new_password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    db.session.refresh(user)
    assert user.must_change_password is False
    assert client.get("/auth/profile").status_code == 200
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.password_changed")).one()
    assert event.details == {"one_time_replaced": True}
    assert password not in str(event.details) and NEW not in str(event.details)
    client.post("/auth/logout")
    assert _login(client, user.username, password).status_code == 200  # old one refused
    assert _login(client, user.username, NEW).headers["Location"].endswith("/")


def test_keeping_the_one_time_password_is_refused(client, tree, db):
    user, password = _user_with_one_time_password(db, tree)
    _login(client, user.username, password)
    response = client.post("/auth/password", data={"current_password": password,
                                                   "new_password": password,
                                                   "confirm": password})
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.must_change_password is True
    assert client.get("/").status_code == 302


def test_a_wrong_current_password_keeps_the_flag(client, tree, db):
    user, password = _user_with_one_time_password(db, tree)
    _login(client, user.username, password)
    response = client.post("/auth/password", data={"current_password": "Wrong@2027",
                                                   "new_password": NEW, "confirm": NEW})
    assert response.status_code == 200
    db.session.refresh(user)
    assert user.must_change_password is True


def test_sign_out_works_before_the_change(client, tree, db):
    user, password = _user_with_one_time_password(db, tree)
    _login(client, user.username, password)
    response = client.post("/auth/logout")
    assert response.headers["Location"].endswith("/auth/login")
    assert client.get("/auth/password").status_code == 302  # signed out: login page
    assert "/auth/login" in client.get("/auth/password").headers["Location"]


def test_users_without_the_flag_are_not_redirected(client, login_as):
    login_as(RoleName.CADRE)
    assert client.get("/auth/profile").status_code == 200
