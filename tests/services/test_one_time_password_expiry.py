"""Issue #17, finding 7: one-time passwords expire, and every sign-in failure costs the same."""

from datetime import timedelta

import argon2
import pytest

from app.domain.vocabulary import RoleName
from app.models.types import utcnow
from app.services.people.accounts import (
    LoginOutcome,
    authenticate_user,
    change_password,
    deactivate_user,
)
from app.services.people.one_time_passwords import set_one_time_password
from tests.factories import make_user


@pytest.fixture
def verifications(monkeypatch):
    """The (time cost, memory cost, parallelism) of every argon2 verification, in order."""
    seen = []
    verify = argon2.PasswordHasher.verify

    def counting(self, password_hash, password):
        p = argon2.extract_parameters(password_hash)
        seen.append((p.time_cost, p.memory_cost, p.parallelism))
        return verify(self, password_hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    return seen


WRONG = "Wrong-pass@1"  # noqa: S105 - a test password


def _failure_cost(verifications, username):
    verifications.clear()
    result = authenticate_user(username, WRONG, ip=None)
    assert result.outcome is not LoginOutcome.OK
    return sorted(verifications)


def test_finding_7_sign_in_failures_cost_the_same_on_every_path(tree, verifications):
    normal = make_user(unit=tree["jiefangbei"])
    one_time = make_user(unit=tree["jiefangbei"])
    set_one_time_password(one_time, actor=None)
    expired = make_user(unit=tree["jiefangbei"])
    set_one_time_password(expired, actor=None)
    expired.one_time_password_expires_at = utcnow() - timedelta(minutes=1)
    inactive = make_user(unit=tree["jiefangbei"])
    deactivate_user(inactive, actor=None)

    costs = {name: _failure_cost(verifications, username) for name, username in [
        ("unknown", "NOBODY-HERE"), ("normal", normal.username),
        ("one_time", one_time.username), ("expired", expired.username),
        ("inactive", inactive.username)]}

    full = (1, 1024, 1)  # TestingConfig's argon2 parameters
    assert costs["normal"].count(full) == 1
    assert all(cost == costs["normal"] for cost in costs.values()), costs


def test_finding_7_one_time_passwords_expire_after_the_configured_days(tree, app):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    user = make_user(unit=tree["jiefangbei"])
    app.config["ONE_TIME_PASSWORD_DAYS"] = 3
    before = utcnow()
    password = set_one_time_password(user, actor=admin)
    assert before + timedelta(days=3) <= user.one_time_password_expires_at
    assert user.one_time_password_expires_at <= utcnow() + timedelta(days=3)

    assert authenticate_user(user.username, password, ip=None).outcome is LoginOutcome.OK
    user.one_time_password_expires_at = utcnow() - timedelta(seconds=1)
    result = authenticate_user(user.username, password, ip=None)
    assert result.outcome is LoginOutcome.ONE_TIME_EXPIRED
    assert result.user is None

    # An administrator's reset gives a fresh one; choosing one's own password ends the expiry.
    password = set_one_time_password(user, actor=admin)
    assert authenticate_user(user.username, password, ip=None).outcome is LoginOutcome.OK
    change_password(user, password, "Xin-mima@2026", ip=None)
    assert user.one_time_password_expires_at is None
    assert not user.must_change_password


def test_one_time_passwords_expired_wrong_password_still_says_only_wrong(tree):
    user = make_user(unit=tree["jiefangbei"])
    set_one_time_password(user, actor=None)
    user.one_time_password_expires_at = utcnow() - timedelta(days=1)
    result = authenticate_user(user.username, WRONG, ip=None)
    assert result.outcome is LoginOutcome.INVALID
