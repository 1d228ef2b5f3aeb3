from datetime import UTC, datetime, timedelta

from app.domain.lockout import ThrottlePolicy

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_lockout_becomes_a_delay_that_doubles_up_to_a_cap():
    policy = ThrottlePolicy(free_failures=5, first_delay_seconds=60, max_delay_seconds=900)
    failures, blocked_until = 0, None
    for _ in range(4):
        failures, blocked_until = policy.after_failure(failures, NOW, NOW)
        assert blocked_until is None
    delays = []
    for _ in range(6):
        failures, blocked_until = policy.after_failure(failures, NOW, NOW)
        delays.append((blocked_until - NOW).total_seconds())
    assert delays == [60, 120, 240, 480, 900, 900]


def test_lockout_delay_ends_and_old_failures_are_forgotten():
    policy = ThrottlePolicy()
    until = NOW + timedelta(minutes=1)
    assert policy.is_throttled(until, NOW)
    assert not policy.is_throttled(until, until)
    assert not policy.is_throttled(None, NOW)
    failures, blocked_until = policy.after_failure(9, NOW - timedelta(hours=25), NOW)
    assert (failures, blocked_until) == (1, None)
