"""Sign-in throttling: repeated failures for one sign-in name slow further attempts.

Nobody is locked out. After ``free_failures`` failed attempts for a name (from any address),
each further attempt must wait a delay that doubles with every failure, from
``first_delay_seconds`` up to ``max_delay_seconds``; attempts within the delay are refused
without checking the password. A success clears the count, and failures older than
``forget_after`` are forgotten. The rule is the same for names that are no account, so the
answer reveals nothing about which accounts exist.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 5
    first_delay_seconds: int = 60
    max_delay_seconds: int = 15 * 60
    forget_after: timedelta = timedelta(hours=24)

    def is_throttled(self, blocked_until: datetime | None, now: datetime) -> bool:
        return blocked_until is not None and now < blocked_until

    def after_failure(self, failures: int, last_failure_at: datetime | None,
                      now: datetime) -> tuple[int, datetime | None]:
        """The failure count and the end of the delay (None: none) after one more failure."""
        if last_failure_at is not None and now - last_failure_at >= self.forget_after:
            failures = 0
        failures += 1
        if failures < self.free_failures:
            return failures, None
        doublings = min(failures - self.free_failures, 30)
        delay = min(self.first_delay_seconds * 2 ** doublings, self.max_delay_seconds)
        return failures, now + timedelta(seconds=delay)
