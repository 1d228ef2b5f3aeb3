"""The scan stamp that carries a check-in code through signing in (issue 20)."""

from datetime import UTC, datetime, timedelta

from app.domain.check_in_scan import STAMP_LIFETIME, scan_stamp, stamped_moment

SECRET = b"k" * 32
SCANNED = datetime(2026, 12, 8, 1, 9, 50, tzinfo=UTC)


def _moment(stamp, *, now, session_id=7, window=100, code="abcdef0123456789"):
    return stamped_moment(SECRET, session_id, window, code, stamp, now=now)


def test_a_genuine_stamp_gives_the_second_of_the_scan():
    stamp = scan_stamp(SECRET, 7, 100, "abcdef0123456789", SCANNED.replace(microsecond=5))
    assert _moment(stamp, now=SCANNED + timedelta(minutes=2)) == SCANNED
    assert _moment(stamp, now=SCANNED) == SCANNED


def test_a_stamp_is_bound_to_its_session_window_and_code():
    stamp = scan_stamp(SECRET, 7, 100, "abcdef0123456789", SCANNED)
    now = SCANNED + timedelta(seconds=5)
    assert _moment(stamp, now=now, session_id=8) is None
    assert _moment(stamp, now=now, window=101) is None
    assert _moment(stamp, now=now, code="abcdef0123456788") is None
    assert stamped_moment(b"other" * 8, 7, 100, "abcdef0123456789", stamp, now=now) is None


def test_a_stamp_lives_a_few_minutes_and_never_comes_from_the_future():
    stamp = scan_stamp(SECRET, 7, 100, "abcdef0123456789", SCANNED)
    assert _moment(stamp, now=SCANNED + STAMP_LIFETIME) == SCANNED
    assert _moment(stamp, now=SCANNED + STAMP_LIFETIME + timedelta(seconds=1)) is None
    assert _moment(stamp, now=SCANNED - timedelta(seconds=1)) is None


def test_anything_else_is_no_stamp():
    now = SCANNED + timedelta(seconds=5)
    genuine = scan_stamp(SECRET, 7, 100, "abcdef0123456789", SCANNED)
    second, _, mac = genuine.partition("-")
    for stamp in (None, "", "-", "abc", f"{second}-", f"{second}-{'0' * 16}",
                  f"{int(second) - 1}-{mac}", f"{second}-{mac}x", "9" * 40 + f"-{mac}",
                  f"{second}-{'é' * 16}"):
        assert _moment(stamp, now=now) is None, stamp
