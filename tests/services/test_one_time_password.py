import pytest
from sqlalchemy import select

from app.domain.password_policy import password_problems
from app.domain.vocabulary import RoleName
from app.models import AuditEvent
from app.services.core.errors import PermissionDenied
from app.services.people.accounts import LoginOutcome, authenticate_user, change_password
from app.services.people.one_time_passwords import (
    ONE_TIME_ALPHABET,
    ONE_TIME_PASSWORD_LENGTH,
    generate_one_time_password,
    set_one_time_password,
)
from app.services.people.passwords import verify_password
from tests.factories import PASSWORD, make_user


def test_generated_passwords_satisfy_the_policy_and_avoid_ambiguous_characters():
    passwords = {generate_one_time_password("CQ100001") for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == ONE_TIME_PASSWORD_LENGTH
        assert set(password) <= set(ONE_TIME_ALPHABET)
        assert not set(password) & set("0O1lI")
        assert password_problems(password, username="CQ100001") == []


def test_finding_21_one_time_passwords_avoid_characters_hard_to_read_or_type_from_paper():
    hard = set("?%*$#!0O1lI")
    for _ in range(500):
        assert not set(generate_one_time_password("CQ100001")) & hard


def test_an_admin_sets_a_one_time_password(tree, db):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    user = make_user(unit=tree["jiefangbei"])
    for _ in range(5):
        authenticate_user(user.username, "wrong", ip=None)
    version = user.session_version

    password = set_one_time_password(user, actor=admin, ip="10.0.0.1")

    assert verify_password(user.password_hash, password)
    assert not verify_password(user.password_hash, PASSWORD)
    assert user.must_change_password is True
    assert user.session_version == version + 1
    assert authenticate_user(user.username, password, ip=None).outcome is LoginOutcome.OK
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "password.reset")).one()
    assert event.actor_id == admin.id
    assert event.target == f"user:{user.id}"
    assert event.ip == "10.0.0.1"
    assert password not in str(event.details)
    assert password not in user.password_hash
    # A random one-time password takes the light argon2id; the owner's own password, chosen
    # at first sign-in, takes the configured cost again.
    assert user.password_hash.startswith("$argon2id$v=19$m=256,t=1,p=1$")
    change_password(user, password, "Xin-mima@2026", ip=None)
    assert user.password_hash.startswith("$argon2id$v=19$m=1024,t=1,p=1$")  # TestingConfig
    assert user.must_change_password is False


def test_only_admins_or_the_system_may_set_one(tree):
    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    user = make_user(unit=tree["jiefangbei"])
    with pytest.raises(PermissionDenied):
        set_one_time_password(user, actor=hr)
    assert user.must_change_password is False
    assert set_one_time_password(user, actor=None)
