"""The video-heartbeat benchmark's own parts: the real-rate plan, the heartbeat line, and
replay.lua's JSON bodies with each line's report window (through wrk, when installed)."""

import json
import shutil
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from benchmarks.load.heartbeats import heartbeat
from benchmarks.load.viewers import schedule
from benchmarks.load.wrk import Request, run_round


def test_each_viewer_claims_once_then_reports_consecutive_windows_every_15_s():
    beats = schedule(4, 30)
    assert [(b.at, b.viewer) for b in beats if b.start is None] == \
        [(0.0, 0), (3.75, 1), (7.5, 2), (11.25, 3)]
    first = [(b.at, b.start, b.end) for b in beats if b.viewer == 0 and b.start is not None]
    assert first == [(15.0, 0.0, 15.0), (30.0, 15.0, 30.0)]
    # viewer 1's second report would be at 33.75 s, after the run
    assert [(b.at, b.start) for b in beats if b.viewer == 1 and b.start is not None] == \
        [(18.75, 0.0)]


def test_two_thousand_viewers_make_about_133_requests_a_second_all_along():
    beats = schedule(2000, 60)
    per_period = Counter(int(b.at // 15) for b in beats if b.at < 60)
    assert per_period == {0: 2000, 1: 2000, 2: 2000, 3: 2000}  # 2,000 / 15 s = 133 req/s
    assert sum(1 for b in beats if b.start is None) == 2000


def test_the_heartbeat_line_is_a_json_report_once_its_window_is_filled_in():
    line = heartbeat("DC101", "session=abc", "token", "hbab12cd7").line()
    method, path, cookie, csrf, body, once = line.split("\t")
    assert (method, path, cookie, csrf, once) == (
        "POST", "/courses/DC101/lessons/1/watch/report", "session=abc", "token", "0")
    filled = json.loads(body.replace("{start}", "30").replace("{end}", "45"))
    assert filled == {"tab": "hbab12cd7", "start": 30, "end": 45, "final": False,
                      "visible": True}


class _Recorder(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, str]] = []

    def do_POST(self):  # noqa: N802 (the standard library's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.seen.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_replay_sends_json_with_each_lines_own_window_and_forms_as_before():
    _Recorder.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        requests = [heartbeat("A1", "", "", "tabaaaaaaa"), heartbeat("B2", "", "", "tabbbbbbbb"),
                    Request("POST", "/save", body="q0-x=1&seq={seq}")]
        run_round(shutil.which("wrk"), f"http://127.0.0.1:{server.server_port}", requests,
                  accept="200", connections=1, seconds=1, timeout_s=5)
    finally:
        server.shutdown()
        server.server_close()
    seen = _Recorder.seen
    assert len(seen) >= 6
    # wrk builds one request to check the script before the run and never sends it: the
    # first line's first window is used up there, so its reports start at the second
    for code, first in (("A1", 1), ("B2", 0)):
        reports = [json.loads(body) for path, kind, body in seen
                   if path.startswith(f"/courses/{code}/") and kind == "application/json"]
        assert [(r["start"], r["end"]) for r in reports] == \
            [(15 * n, 15 * n + 15) for n in range(first, first + len(reports))]
        assert reports[0]["tab"] == f"tab{code[0].lower() * 7}"
    forms = [(kind, body) for path, kind, body in seen if path == "/save"]
    assert forms and all(kind == "application/x-www-form-urlencoded" for kind, _ in forms)
    sequences = [int(body.rsplit("=", 1)[1]) for _, body in forms]
    assert sequences == sorted(set(sequences))  # {seq} still grows, one a request
    assert len(forms) + sum(1 for p, _, _ in seen if p.startswith("/courses/")) == len(seen)
