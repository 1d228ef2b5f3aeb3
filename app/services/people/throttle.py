"""Sign-in throttling per sign-in name, kept in the database (shared by every app instance).

The rule is app.domain.lockout.ThrottlePolicy; names that are no account are tracked the same
way, so whether an attempt is throttled says nothing about whether the account exists.
"""

from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.domain.lockout import ThrottlePolicy
from app.extensions import db
from app.models import SignInThrottle


def throttle_policy() -> ThrottlePolicy:
    config = current_app.config
    return ThrottlePolicy(free_failures=config["LOGIN_FREE_FAILURES"],
                          first_delay_seconds=config["LOGIN_FIRST_DELAY_SECONDS"],
                          max_delay_seconds=config["LOGIN_MAX_DELAY_SECONDS"])


def throttle_key(username: str) -> str:
    return username.strip().casefold()[:64]


def throttled_until(username: str, now: datetime) -> datetime | None:
    """The end of the delay this name must wait, or None when it may try now."""
    row = db.session.get(SignInThrottle, throttle_key(username))
    if row is not None and throttle_policy().is_throttled(row.blocked_until, now):
        return row.blocked_until
    return None


def count_failure(username: str, now: datetime) -> SignInThrottle:
    """Count one more failed sign-in for this name; returns its row (blocked_until: the delay
    that now starts, if any). Concurrent failures for one name each count (a row lock)."""
    policy = throttle_policy()
    key = throttle_key(username)
    _forget_old_failures(policy, now)
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" \
        else sqlite_insert
    db.session.execute(insert(SignInThrottle).values(key=key, failures=0)
                       .on_conflict_do_nothing(index_elements=["key"]))
    row = db.session.get(SignInThrottle, key, with_for_update=True, populate_existing=True)
    row.failures, row.blocked_until = policy.after_failure(row.failures, row.last_failure_at,
                                                           now)
    row.last_failure_at = now
    return row


def clear_failures(username: str) -> None:
    """A successful sign-in or an administrator's reset starts the name afresh."""
    db.session.execute(delete(SignInThrottle).where(
        SignInThrottle.key == throttle_key(username)))


def count_throttled(now: datetime) -> int:
    """Sign-in names whose attempts are being held back right now (admin home page)."""
    return db.session.scalar(select(func.count()).select_from(SignInThrottle)
                             .where(SignInThrottle.blocked_until > now))


def _forget_old_failures(policy: ThrottlePolicy, now: datetime) -> None:
    """Rows for names not tried within the forget window go (the table stays small)."""
    db.session.execute(delete(SignInThrottle).where(
        SignInThrottle.last_failure_at < now - policy.forget_after))
