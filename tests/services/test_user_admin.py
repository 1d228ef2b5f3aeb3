import pytest
from sqlalchemy import select

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.models import AuditEvent
from app.services.core.errors import PermissionDenied
from app.services.people.accounts import (
    AccountRefused,
    LoginOutcome,
    authenticate_user,
    create_user,
    grant_role,
)
from app.services.people.passwords import verify_password
from app.services.people.user_admin import (
    NewAccount,
    UserChanges,
    UserFilter,
    create_account,
    reset_password,
    search_users,
    update_user,
)
from tests.factories import PASSWORD, audit_events, make_user


@pytest.fixture
def admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN], name="管理员", username="ADM")


def _events(db, action):
    return audit_events(action)


def _usernames(filters, admin, **paging):
    page = search_users(filters, actor=admin, page=paging.get("page", 1),
                        per_page=paging.get("per_page", 50))
    return [u.username for u in page.items]


def test_search_filters_by_text_unit_subtree_rank_role_and_status(tree, admin, db):
    make_user(unit=tree["jiefangbei"], username="E001", name="李明", rank=Rank.SECTION)
    make_user(unit=tree["chaotianmen"], username="E002", name="王芳",
              roles=[RoleName.TRAINER])
    make_user(unit=tree["guanyinqiao"], username="E003", name="李华").active = False
    make_user(unit=tree["yuzhong"], username="E_4", name="赵四", roles=[RoleName.HR],
              scope=tree["yuzhong"])
    assert _usernames(UserFilter(text="李"), admin) == ["E001", "E003"]
    assert _usernames(UserFilter(text="e00"), admin) == ["E001", "E002", "E003"]
    assert _usernames(UserFilter(text="E_"), admin) == ["E_4"]  # "_" is no wildcard
    assert set(_usernames(UserFilter(unit=tree["yuzhong"]), admin)) == {"E001", "E002", "E_4"}
    assert _usernames(UserFilter(rank=Rank.SECTION), admin) == ["E001"]
    assert _usernames(UserFilter(role=RoleName.TRAINER), admin) == ["E002"]
    assert _usernames(UserFilter(role=RoleName.HR, unit=tree["yuzhong"]), admin) == ["E_4"]
    assert _usernames(UserFilter(active=False), admin) == ["E003"]
    assert "E003" not in _usernames(UserFilter(active=True), admin)


def test_search_pages_and_is_for_admins_only(tree, admin):
    for n in range(5):
        make_user(unit=tree["jiefangbei"], username=f"P{n}")
    page = search_users(UserFilter(text="P"), actor=admin, page=2, per_page=2)
    assert (page.total, page.pages, [u.username for u in page.items]) == (5, 3, ["P2", "P3"])
    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    with pytest.raises(PermissionDenied):
        search_users(UserFilter(), actor=hr, page=1, per_page=10)


@pytest.mark.parametrize("people", [5, 50])
def test_a_page_of_users_with_their_roles_takes_three_queries(tree, admin, db, count_queries,
                                                              people):
    for n in range(people):
        user = create_user(username=f"Q{n:03d}", name="学员", org_unit=tree["jiefangbei"],
                           rank=Rank.STAFF, category=WorkCategory.ECONOMY,
                           password_hash="x", actor=None)
        if n % 5 == 0:
            grant_role(user, RoleName.HR, scope=tree["yuzhong"], actor=None)
    db.session.commit()
    db.session.expire_all()
    assert admin.has_role(RoleName.ADMIN)  # the signed-in admin is loaded before the page
    with count_queries() as counter:
        page = search_users(UserFilter(), actor=admin, page=1, per_page=50)
        shown = [(u.org_unit.name, [(r.name, r.scope_unit and r.scope_unit.name)
                                    for r in u.roles]) for u in page.items]
    assert len(shown) == min(people + 1, 50)
    assert counter.count == 3  # count, page, the page's roles (with HR scopes joined)


def test_create_account_grants_roles_and_returns_a_one_time_password(tree, admin, db):
    data = NewAccount(username="E900", name="赵敏", unit=tree["yuzhong"], rank=Rank.DIVISION,
                      category=WorkCategory.ECONOMY, roles=[RoleName.HR, RoleName.TRAINER],
                      scope=tree["yuzhong"])
    user, password = create_account(data, actor=admin, ip="10.1.1.1")
    assert user.role_names == {RoleName.CADRE, RoleName.HR, RoleName.TRAINER}
    hr = next(r for r in user.roles if r.name is RoleName.HR)
    assert hr.scope_unit is tree["yuzhong"]
    assert user.must_change_password and verify_password(user.password_hash, password)
    assert password not in str([e.details for e in db.session.scalars(select(AuditEvent))])
    assert [e.actor_id for e in _events(db, "users.created")
            if e.target == f"user:{user.id}"] == [admin.id]
    assert sorted(e.details["role"] for e in _events(db, "roles.granted")
                  if e.target == f"user:{user.id}") == ["hr", "trainer"]
    assert [e.target for e in _events(db, "password.reset")] == [f"user:{user.id}"]
    result = authenticate_user("E900", password, ip=None)
    assert result.outcome is LoginOutcome.OK and result.user.must_change_password


def test_create_account_refusals(tree, admin):
    base = dict(name="甲", unit=tree["yuzhong"], rank=Rank.STAFF,
                category=WorkCategory.ECONOMY)
    make_user(unit=tree["yuzhong"], username="TAKEN")
    cases = [(NewAccount(username="TAKEN", **base), "username_taken"),
             (NewAccount(username="E1", roles=[RoleName.HR], **base), "hr_needs_scope"),
             (NewAccount(username=" ", **base), "required")]
    for data, code in cases:
        with pytest.raises(AccountRefused) as error:
            create_account(data, actor=admin)
        assert error.value.code == code
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        create_account(NewAccount(username="E2", **base), actor=trainer)


def test_update_user_audits_each_changed_field(tree, admin, db):
    user = make_user(unit=tree["jiefangbei"], name="李明", rank=Rank.STAFF)
    changes = UserChanges(name="李明明", unit=tree["guanyinqiao"], rank=Rank.SECTION,
                          category=user.category, language="en")
    changed = update_user(user, changes, actor=admin, ip="10.0.0.2")
    assert changed == {"name": ["李明", "李明明"], "unit": ["500103001", "500105001"],
                       "rank": ["staff", "section"], "language": [None, "en"]}
    assert (user.org_unit, user.preferred_language) == (tree["guanyinqiao"], "en")
    [event] = _events(db, "users.updated")
    assert event.details == {"changes": changed} and event.ip == "10.0.0.2"
    assert update_user(user, changes, actor=admin) == {}
    assert len(_events(db, "users.updated")) == 1


def test_update_user_refuses_a_deactivated_unit_and_an_empty_name(tree, admin):
    user = make_user(unit=tree["jiefangbei"])
    tree["chaotianmen"].active = False
    move = UserChanges(name=user.name, unit=tree["chaotianmen"], rank=user.rank,
                       category=user.category, language=None)
    with pytest.raises(AccountRefused) as error:
        update_user(user, move, actor=admin)
    assert error.value.code == "inactive_unit" and user.org_unit is tree["jiefangbei"]
    with pytest.raises(AccountRefused):
        update_user(user, UserChanges(name=" ", unit=user.org_unit, rank=user.rank,
                                      category=user.category, language=None), actor=admin)
    # Someone already in a unit that was retired can still be edited in place.
    user.org_unit = tree["chaotianmen"]
    stay = UserChanges(name="新名字", unit=tree["chaotianmen"], rank=user.rank,
                       category=user.category, language=None)
    assert update_user(user, stay, actor=admin)["name"][1] == "新名字"


def test_reset_password_replaces_the_old_one_and_ends_sessions(tree, admin, db):
    user = make_user(unit=tree["jiefangbei"])
    version = user.session_version
    one_time = reset_password(user, actor=admin, ip="10.0.0.3")
    assert verify_password(user.password_hash, one_time)
    assert not verify_password(user.password_hash, PASSWORD)
    assert user.must_change_password and user.session_version == version + 1
    [event] = _events(db, "password.reset")
    assert (event.actor_id, event.ip) == (admin.id, "10.0.0.3")
    cadre = make_user(unit=tree["jiefangbei"])
    with pytest.raises(PermissionDenied):
        reset_password(user, actor=cadre)
