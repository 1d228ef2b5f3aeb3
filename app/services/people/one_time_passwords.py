"""One-time passwords: generated for new roster accounts and admin resets.

The password is returned once to the caller (to show or print) and only its argon2id hash is
kept. It is random (about 68 bits), so a light argon2id suffices (see
app.services.people.passwords.hash_one_time_password); it works only until the first sign-in,
when its owner must choose their own password, and at most ONE_TIME_PASSWORD_DAYS (config)
after it was made: an expired one needs a new reset by an administrator.
"""

import secrets
from datetime import datetime, timedelta

from flask import current_app

from app.domain.password_policy import password_problems
from app.domain.vocabulary import RoleName
from app.models import User
from app.models.types import utcnow
from app.services.core.audit import record_event, user_target
from app.services.core.errors import PermissionDenied
from app.services.people.accounts import end_sessions
from app.services.people.passwords import hash_one_time_password
from app.services.people.throttle import clear_failures

ONE_TIME_PASSWORD_LENGTH = 12
# People copy these from paper: no 0/O, 1/l/I, 5/S, 2/Z, and no symbols (?%*$ are hard to
# read and to type on a phone). Three of the four classes satisfy the password policy.
_LOWER = "abcdefghjkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRTUVWXY"
_DIGITS = "346789"
ONE_TIME_ALPHABET = _LOWER + _UPPER + _DIGITS


def generate_one_time_password(username: str = "") -> str:
    """A random password from an unambiguous alphabet that the password policy accepts."""
    while True:
        chars = [secrets.choice(group) for group in (_LOWER, _UPPER, _DIGITS)]
        chars += [secrets.choice(ONE_TIME_ALPHABET)
                  for _ in range(ONE_TIME_PASSWORD_LENGTH - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if not password_problems(password, username=username):
            return password


def one_time_password_expiry(now: datetime | None = None) -> datetime:
    """When a one-time password made now stops working."""
    days = current_app.config["ONE_TIME_PASSWORD_DAYS"]
    return (now or utcnow()) + timedelta(days=days)


def set_one_time_password(user: User, *, actor: User | None, ip: str | None = None) -> str:
    """Give ``user`` a new one-time password, end their sessions, and return it (once).

    ``actor`` must be an administrator (None is the system itself: CLI). The next sign-in
    must choose a new password, within ONE_TIME_PASSWORD_DAYS (the user's
    ``one_time_password_expires_at``). The audit event never carries the password.
    """
    if actor is not None and not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only administrators reset passwords")
    password = generate_one_time_password(user.username)
    user.password_hash = hash_one_time_password(password)
    user.must_change_password = True
    user.one_time_password_expires_at = one_time_password_expiry()
    clear_failures(user.username)
    end_sessions(user)
    record_event("password.reset", actor=actor, target=user_target(user),
                 details={"one_time": True}, ip=ip)
    return password
