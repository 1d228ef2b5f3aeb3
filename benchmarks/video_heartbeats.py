"""Video heartbeats of many simultaneous viewers through the whole request (issue 19).

Run (as root: wrk is installed from Debian when missing), on PostgreSQL:

    .venv/bin/python benchmarks/video_heartbeats.py --database-url postgresql+psycopg://…/city
    .venv/bin/python benchmarks/video_heartbeats.py --viewers 200 --rounds 1 --real-seconds 30

Setup: the most-enrolled published course (the city plan assigns DC101 to everyone) gets a
READY 60-minute video on its lesson 1 when it has none (benchmark-owned, no file: reports
never read it); `--viewers` random active cadres enrolled in it lose their watch rows of
that video (a rerun starts clean) and are signed in over HTTP (load/pool.py, 4 threads) on
gunicorn (load/server.py: 2 sync workers, the production config), and each claims the video.

Timed part, as city_load.py: wrk rounds of heartbeats (each request one viewer's report of
its line's next 15 s window, load/replay.lua) next to `/healthz` rounds of the same length,
medians over `--rounds`, printed as a Markdown row with the ratios to `/healthz`, and the
capacity next to the need (N viewers reporting every 15 s need N/15 requests a second).

Real-rate part: the watch rows are cleared again, and for `--real-seconds` every viewer
claims once and then reports its next window every 15 s, phases spread evenly, from a Python
client (load/viewers.py) on the same two cores. Then the database is read: one watch row per
viewer, the stored intervals per row (1 when every window was accepted and merged), and the
seconds credited or pending against what was reported and what the clock allows.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import report  # noqa: E402
from benchmarks.load.dataset import describe_dataset  # noqa: E402
from benchmarks.load.heartbeats import (  # noqa: E402
    Readout,
    Setup,
    clear_watches,
    heartbeat,
    prepare,
    read_watches,
)
from benchmarks.load.pool import PREPARING_THREADS, signed_in  # noqa: E402
from benchmarks.load.rows import CONNECTIONS, HEALTHZ, OK  # noqa: E402
from benchmarks.load.server import gunicorn, stop_on_termination  # noqa: E402
from benchmarks.load.viewers import PERIOD, Viewer, claim_all, drive, late_summary  # noqa: E402
from benchmarks.load.wrk import Request, ensure_wrk, run_round  # noqa: E402

MAX_RATE = 1.25  # the default VIDEO_MAX_RATE: media seconds credited per wall-clock second


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--viewers", type=int, default=2000)
    parser.add_argument("--course", help="course code (default: the most enrolled)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a wrk round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--real-seconds", type=float, default=60.0,
                        help="length of the real-rate part (0: skip it)")
    parser.add_argument("--client-threads", type=int, default=16,
                        help="threads of the real-rate client")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--password", default="Demo@2026")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's per-request timeout, s")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is required")
    return args


def _sign_in(base_url: str, setup: Setup, password: str) -> list[tuple[str, str]]:
    began = time.monotonic()
    with ThreadPoolExecutor(PREPARING_THREADS) as executor:
        sessions = list(executor.map(lambda v: signed_in(base_url, v[1], password),
                                     setup.viewers))
    print(f"signed in {len(sessions)} viewers in {time.monotonic() - began:.0f} s", flush=True)
    return sessions


def _with_tabs(sessions: list[tuple[str, str]]) -> list[Viewer]:
    """The viewers with a fresh tab id each (a new page load)."""
    nonce = secrets.token_hex(3)
    return [Viewer(cookie, csrf, f"hb{nonce}{i}") for i, (cookie, csrf) in enumerate(sessions)]


def timed(args, wrk: str, base_url: str, code: str, viewers: list[Viewer]) -> list[str]:
    """wrk rounds of heartbeats, each next to a /healthz round: the Markdown row and the
    capacity line."""
    beats = [heartbeat(code, v.cookie, v.csrf, v.tab) for v in viewers]
    healthz = [Request("GET", "/healthz")]
    rounds, sent = [], 0
    for _ in range(args.rounds):
        h = run_round(wrk, base_url, healthz, accept=HEALTHZ.accept, connections=CONNECTIONS,
                      seconds=args.seconds, timeout_s=args.timeout)
        # each round starts where the last stopped: every viewer reports, not the first few
        start = sent % len(beats)
        r = run_round(wrk, base_url, beats[start:] + beats[:start], accept=OK,
                      connections=CONNECTIONS, seconds=args.seconds, timeout_s=args.timeout)
        sent += r.requests
        print(f"  heartbeats: {r.rate:.1f} req/s, p50 {r.p50_ms:.1f} ms, p95 {r.p95_ms:.1f} ms,"
              f" errors {r.error_count}; /healthz {h.rate:.0f} req/s, p50 {h.p50_ms:.2f} ms",
              flush=True)
        rounds.append((h, r))
    row = report.summarise("video heartbeat (POST report)", rounds)
    latency_ratio = statistics.median(r.p50_ms / h.p50_ms for h, r in rounds if h.p50_ms)
    healthz_p50 = statistics.median(h.p50_ms for h, _ in rounds)
    need = len(viewers) / PERIOD
    return [
        "| request | req/s | p50 / p95 ms | `/healthz` req/s, p50 ms | throughput ratio "
        "to /healthz | p50 latency ratio to /healthz | errors |",
        "|---|---|---|---|---|---|---|",
        f"| {row.label} | {report.format_number(row.rate)} | {report.format_number(row.p50_ms)}"
        f" / {report.format_number(row.p95_ms)} | {report.format_number(row.healthz_rate)}, "
        f"{healthz_p50:.2f} | {report.format_ratio(row.ratio)} | {latency_ratio:.1f}× | "
        f"{row.errors:,} |",
        "",
        f"Capacity {row.rate:,.0f} req/s against the need of {len(viewers):,} viewers reporting "
        f"every {PERIOD:g} s: {need:,.0f} req/s ({row.rate / need:.1f}× the need; about "
        f"{row.rate * PERIOD:,.0f} viewers at full load).",
    ]


def describe_rows(readout: Readout) -> str:
    counts = ", ".join(f"{n} interval{'s' if n != 1 else ''}: {rows:,} rows"
                       for n, rows in readout.interval_counts.items())
    return (f"{readout.rows:,} watch rows for {readout.viewers:,} viewers; stored intervals "
            f"(credited + pending) per row: {counts or '—'}; most {readout.most_intervals}")


def real_rate(args, base_url: str, code: str, viewers: list[Viewer], setup: Setup) -> list[str]:
    outcome = drive(base_url, code, viewers, seconds=args.real_seconds,
                    threads=args.client_threads)
    readout = read_watches(args.database_url, setup)
    reported = sum(outcome.accepted_seconds.values())
    covered = sum(readout.covered.values())
    index = {user_id: i for i, (user_id, _) in enumerate(setup.viewers)}
    over_clock = sum(1 for user_id, seconds in readout.covered.items()
                     if seconds > MAX_RATE * outcome.watching_seconds.get(index[user_id], 0.0)
                     + 0.1)
    short = {user_id: outcome.accepted_seconds.get(index[user_id], 0.0) - seconds
             for user_id, seconds in readout.covered.items()}
    short = {u: gap for u, gap in short.items() if gap > 0.1}
    return [
        "| viewers | seconds | requests (claims + reports) | achieved req/s | client p50 / p95 "
        "ms | sent late | errors | superseded |",
        "|---|---|---|---|---|---|---|---|",
        f"| {len(viewers):,} | {args.real_seconds:g} | {outcome.requests:,} ({outcome.claims:,} + "
        f"{outcome.reports:,}) | {outcome.rate:.1f} | {outcome.percentile(0.5):.1f} / "
        f"{outcome.percentile(0.95):.1f} | {late_summary(outcome)} | {outcome.errors:,} | "
        f"{outcome.superseded:,} |",
        "",
        f"Database afterwards: {describe_rows(readout)}.",
        f"Seconds credited {readout.credited_seconds:,.1f} + pending "
        f"{readout.pending_seconds:,.1f} (no presence check falls due within the run, so "
        f"reports stay pending) = {covered:,.1f} s covered, against {reported:,.1f} s "
        f"reported in accepted reports and {args.real_seconds:g} s × {len(viewers):,} viewers "
        f"= {args.real_seconds * len(viewers):,.0f} s of wall time; viewers credited more "
        f"than {MAX_RATE}× their claim-to-last-report time: {over_clock}; viewers credited less "
        f"than they reported: {len(short):,} ({sum(short.values()):,.1f} s short, at most "
        f"{max(short.values(), default=0):,.1f} s for one: a report "
        "that reached the server less than 12 s after the one before was clipped to the "
        "clock).",
    ]


def main() -> None:
    args = _options()
    stop_on_termination()
    wrk = ensure_wrk()
    dataset = describe_dataset(args.database_url)
    setup = prepare(args.database_url, viewers=args.viewers, course_code=args.course)
    print(f"{setup.course_code} lesson 1: video {setup.video_id} ({setup.duration:g} s, "
          f"{'added' if setup.added_video else 'already there'}); {len(setup.viewers):,} "
          "viewers, their watch rows cleared", flush=True)
    printed = []
    with tempfile.TemporaryDirectory(prefix="video-heartbeats-") as folder:
        log = Path(folder) / "gunicorn.log"
        try:
            with gunicorn(args.database_url, workers=args.workers, log_path=log) as base_url:
                sessions = _sign_in(base_url, setup, args.password)
                viewers = _with_tabs(sessions)
                claim_all(base_url, setup.course_code, viewers, threads=PREPARING_THREADS)
                printed += timed(args, wrk, base_url, setup.course_code, viewers)
                printed += ["", "After the timed rounds: "
                            + describe_rows(read_watches(args.database_url, setup)) + "."]
                if args.real_seconds > 0:
                    clear_watches(args.database_url, setup)
                    print(f"real rate: {len(setup.viewers):,} viewers for "
                          f"{args.real_seconds:g} s…", flush=True)
                    printed += ["", *real_rate(args, base_url, setup.course_code,
                                               _with_tabs(sessions), setup)]
        except BaseException:
            if log.exists():
                print("gunicorn's log (last lines):\n" + log.read_text()[-3000:], file=sys.stderr)
            raise
    print()
    print(report.machine(dataset))
    print(f"gunicorn {args.workers} sync workers; wrk -t1, {CONNECTIONS} connections, "
          f"{args.rounds} rounds of {args.seconds:g} s, each next to a /healthz round; "
          f"medians of the rounds. Real-rate client: {args.client_threads} Python threads "
          "on the same cores.")
    print()
    print("\n".join(printed))


if __name__ == "__main__":
    main()
