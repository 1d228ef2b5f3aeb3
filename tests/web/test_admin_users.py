import re

import pytest
from sqlalchemy import select

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.models import AuditEvent, User
from app.services.people.accounts import create_user, find_user_by_username, grant_role
from app.services.people.passwords import verify_password
from tests.factories import PASSWORD, make_user

NEW_USER = {"username": "E900001", "name": "赵敏", "unit": "500103", "rank": "section",
            "category": "economy", "roles": ["hr", "trainer"], "scope": "500103"}


def _password_on(page: str) -> str:
    match = re.search(r'id="one-time-password">([^<]+)<', page)
    assert match, page
    return match.group(1)


def _actions(db, target):
    return [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.target == target).order_by(AuditEvent.id))]


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.TRAINER, RoleName.HR])
def test_only_admins_reach_user_administration(client, tree, login_as, db, role):
    other = make_user(unit=tree["jiefangbei"], name="别人")
    db.session.commit()
    login_as(role)
    for url in ("/admin/users/", "/admin/users/new", f"/admin/users/{other.id}"):
        assert client.get(url).status_code == 403, url
    for action in ("password", "deactivate", "reactivate", "roles", "roles/admin/revoke"):
        assert client.post(f"/admin/users/{other.id}/{action}",
                           data={"grant-role": "admin"}).status_code == 403, action
    assert client.post("/admin/users/new", data=NEW_USER).status_code == 403
    db.session.expire_all()
    assert other.active and other.role_names == {RoleName.CADRE}
    assert find_user_by_username("E900001") is None


def test_admin_lists_and_filters_users(client, tree, login_as, db):
    make_user(unit=tree["jiefangbei"], username="E001", name="李明", rank=Rank.SECTION)
    make_user(unit=tree["guanyinqiao"], username="E002", name="王芳",
              roles=[RoleName.TRAINER]).active = False
    db.session.commit()
    login_as(RoleName.ADMIN)
    page = client.get("/admin/users/").get_data(as_text=True)
    assert "李明" in page and "王芳" in page and 'id="new-user"' in page
    filtered = client.get("/admin/users/?unit=500103&rank=section&active=1").get_data(
        as_text=True)
    assert "李明" in filtered and "王芳" not in filtered
    trainers = client.get("/admin/users/?role=trainer&q=E00").get_data(as_text=True)
    assert "王芳" in trainers and "李明" not in trainers
    unknown = client.get("/admin/users/?unit=999999&rank=nonsense&page=-3")
    assert unknown.status_code == 200
    assert "999999" in unknown.get_data(as_text=True) and "李明" not in unknown.get_data(
        as_text=True)


def _add_people(tree, start, stop):
    for n in range(start, stop):
        user = create_user(username=f"Q{n:03d}", name=f"学员{n}", org_unit=tree["jiefangbei"],
                           rank=Rank.STAFF, category=WorkCategory.ECONOMY, password_hash="x",
                           actor=None)
        if n % 4 == 0:
            grant_role(user, RoleName.HR, scope=tree["yuzhong"], actor=None)


def test_the_user_list_runs_the_same_queries_for_5_and_50_people(
        client, tree, login_as, db, count_queries):
    login_as(RoleName.ADMIN)
    counts = []
    for start, stop in ((0, 5), (5, 50)):
        _add_people(tree, start, stop)
        db.session.commit()
        client.get("/admin/users/")  # warm up: per-process caches are not per-page queries
        with count_queries(own_context=True) as counter:
            response = client.get("/admin/users/")
        assert response.status_code == 200 and f"学员{stop - 1}" in response.get_data(
            as_text=True)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 8, counts


def test_admin_creates_an_account_and_sees_the_one_time_password_once(
        client, tree, login_as, db):
    admin = login_as(RoleName.ADMIN)
    assert client.get("/admin/users/new").status_code == 200
    response = client.post("/admin/users/new", data=NEW_USER)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = _password_on(response.get_data(as_text=True))
    user = find_user_by_username("E900001")
    assert user.role_names == {RoleName.CADRE, RoleName.HR, RoleName.TRAINER}
    assert user.org_unit.code == "500103" and user.rank is Rank.SECTION
    assert user.must_change_password and verify_password(user.password_hash, password)
    assert password not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert _actions(db, f"user:{user.id}") == [
        "users.created", "roles.granted", "roles.granted", "password.reset"]
    assert db.session.scalar(select(AuditEvent.actor_id).where(
        AuditEvent.action == "users.created", AuditEvent.target == f"user:{user.id}")) == admin.id


def test_create_form_reports_bad_input_and_saves_nothing(client, tree, login_as, db):
    make_user(unit=tree["jiefangbei"], username="TAKEN")
    db.session.commit()
    login_as(RoleName.ADMIN)
    cases = [({"username": "TAKEN"}, "TAKEN"),
             ({"username": "has space"}, "letters, digits"),
             ({"unit": "nope"}, "Not a valid choice"),
             ({"scope": ""}, "HR role needs"),
             ({"name": ""}, "This field is required")]
    for change, message in cases:
        response = client.post("/admin/users/new", data={**NEW_USER, **change},
                               headers={"Accept-Language": "en"})
        text = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert message.lower() in text.lower(), (change, text)
    assert db.session.scalar(select(User).where(User.username.in_(["E900001", "has space"]))) \
        is None


def test_admin_edits_a_user_and_each_change_is_audited(client, tree, login_as, db):
    person = make_user(unit=tree["jiefangbei"], name="李明", rank=Rank.STAFF)
    db.session.commit()
    login_as(RoleName.ADMIN)
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert 'value="李明"' in page and 'id="grant-form"' in page
    form = {"name": "李明明", "unit": "500105001", "rank": "section",
            "category": person.category.value, "language": "en"}
    response = client.post(f"/admin/users/{person.id}", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert (person.name, person.org_unit.code, person.rank) == ("李明明", "500105001",
                                                                Rank.SECTION)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "users.updated"))
    assert event.details["changes"]["unit"] == ["500103001", "500105001"]
    bad = client.post(f"/admin/users/{person.id}", data={**form, "rank": "emperor"})
    assert bad.status_code == 400
    assert client.get("/admin/users/999999").status_code == 404


def test_admin_grants_and_revokes_roles(client, tree, login_as, db):
    person = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    login_as(RoleName.ADMIN)
    url = f"/admin/users/{person.id}"
    client.post(f"{url}/roles", data={"grant-role": "hr", "grant-scope": "500103"})
    db.session.expire_all()
    hr = next(r for r in person.roles if r.name is RoleName.HR)
    assert hr.scope_unit.code == "500103"
    refused = client.post(f"{url}/roles", data={"grant-role": "hr", "grant-scope": ""},
                          headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "HR role needs" in refused.get_data(as_text=True)
    client.post(f"{url}/roles/hr/revoke")
    db.session.expire_all()
    assert not person.has_role(RoleName.HR)
    assert client.post(f"{url}/roles/emperor/revoke").status_code == 404
    assert _actions(db, f"user:{person.id}")[-2:] == ["roles.granted", "roles.revoked"]


def test_admin_cannot_remove_own_admin_role_nor_deactivate_self(client, tree, login_as, db):
    admin = login_as(RoleName.ADMIN)
    en = {"Accept-Language": "en"}
    revoke = client.post(f"/admin/users/{admin.id}/roles/admin/revoke", headers=en,
                         follow_redirects=True)
    assert "cannot remove your own administrator role" in revoke.get_data(as_text=True)
    deactivate = client.post(f"/admin/users/{admin.id}/deactivate", headers=en,
                             follow_redirects=True)
    assert "cannot deactivate your own account" in deactivate.get_data(as_text=True)
    db.session.expire_all()
    assert admin.active and admin.has_role(RoleName.ADMIN)
    assert "users.deactivated" not in _actions(db, f"user:{admin.id}")


def test_reset_password_shows_a_one_time_password_and_ends_sessions(
        client, tree, login_as, db, app):
    person = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    other = app.test_client()
    assert other.post("/auth/login", data={"username": person.username,
                                           "password": PASSWORD}).status_code == 302
    assert other.get("/").status_code == 200
    login_as(RoleName.ADMIN)
    response = client.post(f"/admin/users/{person.id}/password")
    password = _password_on(response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"
    db.session.expire_all()
    assert verify_password(person.password_hash, password) and person.must_change_password
    old_session = other.get("/")
    assert old_session.status_code == 302 and "/auth/login" in old_session.location


def test_deactivate_ends_sessions_and_reactivate_restores(client, tree, login_as, db, app):
    person = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    other = app.test_client()
    other.post("/auth/login", data={"username": person.username, "password": PASSWORD})
    login_as(RoleName.ADMIN)
    assert client.post(f"/admin/users/{person.id}/deactivate").status_code == 302
    db.session.expire_all()
    assert not person.active
    assert "/auth/login" in other.get("/").location
    page = client.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert 'id="inactive-badge"' in page and 'id="reactivate"' in page
    client.post(f"/admin/users/{person.id}/reactivate")
    db.session.expire_all()
    assert person.active
    assert _actions(db, f"user:{person.id}")[-2:] == ["users.deactivated", "users.reactivated"]


def test_buttons_need_the_csrf_token_when_it_is_on(client, tree, login_as, db, app,
                                                   monkeypatch):
    person = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    login_as(RoleName.ADMIN)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.post(f"/admin/users/{person.id}/deactivate").status_code == 400
    db.session.expire_all()
    assert person.active


def test_admin_home_and_header_link_to_user_and_org_administration(client, tree, login_as):
    login_as(RoleName.ADMIN)
    page = client.get("/").get_data(as_text=True)
    assert 'id="home-users"' in page and 'id="nav-users"' in page and 'id="nav-org"' in page
