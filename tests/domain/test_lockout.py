from datetime import UTC, datetime, timedelta

from app.domain.lockout import LockoutPolicy

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_fifth_failure_locks_for_fifteen_minutes():
    policy = LockoutPolicy(max_failures=5, lock_minutes=15)
    failures, locked_until = 0, None
    for _ in range(4):
        failures, locked_until = policy.after_failure(failures, NOW)
        assert locked_until is None
    assert failures == 4
    failures, locked_until = policy.after_failure(failures, NOW)
    assert locked_until == NOW + timedelta(minutes=15)
    assert failures == 0


def test_lock_expires():
    policy = LockoutPolicy()
    until = NOW + timedelta(minutes=15)
    assert policy.is_locked(until, NOW)
    assert policy.is_locked(until, until - timedelta(seconds=1))
    assert not policy.is_locked(until, until)
    assert not policy.is_locked(None, NOW)
