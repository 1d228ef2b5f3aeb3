"""The moment a check-in code was scanned, carried through signing in (issue 20).

A projector's code is accepted for at most a minute (app.domain.attendance), but a cadre
whose phone is not signed in spends longer than that on the sign-in page. So when the
server first sees a valid code it stamps the moment: an HMAC, under the session's own
check-in key, of the session, window, code and second. The phone page carries the stamp
(in the address back from sign-in, then in the confirm form), and the check-in is judged
at the stamped moment if the stamp is genuine and at most a few minutes old. A photo sent
on still expires: a stamp is only issued for a code valid when it is shown, and a stamp
is never renewed, so a forwarded address works for the stamp's few minutes at most.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

#: How long a stamp carries a scan through signing in and pressing the button.
STAMP_LIFETIME = timedelta(minutes=3)
_MAC_LENGTH = 16


def _mac(secret: bytes, session_id: int, window: int, code: str, second: int) -> str:
    message = f"check-in-scan:{session_id}:{window}:{code.lower()}:{second}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:_MAC_LENGTH]


def scan_stamp(secret: bytes, session_id: int, window: int, code: str,
               scanned_at: datetime) -> str:
    """A stamp saying the code was scanned at ``scanned_at`` (to the second)."""
    second = int(scanned_at.timestamp())
    return f"{second}-{_mac(secret, session_id, window, code, second)}"


def stamped_moment(secret: bytes, session_id: int, window: int, code: str,
                   stamp: str | None, *, now: datetime,
                   lifetime: timedelta = STAMP_LIFETIME) -> datetime | None:
    """When the scan happened, if ``stamp`` is a genuine stamp of this session, window and
    code and no older than ``lifetime``; None for anything else (no stamp, a forged or
    stale one, one from the future)."""
    second_text, _, mac = (stamp or "").partition("-")
    if not second_text.isdigit() or len(second_text) > 12 or len(mac) != _MAC_LENGTH:
        return None
    second = int(second_text)
    expected = _mac(secret, session_id, window, code, second)
    if not hmac.compare_digest(expected.encode(), mac.lower().encode()):
        return None
    moment = datetime.fromtimestamp(second, UTC)
    if moment > now or now - moment > lifetime:
        return None
    return moment
