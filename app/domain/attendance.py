"""Check-in to a training class's session by QR code (issue 20): rules on plain values.

The projector shows a code that changes every 30 s: an HMAC of the session and the time
window, so a photo sent to a friend stops working within a minute. A scan is accepted for
the current window and the one before it (a cadre who scans at the end of a window still
gets in while the page loads); anything older has expired. Whether the scan falls within
the session's check-in time, and whether it is late, are separate rules.
"""

import enum
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW_SECONDS = 30
#: The code of the window before the current one is still accepted.
GRACE_WINDOWS = 1
CODE_LENGTH = 16


def time_window(now: datetime, window_seconds: int = WINDOW_SECONDS) -> int:
    """The number of the window ``now`` falls in (whole windows since the epoch)."""
    return int(now.timestamp()) // window_seconds


def check_in_code(secret: bytes, session_id: int, window: int) -> str:
    """The code for one session and one window: the first hex digits of an HMAC-SHA256."""
    message = f"check-in:{session_id}:{window}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:CODE_LENGTH]


class CodeCheck(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"  # a real code, but of a window gone by (a photo, yesterday's code)
    FUTURE = "future"  # a window not begun: a forged or mistyped number
    FORGED = "forged"  # not a code of this session and window at all


def verify_check_in_code(secret: bytes, session_id: int, window: int, code: str, *,
                         now: datetime, window_seconds: int = WINDOW_SECONDS) -> CodeCheck:
    """Whether a scanned (session, window, code) lets someone check in now."""
    expected = check_in_code(secret, session_id, window)
    if not hmac.compare_digest(expected.encode(), code.lower().encode()):
        return CodeCheck.FORGED
    current = time_window(now, window_seconds)
    if window > current:
        return CodeCheck.FUTURE
    if window < current - GRACE_WINDOWS:
        return CodeCheck.EXPIRED
    return CodeCheck.VALID


class Arrival(enum.StrEnum):
    TOO_EARLY = "too_early"  # check-in has not opened yet
    ON_TIME = "on_time"
    LATE = "late"  # after the start plus the margin, before the end
    CLOSED = "closed"  # the session has ended


@dataclass(frozen=True)
class CheckInTimes:
    """When check-in opens before a session starts, and after how long one counts late."""

    opens_before: timedelta = timedelta(minutes=30)
    late_after: timedelta = timedelta(minutes=10)


def arrival(now: datetime, *, starts: datetime, ends: datetime,
            times: CheckInTimes = CheckInTimes()) -> Arrival:
    """Where a check-in at ``now`` falls against the session's times."""
    if now < starts - times.opens_before:
        return Arrival.TOO_EARLY
    if now >= ends:
        return Arrival.CLOSED
    return Arrival.LATE if now > starts + times.late_after else Arrival.ON_TIME
