"""QR check-in of a whole class within a minute, through the whole request (issue 20).

Run (PostgreSQL; the database is EMPTIED first and built by the migrations):

    .venv/bin/python benchmarks/class_check_in.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/check_in_bench

Setup (not timed): a class of 渝中区 with `--cadres` (300) enrolled cadres and a session that
starts in five minutes (check-in open, every check-in on time), its organizer (HR of
渝中区); gunicorn with the production config (load/server.py: 2 sync workers); every cadre
and the organizer signed in over HTTP.

Timed, from a Python client on the same cores (`--threads` connections): the organizer's
projector asks for its state every 3 s throughout, as the page's script does, and the
cadres take the check-in address from the latest state, as their phones would from the QR
code. Each cadre opens the phone page (GET: session, stamp, CSRF token) and presses the
button (POST: the check-in). Three parts:

1. burst: every cadre at once, as fast as the client threads go (the capacity);
2. again: every cadre posts a second time (a double submit: "already", nothing written);
3. paced: the rows cleared, the cadres spread evenly over `--spread` (60) seconds, the
   issue's "300 cadres within one minute" (the latency people see at that rate).

`/healthz` rounds of the same client (same threads, `--healthz` requests) run before and
after the burst; ratios are to their mean. Afterwards the database is read: one attendance
row per cadre, none twice, every one by QR, no refused scan, one audit event per check-in.
"""

import argparse
import http.client
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks.load import report  # noqa: E402
from benchmarks.load.client import CSRF, USER_AGENT  # noqa: E402
from benchmarks.load.pool import PREPARING_THREADS, signed_in  # noqa: E402
from benchmarks.load.server import gunicorn, stop_on_termination  # noqa: E402
from benchmarks.scratch import scratch_app  # noqa: E402

PASSWORD = "Bench@2026"  # noqa: S105 - benchmark accounts on a scratch database
STAMP = re.compile(r'name="stamp" type="hidden" value="([^"]*)"')
POLL_SECONDS = 3.0


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--cadres", type=int, default=300)
    parser.add_argument("--threads", type=int, default=8, help="client connections")
    parser.add_argument("--spread", type=float, default=60.0, help="seconds of the paced part")
    parser.add_argument("--healthz", type=int, default=1000, help="requests per /healthz round")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    if not (args.database_url or "").startswith("postgresql"):
        parser.error("--database-url (PostgreSQL) or DATABASE_URL is required")
    return args


@dataclass(frozen=True)
class Setup:
    class_id: int
    session_id: int
    organizer: str
    cadres: list[str]


def build(database_url: str, cadres: int) -> Setup:
    """The scratch database: migrations, a class with its session and enrolled cadres."""
    from app.domain.vocabulary import Rank, RoleName, WorkCategory
    from app.extensions import db
    from app.models.types import utcnow
    from app.services.people.accounts import create_user
    from app.services.people.passwords import hash_password
    from config import Config
    from tests import factories

    with scratch_app(database_url, prefix="class-check-in-") as app:
        # the production hash cost, so signing in does not rehash each password
        app.config.update(ARGON2_TIME_COST=Config.ARGON2_TIME_COST,
                          ARGON2_MEMORY_COST=Config.ARGON2_MEMORY_COST,
                          ARGON2_PARALLELISM=Config.ARGON2_PARALLELISM)
        shared_hash = hash_password(PASSWORD)
        tree = factories.make_tree()
        organizer = factories.make_user(unit=tree["yuzhong"], roles=[RoleName.HR],
                                        scope=tree["yuzhong"], username="BENCHHR",
                                        password=PASSWORD)
        training_class = factories.make_attendance_class(unit=tree["yuzhong"])
        # starting in 5 minutes: check-in is open and every check-in of the run is on time
        session = factories.add_attendance_session(
            training_class, starts_at=utcnow() + timedelta(minutes=5), minutes=240)
        units = [tree["jiefangbei"], tree["chaotianmen"]]
        usernames = []
        for number in range(cadres):
            cadre = create_user(
                username=f"BENCH{number:05d}", name=f"学员{number:03d}",
                org_unit=units[number % 2], rank=Rank.STAFF,
                category=WorkCategory.SOCIAL_GOVERNANCE, password_hash=shared_hash, actor=None)
            factories.add_attendance_member(training_class, cadre)
            usernames.append(cadre.username)
        db.session.commit()
        return Setup(training_class.id, session.id, organizer.username, usernames)


@dataclass
class Timings:
    """What the client saw in one part."""

    gets: list[float] = field(default_factory=list)  # ms
    posts: list[float] = field(default_factory=list)
    both: list[float] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    late_ms: list[float] = field(default_factory=list)  # paced: sent this long after plan

    @property
    def requests(self) -> int:
        return len(self.gets) + len(self.posts)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Projector(threading.Thread):
    """The organizer's open projector page: its state every 3 s; the latest check-in path."""

    def __init__(self, base_url: str, state_path: str, cookie: str):
        super().__init__(name="projector", daemon=True)
        self.base_url, self.state_path, self.cookie = base_url, state_path, cookie
        self.path = ""
        self.polls: list[float] = []
        self.failures = 0
        self.stopping = threading.Event()
        self.ready = threading.Event()

    def poll_once(self, connection: http.client.HTTPConnection) -> None:
        import json

        started = time.monotonic()
        connection.request("GET", self.state_path, headers={
            "User-Agent": USER_AGENT, "Accept": "application/json", "Cookie": self.cookie})
        response = connection.getresponse()
        body = response.read()
        self.polls.append((time.monotonic() - started) * 1000)
        if response.status != 200:
            self.failures += 1
            return
        self.path = urlsplit(json.loads(body)["url"]).path
        self.ready.set()

    def run(self) -> None:
        parts = urlsplit(self.base_url)
        while not self.stopping.is_set():
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            try:
                self.poll_once(connection)
            except (OSError, http.client.HTTPException, ValueError, KeyError):
                self.failures += 1
            finally:
                connection.close()
            self.stopping.wait(POLL_SECONDS)


def _request(connection, method: str, path: str, cookie: str, body: dict | None = None):
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html", "Cookie": cookie,
               "Accept-Language": "zh-CN"}
    payload = None
    if body is not None:
        payload = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=payload, headers=headers)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


OUTCOME = re.compile(r'id="check-in-outcome">([^<]+)<')


def check_in(base_url: str, path: str, cookie: str, timings: Timings,
             lock: threading.Lock) -> None:
    """One cadre: the phone page, then its button."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        started = time.monotonic()
        status, page = _request(connection, "GET", path, cookie)
        got = time.monotonic()
        token, stamp = CSRF.search(page), STAMP.search(page)
        if status != 200 or token is None:
            raise RuntimeError(f"GET {status}: {page[:200]!r}")
        status, answer = _request(connection, "POST", path, cookie, {
            "csrf_token": token.group(1), "stamp": stamp.group(1) if stamp else ""})
        done = time.monotonic()
        outcome = OUTCOME.search(answer)
        if status != 200 or outcome is None:
            raise RuntimeError(f"POST {status}: {answer[:200]!r}")
        with lock:
            timings.gets.append((got - started) * 1000)
            timings.posts.append((done - got) * 1000)
            timings.both.append((done - started) * 1000)
            timings.outcomes[outcome.group(1)] = timings.outcomes.get(outcome.group(1), 0) + 1
    except (OSError, http.client.HTTPException, RuntimeError) as error:
        with lock:
            timings.errors.append(str(error)[:300])
    finally:
        connection.close()


def burst(base_url: str, projector: Projector, cookies: list[str], threads: int) -> Timings:
    timings, lock = Timings(), threading.Lock()
    started = time.monotonic()
    with ThreadPoolExecutor(threads) as executor:
        list(executor.map(lambda cookie: check_in(base_url, projector.path, cookie, timings,
                                                  lock), cookies))
    timings.elapsed = time.monotonic() - started
    return timings


def paced(base_url: str, projector: Projector, cookies: list[str], threads: int,
          seconds: float) -> Timings:
    """Cadre i arrives at i·seconds/n: a thread pool large enough that arrivals wait only
    for a free client thread."""
    timings, lock = Timings(), threading.Lock()
    gap = seconds / len(cookies)
    started = time.monotonic() + 0.5

    def arrive(item: tuple[int, str]) -> None:
        index, cookie = item
        wait = started + index * gap - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        with lock:
            timings.late_ms.append(max(0.0, time.monotonic() - started - index * gap) * 1000)
        check_in(base_url, projector.path, cookie, timings, lock)

    with ThreadPoolExecutor(threads) as executor:
        list(executor.map(arrive, enumerate(cookies)))
    timings.elapsed = time.monotonic() - started
    return timings


def warm_up(base_url: str, path: str, cookie: str, workers: int) -> None:
    """The phone page a few times per worker (its templates compiled), by the organizer:
    a GET writes nothing, so the timed parts start from a warm server and clean rows."""
    parts = urlsplit(base_url)
    for _ in range(4 * workers):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        try:
            status, _ = _request(connection, "GET", path, cookie)
            if status != 200:
                raise RuntimeError(f"the phone page answered {status}")
        finally:
            connection.close()


def healthz(base_url: str, requests: int, threads: int) -> tuple[float, float]:
    """req/s and p50 ms of ``requests`` GET /healthz from ``threads`` connections."""
    parts = urlsplit(base_url)
    latencies, lock = [], threading.Lock()

    def worker(count: int) -> None:
        mine = []
        for _ in range(count):
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            began = time.monotonic()
            connection.request("GET", "/healthz", headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            response.read()
            mine.append((time.monotonic() - began) * 1000)
            connection.close()
            if response.status != 200:
                raise RuntimeError(f"/healthz answered {response.status}")
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as executor:
        list(executor.map(worker, [requests // threads] * threads))
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, statistics.median(latencies)


def read_database(database_url: str, session_id: int) -> dict[str, int]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            def scalar(sql: str) -> int:
                return connection.execute(text(sql), {"s": session_id}).scalar() or 0

            return {
                "rows": scalar("SELECT count(*) FROM class_attendance WHERE session_id = :s"),
                "cadres": scalar("SELECT count(DISTINCT user_id) FROM class_attendance "
                                 "WHERE session_id = :s"),
                "by_qr": scalar("SELECT count(*) FROM class_attendance WHERE session_id = :s "
                                "AND method = 'qr'"),
                "twice": scalar("SELECT count(*) FROM (SELECT user_id FROM class_attendance "
                                "WHERE session_id = :s GROUP BY user_id HAVING count(*) > 1) t"),
                "refused": scalar("SELECT count(*) FROM class_check_in_refusal "
                                  "WHERE session_id = :s"),
                "audited": scalar("SELECT count(*) FROM audit_event WHERE action = "
                                  "'attendance.checked_in' AND target = 'class_session:' || :s"),
            }
    finally:
        engine.dispose()


def clear_attendance(database_url: str, session_id: int) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM class_attendance WHERE session_id = :s"),
                               {"s": session_id})
    finally:
        engine.dispose()


def describe(label: str, timings: Timings, healthz_rate: float, healthz_p50: float, *,
             capacity: bool = True) -> str:
    """A Markdown row; the throughput ratio only for parts that run as fast as they can."""
    rate = timings.requests / timings.elapsed if timings.elapsed else 0.0
    ratio = report.format_ratio(rate / healthz_rate) if capacity else "— (paced)"
    check_ins = len(timings.both) / timings.elapsed if timings.elapsed else 0.0
    p50 = percentile(timings.both, 0.5)
    return (f"| {label} | {len(timings.both):,} in {timings.elapsed:.1f} s | {check_ins:.1f} | "
            f"{rate:.1f} | {ratio} | "
            f"{percentile(timings.gets, 0.5):.1f} / {percentile(timings.gets, 0.95):.1f} | "
            f"{percentile(timings.posts, 0.5):.1f} / {percentile(timings.posts, 0.95):.1f} / "
            f"{percentile(timings.posts, 0.99):.1f} | {p50:.1f} / "
            f"{percentile(timings.both, 0.95):.1f} ({p50 / healthz_p50:.1f}× /healthz p50) | "
            f"{', '.join(f'{k} {v}' for k, v in sorted(timings.outcomes.items()))} | "
            f"{len(timings.errors)} |")


def main() -> None:
    args = _options()
    stop_on_termination()
    began = time.monotonic()
    setup = build(args.database_url, args.cadres)
    print(f"built: class {setup.class_id}, session {setup.session_id}, {len(setup.cadres)} "
          f"enrolled cadres ({time.monotonic() - began:.0f} s)", flush=True)
    state_path = f"/classes/{setup.class_id}/sessions/{setup.session_id}/check-in/state"
    lines = []
    with tempfile.TemporaryDirectory(prefix="class-check-in-") as folder:
        log = Path(folder) / "gunicorn.log"
        try:
            with gunicorn(args.database_url, workers=args.workers, log_path=log) as base_url:
                began = time.monotonic()
                with ThreadPoolExecutor(PREPARING_THREADS) as executor:
                    cookies = [cookie for cookie, _ in executor.map(
                        lambda name: signed_in(base_url, name, PASSWORD), setup.cadres)]
                organizer_cookie, _ = signed_in(base_url, setup.organizer, PASSWORD)
                print(f"signed in {len(cookies)} cadres and the organizer in "
                      f"{time.monotonic() - began:.0f} s", flush=True)
                projector = Projector(base_url, state_path, organizer_cookie)
                projector.start()
                if not projector.ready.wait(30):
                    raise RuntimeError("the projector's state did not answer")
                warm_up(base_url, projector.path, organizer_cookie, args.workers)
                before = healthz(base_url, args.healthz, args.threads)
                first = burst(base_url, projector, cookies, args.threads)
                after = healthz(base_url, args.healthz, args.threads)
                recorded = read_database(args.database_url, setup.session_id)
                again = burst(base_url, projector, cookies, args.threads)
                unchanged = read_database(args.database_url, setup.session_id)
                clear_attendance(args.database_url, setup.session_id)
                print(f"paced: {len(cookies)} cadres over {args.spread:g} s…", flush=True)
                spread = paced(base_url, projector, cookies, max(args.threads, 16),
                               args.spread)
                final = read_database(args.database_url, setup.session_id)
                projector.stopping.set()
                projector.join(timeout=10)
        except BaseException:
            if log.exists():
                print("gunicorn's log (last lines):\n" + log.read_text()[-3000:],
                      file=sys.stderr)
            raise
    healthz_rate = statistics.mean([before[0], after[0]])
    healthz_p50 = statistics.mean([before[1], after[1]])
    dataset = describe_database(args.database_url)
    lines += [
        report.machine(dataset),
        f"gunicorn {args.workers} sync workers (production config); a Python client of "
        f"{args.threads} connections (paced part: {max(args.threads, 16)}) on the same "
        f"cores. `/healthz` by the same client: {before[0]:.0f} req/s (p50 "
        f"{before[1]:.2f} ms) before the burst, {after[0]:.0f} req/s ({after[1]:.2f} ms) "
        "after; ratios are to their mean.",
        "",
        "| part | check-ins | check-ins/s | requests/s | ratio to /healthz | GET page p50 / p95 "
        "ms | POST p50 / p95 / p99 ms | check-in (GET + POST) p50 / p95 ms | answers | "
        "errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
        describe("burst", first, healthz_rate, healthz_p50),
        describe("again (double submit)", again, healthz_rate, healthz_p50),
        describe(f"paced over {args.spread:g} s", spread, healthz_rate, healthz_p50,
                 capacity=False),
        "",
        f"Paced: arrivals sent late by median {percentile(spread.late_ms, 0.5):.0f} ms, "
        f"max {max(spread.late_ms, default=0):.0f} ms. Projector: {len(projector.polls)} "
        f"state polls, p50 {percentile(projector.polls, 0.5):.1f} ms, p95 "
        f"{percentile(projector.polls, 0.95):.1f} ms, {projector.failures} failed.",
        f"Database after the burst: {_rows(recorded, len(cookies))}; after the second "
        f"posts: {_rows(unchanged, len(cookies))}; after the paced part: "
        f"{_rows(final, len(cookies))}.",
    ]
    errors = first.errors + again.errors + spread.errors
    if errors:
        lines.append(f"First errors: {errors[:3]}")
    print()
    print("\n".join(lines))


def _rows(counts: dict[str, int], cadres: int) -> str:
    exact = (counts["rows"] == counts["cadres"] == counts["by_qr"] == cadres
             and counts["twice"] == 0 and counts["refused"] == 0)
    return (f"{counts['rows']:,} rows for {counts['cadres']:,} cadres ({counts['by_qr']:,} by "
            f"QR), {counts['twice']} twice, {counts['refused']} refused scans, "
            f"{counts['audited']:,} check-in events in the audit log so far — "
            f"{'all ' + str(cadres) + ' recorded exactly once' if exact else 'NOT exact'}")


def describe_database(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
            members = connection.execute(text("SELECT count(*) FROM class_member")).scalar()
    finally:
        engine.dispose()
    return {"database": f"PostgreSQL {version}", "class members": f"{members:,}"}


if __name__ == "__main__":
    main()
