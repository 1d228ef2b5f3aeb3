"""The load benchmark's own arithmetic: reading wrk's figures, medians of rounds, the table.
No wrk and no server needed."""

import pytest

from benchmarks.load.report import summarise, table
from benchmarks.load.wrk import Request, RoundResult, parse_summary

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40000
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.31ms    4.20ms  61.02ms   80.00%
  3990 requests in 10.00s, 1.20MB read
  Non-2xx or 3xx responses: 7
Requests/sec:    398.99
CITYLOAD requests=3990 duration_us=10001234 p50_us=20512 p95_us=27004 max_us=61020 connect=0 \
read=1 write=0 status=7 timeout=2 unexpected=3 exhausted=5
"""


def _round(requests: int, p50: float, p95: float, *, status: int = 0, seconds: float = 10.0):
    errors = dict.fromkeys(("connect", "read", "write", "timeout", "unexpected", "exhausted"), 0)
    return RoundResult(requests, seconds, p50, p95, {**errors, "status": status})


def test_parse_summary_reads_microseconds_and_every_kind_of_error():
    result = parse_summary(WRK_OUTPUT)
    assert result.requests == 3990
    assert result.rate == pytest.approx(398.95, abs=0.01)
    assert (result.p50_ms, result.p95_ms) == (20.512, 27.004)
    # socket errors, non-2xx/3xx and unexpected redirects; the exhausted submits are 404s,
    # already among the status errors
    assert result.error_count == 1 + 2 + 7 + 3
    assert result.errors["exhausted"] == 5


def test_parse_summary_without_the_line_says_what_wrk_printed():
    with pytest.raises(RuntimeError, match="no summary line"):
        parse_summary("unable to connect to 127.0.0.1:40000 Connection refused\n")


def test_summary_takes_medians_of_rounds_and_of_ratios_to_the_healthz_next_to_each():
    rounds = [(_round(10000, 5, 9), _round(1000, 20, 30)),
              (_round(8000, 5, 9), _round(1200, 25, 60, status=2)),
              (_round(12000, 5, 9), _round(300, 90, 400))]
    row = summarise("home", rounds)
    assert row.rate == 100.0  # 1,000 requests in 10 s
    assert (row.p50_ms, row.p95_ms) == (25, 60)
    assert row.ratio == pytest.approx(0.1)  # median of 0.1, 0.15 and 0.025
    assert row.healthz_rate == 1000.0
    assert row.errors == 2


def test_table_shows_errors_and_submits_that_found_no_attempt():
    rounds = [(_round(10000, 5, 9), RoundResult(500, 10.0, 40.0, 150.0, {
        "connect": 0, "read": 0, "write": 0, "timeout": 0, "status": 4, "unexpected": 0,
        "exhausted": 4}))]
    assert table([summarise("submit (graded)", rounds)]).splitlines()[-1] == \
        "| submit (graded) | 50.0 | 40.0 / 150 | 0.050 | 4 (4 found no attempt left) |"


def test_a_request_line_refuses_tabs_that_would_shift_its_fields():
    assert Request("GET", "/", "session=abc").line() == "GET\t/\tsession=abc\t\t\t0"
    with pytest.raises(ValueError):
        Request("POST", "/x", body="a\tb").line()
