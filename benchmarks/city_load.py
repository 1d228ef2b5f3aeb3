"""Load benchmark at city scale: gunicorn on a database, wrk against each cadre and HR page.

Run (as root: wrk is installed from Debian when missing):

    .venv/bin/python benchmarks/city_load.py --database-url postgresql+psycopg://…/city
    .venv/bin/python benchmarks/city_load.py --only home,catalog --rounds 1 --no-mix

It starts gunicorn (2 sync workers, `--timeout 120`, the production config with only the
sign-in rate limit raised through LOGIN_RATE_LIMIT, see load/server.py) on 127.0.0.1, signs
in a pool of cadres chosen at random from the database (active cadres with enrollments and
quiz activity; the seeded password) and the HR users `hr` (city) and `hr_yuzhong` (渝中区),
starts attempts for the submit rows through the app's own pages, then measures each row in
rounds of `--seconds`, each round next to a `/healthz` round of the same length, and prints
the medians as a Markdown table for benchmarks/README.md. gunicorn is stopped on the way
out, also on Ctrl-C or an error.

Why wrk: a C load generator on one thread (-t1) with Lua replaying prepared requests costs
a few percent of a core, where a Python generator (locust) would take most of one of the
machine's two cores from the app it measures. It keeps 8 connections open (4 per worker:
both workers stay busy, the queue stays short; HR dashboards 2), closed loop: each
connection sends its next request when the answer arrives, so latencies include the time
queued in gunicorn's backlog.

Writes: sign-ins, lesson views, autosaves and submits change the database as real use
would, and every submit uses up a started attempt (quizzes allow 3 attempts), so repeated
runs on a small data set run out of attempts; a submit that finds none left is sent to a
404 and counted as an error (shown in the table).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import report  # noqa: E402
from benchmarks.load.dataset import describe_dataset  # noqa: E402
from benchmarks.load.pool import Pool, prepare_pool  # noqa: E402
from benchmarks.load.rows import (  # noqa: E402
    HEALTHZ,
    MIX,
    MIX_ACCEPT,
    MIX_LABEL,
    MIX_SHARES,
    ROWS,
    mix_requests,
)
from benchmarks.load.server import gunicorn, stop_on_termination  # noqa: E402
from benchmarks.load.wrk import RoundResult, ensure_wrk, run_round  # noqa: E402


def _options() -> argparse.Namespace:
    names = [row.name for row in ROWS] + [MIX]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--only", help=f"comma-separated rows among: {', '.join(names)}")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-mix", action="store_true", help="skip the deadline-day mix")
    parser.add_argument("--cadres", type=int, default=200, help="cadres signed in")
    parser.add_argument("--attempts", type=int, default=3000,
                        help="attempts started for the submit row and the mix (at most)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--password", default="Demo@2026")
    parser.add_argument("--hr-users", default="hr,hr_yuzhong")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's per-request timeout, s")
    parser.add_argument("--max-minutes", type=float, default=45,
                        help="stop measuring after this long (prints what it has)")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is required")
    chosen = set(args.only.split(",")) if args.only else set(names)
    if unknown := chosen - set(names):
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    if args.no_mix:
        chosen.discard(MIX)
    args.rows = chosen
    return args


class Bench:
    """Runs rows against one server, each round next to a /healthz round."""

    def __init__(self, args, wrk: str, base_url: str, pool: Pool):
        self.args, self.wrk, self.base_url, self.pool = args, wrk, base_url, pool
        self.deadline = time.monotonic() + 60 * args.max_minutes
        self.rates: dict[str, float] = {}

    def _round(self, requests, accept: str, connections: int, seconds: float) -> RoundResult:
        return run_round(self.wrk, self.base_url, requests, accept=accept,
                         connections=connections, seconds=seconds, timeout_s=self.args.timeout)

    def measure(self, name: str, label: str, rounds_requests, accept: str, connections: int,
                seconds: list[float]) -> report.RowSummary | None:
        rounds = []
        healthz = HEALTHZ.build(self.pool)
        for requests, length in zip(rounds_requests, seconds, strict=True):
            if time.monotonic() > self.deadline:
                print(f"  {name}: --max-minutes reached, skipped", flush=True)
                break
            if not requests:
                print(f"  {name}: nothing to send (no data for it in this pool)", flush=True)
                break
            h = self._round(healthz, HEALTHZ.accept, HEALTHZ.connections, length)
            r = self._round(requests, accept, connections, length)
            print(f"  {name}: {r.rate:.1f} req/s, p50 {r.p50_ms:.1f} ms, p95 {r.p95_ms:.1f} ms,"
                  f" errors {r.errors}; /healthz {h.rate:.0f} req/s", flush=True)
            rounds.append((h, r))
        if not rounds:
            return None
        summary = report.summarise(label, rounds)
        self.rates[name] = summary.rate
        return summary

    def _lengths(self, budgets: list[int], rate: float | None) -> list[float]:
        """Round lengths that do not use up a round's attempts at ``rate`` (with a margin)."""
        seconds = self.args.seconds
        if not rate:
            return [seconds] * len(budgets)
        return [max(2.0, min(seconds, round(b / (1.3 * rate), 1))) for b in budgets]

    def _split(self, requests: list, parts: int) -> list[list]:
        size = len(requests) // parts
        return [requests[i * size:(i + 1) * size] for i in range(parts)]

    def row(self, row, attempts) -> report.RowSummary | None:
        n = self.args.rounds
        if row.uses_attempts:
            slices = self._split(attempts, n)
            # a submit costs more than an autosave: the autosave rate bounds the submit rate
            lengths = self._lengths([len(s) for s in slices], self.rates.get("autosave"))
            return self.measure(row.name, row.label, slices, row.accept, row.connections,
                                lengths)
        requests = row.build(self.pool)
        return self.measure(row.name, row.label, [requests] * n, row.accept, row.connections,
                            [self.args.seconds] * n)

    def mix(self, attempts) -> report.RowSummary | None:
        slices = self._split(attempts, self.args.rounds)
        blocks = [mix_requests(self.pool, s) for s in slices]
        shares = {"pages": [self.rates.get(r.name) for r in ROWS[:8]],
                  "autosave": [self.rates.get("autosave")], "submit": [self.rates.get("submit")],
                  "signin": [self.rates.get("signin")]}
        rate = None  # capacity for the mix: time per request weighted by the shares
        if all(all(shares[k]) for k in shares):
            rate = 1 / sum(share / 20 / statistics.median(shares[kind])
                           for kind, share in MIX_SHARES)
        lengths = self._lengths([len(b) for b in blocks], rate)
        return self.measure(MIX, MIX_LABEL, blocks, MIX_ACCEPT, 8, lengths)


def main() -> None:
    args = _options()
    stop_on_termination()
    wrk = ensure_wrk()
    dataset = describe_dataset(args.database_url)
    wants_attempts = {"submit", MIX} & args.rows
    with tempfile.TemporaryDirectory(prefix="city-load-") as folder:
        log = Path(folder) / "gunicorn.log"
        try:
            with gunicorn(args.database_url, workers=args.workers, log_path=log) as base_url:
                pool = prepare_pool(
                    base_url, args.database_url, cadres=args.cadres,
                    hr_users=args.hr_users.split(","), password=args.password,
                    attempts=args.attempts if wants_attempts else 0)
                print(f"pool: {len(pool.cadres)} cadres, {len(pool.submits)} attempts to "
                      f"submit, {len(pool.sign_ins)} sign-ins to replay", flush=True)
                bench = Bench(args, wrk, base_url, pool)
                submit_share = (len(pool.submits) * 2 // 3 if len(wants_attempts) == 2
                                else len(pool.submits))
                summaries = []
                for row in ROWS:
                    if row.name in args.rows:
                        summaries.append(bench.row(row, pool.submits[:submit_share]))
                if MIX in args.rows:
                    summaries.append(bench.mix(pool.submits[submit_share:]))
        except BaseException:
            if log.exists():
                print("gunicorn's log (last lines):\n" + log.read_text()[-3000:], file=sys.stderr)
            raise
    rows = [s for s in summaries if s is not None]
    healthz = [s.healthz_rate for s in rows if s.healthz_rate]
    print()
    print(report.machine(dataset))
    print(f"gunicorn {args.workers} sync workers; wrk -t1, 8 connections (HR dashboards 2); "
          f"{args.rounds} rounds of {args.seconds:g} s, each next to a /healthz round "
          f"(median {statistics.median(healthz):,.0f} req/s); medians of the rounds."
          if healthz else "")
    print()
    print(report.table(rows))
    short = [f"{s.label}: {', '.join(f'{x:.1f}' for x in s.seconds)} s" for s in rows
             if any(x < args.seconds - 0.5 for x in s.seconds)]
    if short:
        print("\nRounds shortened so the started attempts last: " + "; ".join(short))


if __name__ == "__main__":
    main()
