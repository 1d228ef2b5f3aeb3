from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import AuditEvent, Role, SignInThrottle, User
from app.models.types import utcnow
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.people.accounts import (
    AccountRefused,
    LoginOutcome,
    WeakPasswordError,
    authenticate_user,
    change_password,
    deactivate_user,
    grant_role,
    log_out_user,
    reactivate_user,
    revoke_role,
)
from app.services.people.passwords import verify_password
from tests.factories import PASSWORD, make_user


def _actions(db):
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_password_is_stored_as_argon2id(tree):
    user = make_user(unit=tree["jiefangbei"])
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def test_unknown_user_and_wrong_password_give_the_same_outcome(tree, db):
    user = make_user(unit=tree["jiefangbei"])
    unknown = authenticate_user("nobody", "whatever", ip="10.0.0.1")
    wrong = authenticate_user(user.username, "wrong", ip="10.0.0.1")
    assert unknown.outcome is wrong.outcome is LoginOutcome.INVALID
    assert unknown.user is None and wrong.user is None
    assert _actions(db) == ["users.created", "auth.login_failed", "auth.login_failed"]


def test_fifth_failure_delays_the_next_attempt_for_a_minute(tree, db):
    user = make_user(unit=tree["jiefangbei"])
    results = [authenticate_user(user.username, "wrong", ip=None) for _ in range(5)]
    assert [r.outcome for r in results] == [LoginOutcome.INVALID] * 4 + [LoginOutcome.THROTTLED]
    assert timedelta(seconds=50) < results[-1].retry_at - utcnow() <= timedelta(minutes=1)
    refused = authenticate_user(user.username, PASSWORD, ip=None)
    assert refused.outcome is LoginOutcome.THROTTLED
    assert "auth.throttled" in _actions(db) and "auth.login_throttled" in _actions(db)


def test_after_the_delay_the_owner_signs_in(tree, db):
    user = make_user(unit=tree["jiefangbei"])
    for _ in range(5):
        authenticate_user(user.username, "wrong", ip=None)
    _end_delay(user.username)
    result = authenticate_user(user.username, PASSWORD, ip=None)
    assert result.outcome is LoginOutcome.OK
    assert db.session.get(SignInThrottle, user.username.casefold()) is None


def test_success_resets_the_failure_count(tree, db):
    user = make_user(unit=tree["jiefangbei"])
    for _ in range(3):
        authenticate_user(user.username, "wrong", ip=None)
    assert authenticate_user(user.username, PASSWORD, ip=None).outcome is LoginOutcome.OK
    assert db.session.get(SignInThrottle, user.username.casefold()) is None
    assert user.last_login_at is not None


def _end_delay(username):
    throttle = db.session.get(SignInThrottle, username.casefold())
    throttle.blocked_until = utcnow() - timedelta(seconds=1)


def test_inactive_user_cannot_sign_in(tree):
    user = make_user(unit=tree["jiefangbei"])
    deactivate_user(user, actor=None)
    assert authenticate_user(user.username, PASSWORD, ip=None).outcome is LoginOutcome.INACTIVE


def test_logout_and_password_change_bump_the_session_version(tree):
    user = make_user(unit=tree["jiefangbei"])
    version = user.session_version
    log_out_user(user, ip=None)
    assert user.session_version == version + 1
    change_password(user, PASSWORD, "Better@2027", ip=None)
    assert user.session_version == version + 2
    assert verify_password(user.password_hash, "Better@2027")


def test_change_password_checks_current_and_strength(tree):
    user = make_user(unit=tree["jiefangbei"])
    with pytest.raises(ServiceError):
        change_password(user, "wrong", "Better@2027", ip=None)
    with pytest.raises(WeakPasswordError) as error:
        change_password(user, PASSWORD, "short", ip=None)
    assert "too_short" in error.value.problems


def test_role_changes_are_audited_and_hr_needs_a_scope(tree, db):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    user = make_user(unit=tree["jiefangbei"])
    with pytest.raises(ServiceError):
        grant_role(user, RoleName.HR, actor=admin)
    grant_role(user, RoleName.HR, scope=tree["yuzhong"], actor=admin)
    assert user.has_role(RoleName.HR)
    revoke_role(user, RoleName.HR, actor=admin)
    assert not user.has_role(RoleName.HR)
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("roles.%"),
                                 AuditEvent.target == f"user:{user.id}").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id, e.details["role"]) for e in events] == [
        ("roles.granted", admin.id, "hr"), ("roles.revoked", admin.id, "hr")]


def test_only_admins_change_roles(tree):
    cadre = make_user(unit=tree["jiefangbei"])
    other = make_user(unit=tree["jiefangbei"])
    with pytest.raises(PermissionDenied):
        grant_role(other, RoleName.ADMIN, actor=cadre)


def test_the_last_admin_cannot_be_removed(tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    with pytest.raises(AccountRefused) as error:
        revoke_role(admin, RoleName.ADMIN, actor=None)
    assert error.value.code == "last_admin"
    assert admin.has_role(RoleName.ADMIN)


def test_an_admin_cannot_remove_their_own_admin_role_even_with_other_admins(tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    other = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    with pytest.raises(AccountRefused) as error:
        revoke_role(admin, RoleName.ADMIN, actor=admin)
    assert error.value.code == "own_admin_role"
    revoke_role(admin, RoleName.ADMIN, actor=other)  # another admin may
    assert not admin.has_role(RoleName.ADMIN)


def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    dormant = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    deactivate_user(dormant, actor=admin)
    with pytest.raises(AccountRefused) as error:
        revoke_role(admin, RoleName.ADMIN, actor=None)
    assert error.value.code == "last_admin"
    with pytest.raises(AccountRefused):
        deactivate_user(admin, actor=None)
    assert admin.active


def test_admins_cannot_deactivate_themselves(tree, db):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    version = admin.session_version
    with pytest.raises(AccountRefused) as error:
        deactivate_user(admin, actor=admin)
    assert error.value.code == "self_deactivation"
    assert admin.active and admin.session_version == version
    assert "users.deactivated" not in _actions(db)


def test_deactivation_ends_sessions_and_reactivation_lets_the_user_back(tree, db):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    user = make_user(unit=tree["jiefangbei"])
    version = user.session_version
    deactivate_user(user, actor=admin, ip="10.0.0.9")
    deactivate_user(user, actor=admin)  # already inactive: nothing more happens
    assert not user.active and user.session_version == version + 1
    assert authenticate_user(user.username, PASSWORD, ip=None).outcome is LoginOutcome.INACTIVE
    reactivate_user(user, actor=admin)
    assert user.active
    assert authenticate_user(user.username, PASSWORD, ip=None).outcome is LoginOutcome.OK
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.target == f"user:{user.id}", AuditEvent.action.like("users.%ctivated"))
        .order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("users.deactivated", admin.id), ("users.reactivated", admin.id)]
    assert events[0].ip == "10.0.0.9"


def test_only_admins_deactivate_and_reactivate(tree):
    cadre = make_user(unit=tree["jiefangbei"])
    other = make_user(unit=tree["jiefangbei"])
    with pytest.raises(PermissionDenied):
        deactivate_user(other, actor=cadre)
    other.active = False
    with pytest.raises(PermissionDenied):
        reactivate_user(other, actor=cadre)


def test_nobody_joins_or_gets_hr_scope_on_a_deactivated_unit(tree, db):
    from app.services.people.accounts import create_user

    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    user = make_user(unit=tree["chaotianmen"])
    tree["jiefangbei"].active = False
    with pytest.raises(AccountRefused) as error:
        create_user(username="E77", name="甲", org_unit=tree["jiefangbei"], rank=user.rank,
                    category=user.category, password=PASSWORD, actor=admin)
    assert error.value.code == "inactive_unit"
    with pytest.raises(AccountRefused):
        grant_role(user, RoleName.HR, scope=tree["jiefangbei"], actor=admin)
    user.org_unit = tree["jiefangbei"]
    user.active = False
    with pytest.raises(AccountRefused):  # reactivate into a retired unit: move them first
        reactivate_user(user, actor=admin)


def test_database_refuses_hr_role_without_scope(tree, db):
    user = make_user(unit=tree["jiefangbei"])
    db.session.add(Role(user=user, name=RoleName.HR))
    with pytest.raises(Exception, match="(?i)check|constraint"):
        db.session.flush()
    db.session.rollback()


def test_username_is_unique_in_the_database(tree, db):
    make_user(unit=tree["jiefangbei"], username="E1")
    with pytest.raises(ServiceError):
        make_user(unit=tree["jiefangbei"], username="E1")


def test_a_hash_made_with_other_parameters_is_replaced_at_sign_in(tree, app):
    from argon2 import PasswordHasher

    user = make_user(unit=tree["jiefangbei"])
    old = PasswordHasher(time_cost=3, memory_cost=2048, parallelism=2).hash(PASSWORD)
    user.password_hash = old
    assert authenticate_user(user.username, PASSWORD, ip=None).outcome is LoginOutcome.OK
    config = app.config
    expected = (f"$argon2id$v=19$m={config['ARGON2_MEMORY_COST']},"
                f"t={config['ARGON2_TIME_COST']},p={config['ARGON2_PARALLELISM']}$")
    assert user.password_hash != old and user.password_hash.startswith(expected)
    assert verify_password(user.password_hash, PASSWORD)
    current = user.password_hash
    authenticate_user(user.username, PASSWORD, ip=None)
    assert user.password_hash == current  # already at today's parameters: left alone


def test_a_wrong_password_or_a_one_time_password_is_not_rehashed(tree):
    from argon2 import PasswordHasher

    user = make_user(unit=tree["jiefangbei"])
    old = PasswordHasher(time_cost=3, memory_cost=2048, parallelism=2).hash(PASSWORD)
    user.password_hash = old
    authenticate_user(user.username, "wrong", ip=None)
    assert user.password_hash == old
    user.must_change_password = True
    assert authenticate_user(user.username, PASSWORD, ip=None).outcome is LoginOutcome.OK
    assert user.password_hash == old  # replaced by its owner's own choice, not here


def test_production_hashes_at_owasp_interactive_parameters():
    from config import ProductionConfig

    assert (ProductionConfig.ARGON2_MEMORY_COST, ProductionConfig.ARGON2_TIME_COST,
            ProductionConfig.ARGON2_PARALLELISM) == (19 * 1024, 2, 1)


def test_finding_2_username_case_is_folded_at_sign_in_and_account_creation(tree, db):
    """Finding 17.2: one rule (canonical_username) decides the 工号 at sign-in and in user
    administration: hx1001 signs in to HX1001, and no second account differs only in case."""
    user = make_user(unit=tree["jiefangbei"], username="HX1001")
    result = authenticate_user(" ｈｘ１００１ ", PASSWORD, ip="10.0.0.1")
    assert result.outcome is LoginOutcome.OK and result.user is user
    with pytest.raises(AccountRefused) as refused:
        make_user(unit=tree["jiefangbei"], username="hx1001")
    assert refused.value.code == "username_taken"


def test_roster_username_case_the_database_refuses_a_second_spelling(tree, db):
    """Finding 17.2: the unique index on upper(username) holds even past the services."""
    make_user(unit=tree["jiefangbei"], username="HX1001")
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(insert(User).values(
            username="hx1001", name="重复", org_unit_id=tree["jiefangbei"].id,
            rank=Rank.STAFF, category=WorkCategory.ADMINISTRATION, password_hash="x"))
    db.session.rollback()
