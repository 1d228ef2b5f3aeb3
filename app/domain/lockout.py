"""Sign-in lockout: after N consecutive failures the account locks for a while."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15

    def is_locked(self, locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def after_failure(self, failures: int, now: datetime) -> tuple[int, datetime | None]:
        """The failure count and lock expiry after one more failed attempt.

        Reaching the limit locks the account and starts counting afresh, so the
        next lock again needs a full run of failures after this one expires.
        """
        failures += 1
        if failures >= self.max_failures:
            return 0, now + timedelta(minutes=self.lock_minutes)
        return failures, None
