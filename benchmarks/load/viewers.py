"""Viewers at their real cadence: each claims the video once, then reports its next 15 s
window every 15 s, the phases spread evenly (2,000 viewers: about 133 requests a second).

A Python client on a few threads, each with its own keep-alive connection (gunicorn's sync
workers close it after each answer; http.client opens a new one), so it shares the
machine's cores with the server it measures: its latencies include its own scheduling.
"""

import http.client
import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from benchmarks.load.client import USER_AGENT
from benchmarks.load.heartbeats import claim_path, report_path

PERIOD = 15.0


@dataclass(frozen=True, order=True)
class Beat:
    """One request of the plan: at ``at`` seconds from the start, a claim (no window) or a
    report of [start, end]."""

    at: float
    viewer: int
    start: float | None = None
    end: float | None = None


def schedule(viewers: int, seconds: float, period: float = PERIOD) -> list[Beat]:
    """Viewer i claims at i·period/viewers and reports [15(k-1), 15k] k periods later, for
    as long as ``seconds`` lasts; sorted by time."""
    beats = []
    for viewer in range(viewers):
        phase = viewer * period / viewers
        beats.append(Beat(phase, viewer))
        k = 1
        while phase + k * period <= seconds:
            beats.append(Beat(phase + k * period, viewer, period * (k - 1), period * k))
            k += 1
    return sorted(beats)


@dataclass(frozen=True)
class Viewer:
    cookie: str
    csrf: str
    tab: str


@dataclass
class Outcome:
    """What the client saw."""

    requests: int = 0
    claims: int = 0
    reports: int = 0
    errors: int = 0  # no answer, or not a 200 JSON answer
    superseded: int = 0  # a report refused because another tab credits
    latencies_ms: list[float] = field(default_factory=list)
    late_ms: list[float] = field(default_factory=list)  # sent this long after its time
    elapsed: float = 0.0
    accepted_seconds: dict[int, float] = field(default_factory=dict)  # viewer -> reported
    watching_seconds: dict[int, float] = field(default_factory=dict)  # claim to last answer

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _post(connection: http.client.HTTPConnection, path: str, viewer: Viewer,
          body: dict) -> tuple[int, dict]:
    headers = {"User-Agent": USER_AGENT, "Content-Type": "application/json",
               "Accept": "application/json", "Cookie": viewer.cookie,
               "X-CSRFToken": viewer.csrf}
    connection.request("POST", path, body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    text = response.read()
    try:
        return response.status, json.loads(text) if response.status == 200 else {
            "error": text[:300].decode("utf-8", "replace")}
    except ValueError:
        return response.status, {"error": text[:300].decode("utf-8", "replace")}


def _run_thread(base_url: str, code: str, viewers: list[Viewer], beats: list[Beat],
                started: float, outcome: Outcome, lock: threading.Lock) -> None:
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    latencies, late, claims, last, accepted = [], [], {}, {}, {}
    requests = claims_sent = reports = errors = superseded = 0
    for beat in beats:
        wait = started + beat.at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        viewer = viewers[beat.viewer]
        body = {"tab": viewer.tab}
        if beat.start is not None:
            body.update(start=beat.start, end=beat.end, final=False, visible=True)
        sent = time.monotonic()
        late.append(max(0.0, sent - started - beat.at) * 1000)
        try:
            status, answer = _post(connection, report_path(code) if beat.start is not None
                                   else claim_path(code), viewer, body)
        except (OSError, http.client.HTTPException):
            connection.close()
            status, answer = 0, {}
        done = time.monotonic()
        requests += 1
        claims_sent += beat.start is None
        reports += beat.start is not None
        latencies.append((done - sent) * 1000)
        if status != 200:
            errors += 1
            continue
        if beat.start is None:
            claims[beat.viewer] = sent
            continue
        if answer.get("superseded"):
            superseded += 1
            continue
        accepted[beat.viewer] = accepted.get(beat.viewer, 0.0) + beat.end - beat.start
        last[beat.viewer] = done
    connection.close()
    with lock:
        outcome.requests += requests
        outcome.claims += claims_sent
        outcome.reports += reports
        outcome.errors += errors
        outcome.superseded += superseded
        outcome.latencies_ms += latencies
        outcome.late_ms += late
        outcome.accepted_seconds.update(accepted)
        outcome.watching_seconds.update(
            {v: last[v] - claims[v] for v in last if v in claims})


def claim_all(base_url: str, code: str, viewers: list[Viewer], *, threads: int) -> None:
    """Every viewer claims the video in its tab (before the timed rounds); raises on a refusal."""
    parts = urlsplit(base_url)

    def claim(chunk: list[Viewer]) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            for viewer in chunk:
                status, answer = _post(connection, claim_path(code), viewer, {"tab": viewer.tab})
                if status != 200:
                    raise RuntimeError(f"a claim was refused (HTTP {status}): {answer}")
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as executor:
        list(executor.map(claim, [viewers[t::threads] for t in range(threads)]))


def drive(base_url: str, code: str, viewers: list[Viewer], *, seconds: float,
          threads: int) -> Outcome:
    """Every viewer at its cadence for ``seconds``; viewer i's beats go to thread i % threads."""
    beats = schedule(len(viewers), seconds)
    outcome, lock = Outcome(), threading.Lock()
    started = time.monotonic() + 0.5  # every thread is waiting when the clock starts
    workers = [threading.Thread(
        target=_run_thread, name=f"viewers-{t}",
        args=(base_url, code, viewers, [b for b in beats if b.viewer % threads == t], started,
              outcome, lock)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    outcome.elapsed = time.monotonic() - started
    return outcome


def late_summary(outcome: Outcome) -> str:
    if not outcome.late_ms:
        return "—"
    return (f"median {statistics.median(outcome.late_ms):.0f} ms, "
            f"max {max(outcome.late_ms):.0f} ms")
