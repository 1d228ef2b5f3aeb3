"""Issue #17, finding 8: throttling per sign-in name instead of a lockout that reveals
which accounts exist and lets anyone lock anyone out."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, SignInThrottle
from app.models.types import utcnow
from app.services.people import accounts
from tests.factories import PASSWORD, make_user


@pytest.fixture
def verified(monkeypatch):
    """How many sign-in passwords were actually checked."""
    calls = []
    real = accounts.verify_sign_in

    def counting(password_hash, password):
        calls.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "verify_sign_in", counting)
    return calls


def _login(client, username, password, address):
    response = client.post("/auth/login", data={"username": username, "password": password},
                           environ_base={"REMOTE_ADDR": address})
    return response.status_code, _error(response.get_data(as_text=True))


def _error(page: str) -> str | None:
    match = re.search(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+?)\s*<', page)
    return match.group(1) if match else None


def _end_delay(username):
    db.session.get(SignInThrottle, username.casefold()).blocked_until = (
        utcnow() - timedelta(seconds=1))
    db.session.commit()


def test_finding_8_spray_from_50_addresses_is_throttled_and_the_owner_gets_back_in(
        client, tree, verified):
    user = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    answers = [_login(client, user.username, f"Guess-{n}@x", f"10.1.0.{n}")
               for n in range(50)]
    assert len(verified) == 5  # five passwords tried; 45 refused unchecked
    assert all(status == 200 for status, _ in answers)
    assert {message for _, message in answers[5:]} == {answers[4][1]}
    assert "1" in answers[4][1] and "锁定" not in answers[4][1]

    # The owner is held back too, but only for the delay, and is not locked out.
    assert _login(client, user.username, PASSWORD, "10.2.0.1")[1] == answers[4][1]
    _end_delay(user.username)
    status, _ = _login(client, user.username, PASSWORD, "10.2.0.1")
    assert status == 302
    assert db.session.get(SignInThrottle, user.username.casefold()) is None


def test_finding_8_answers_are_the_same_for_an_unknown_name(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    real = [_login(client, user.username, "Bad-guess@1", f"10.3.0.{n}") for n in range(8)]
    unknown = [_login(client, "NOSUCH-9", "Bad-guess@1", f"10.4.0.{n}") for n in range(8)]
    assert real == unknown
    events = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.details["username"].as_string() == "NOSUCH-9")).all()
    assert "auth.throttled" in events and "auth.login_throttled" in events


def test_lockout_delay_doubles_for_repeated_failures(client, tree):
    user = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    for n in range(5):
        _login(client, user.username, "Bad-guess@1", f"10.5.0.{n}")
    _end_delay(user.username)
    _, message = _login(client, user.username, "Bad-guess@1", "10.5.1.1")
    throttle = db.session.get(SignInThrottle, user.username.casefold())
    db.session.refresh(throttle)
    assert throttle.failures == 6
    assert timedelta(seconds=110) < throttle.blocked_until - utcnow() <= timedelta(minutes=2)
    assert "2" in message
