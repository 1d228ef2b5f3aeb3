"""QR check-in rules (issue 20): codes that expire, and where a check-in falls in time."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.attendance import (
    Arrival,
    CodeCheck,
    arrival,
    check_in_code,
    time_window,
    verify_check_in_code,
)

SECRET = b"secret-of-the-app"
NOW = datetime(2026, 12, 8, 1, 0, 10, tzinfo=UTC)  # 09:00:10 in Chongqing


def scan(window_offset: int, *, session_id=7, code=None, now=NOW):
    window = time_window(NOW) + window_offset
    code = code if code is not None else check_in_code(SECRET, session_id, window)
    return verify_check_in_code(SECRET, 7, window, code, now=now)


def test_the_code_of_the_current_window_and_the_one_before_are_valid():
    assert scan(0) is CodeCheck.VALID
    assert scan(-1) is CodeCheck.VALID


def test_a_photo_sent_to_a_friend_expires_within_a_minute():
    assert scan(-2) is CodeCheck.EXPIRED
    assert scan(-2880) is CodeCheck.EXPIRED  # yesterday's code


def test_forged_codes_other_sessions_and_future_windows_are_refused():
    assert scan(0, session_id=8) is CodeCheck.FORGED  # another session's code
    assert scan(0, code="0" * 16) is CodeCheck.FORGED
    assert scan(0, code="签到") is CodeCheck.FORGED  # not even hexadecimal
    assert scan(1) is CodeCheck.FUTURE


def test_codes_change_every_thirty_seconds_and_differ_by_session():
    window = time_window(NOW)
    assert time_window(NOW + timedelta(seconds=30)) == window + 1
    codes = {check_in_code(SECRET, s, w) for s in (7, 8) for w in (window, window + 1)}
    assert len(codes) == 4 and all(len(code) == 16 for code in codes)


@pytest.mark.parametrize(("minutes", "expected"), [
    (-31, Arrival.TOO_EARLY), (-30, Arrival.ON_TIME), (0, Arrival.ON_TIME),
    (10, Arrival.ON_TIME), (11, Arrival.LATE), (119, Arrival.LATE), (120, Arrival.CLOSED),
])
def test_check_in_opens_half_an_hour_before_and_is_late_after_ten_minutes(minutes, expected):
    starts = NOW
    assert arrival(NOW + timedelta(minutes=minutes), starts=starts,
                   ends=starts + timedelta(hours=2)) is expected
