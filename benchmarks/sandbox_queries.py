"""SQL sandbox latency and throughput for typical SQL-console queries.

Run: .venv/bin/python benchmarks/sandbox_queries.py [--rows 5000] [--repeat 200]
        [--threads 10] [--seconds 5] [--progress-steps N]
Builds a variant (a 5,000-row ``cases`` table and a 40-row ``handlers`` table), runs
each typical query ``--repeat`` times one after another and prints the median and
95th-percentile latency of ``run_query`` (copy of the variant, checks, query, fetch).
Then ``--threads`` threads issue the same queries for ``--seconds`` seconds and it
prints queries per second and the p95 latency. sqlite3 releases the GIL while SQLite
runs a statement, but the progress handler, the authorizer and row conversion need
it, so threads share one core's worth of Python. ``--progress-steps`` overrides how
many SQLite instructions run between looks at the clock (for tuning only).
"""

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.exercises.sandbox import TableData, build_variant, policy, run_query  # noqa: E402

DISTRICTS = ["渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "大渡口区", "北碚区", "渝北区"]
CATEGORIES = ["市容环境", "交通出行", "社会保障", "住房建设", "教育医疗", "企业服务"]
STATUSES = ["已受理", "办理中", "已办结", "已回访"]

QUERIES = {
    "filter": "SELECT id, amount FROM cases WHERE district = '渝中区' AND amount > 500 "
    "ORDER BY amount DESC LIMIT 20",
    "group_by": "SELECT district, count(*) AS n, round(avg(amount), 2) AS mean FROM cases "
    "GROUP BY district ORDER BY n DESC",
    "order": "SELECT * FROM cases ORDER BY opened DESC, id LIMIT 50",
    "join": "SELECT h.name, count(*) AS n FROM cases c JOIN handlers h ON h.id = c.handler_id "
    "WHERE c.status = '已办结' GROUP BY h.name ORDER BY n DESC",
    "month": "SELECT strftime('%Y-%m', opened) AS month, category, count(*) FROM cases "
    "WHERE opened >= '2024-01-01' GROUP BY month, category ORDER BY month, category",
    "window": "SELECT district, id, amount, rank() OVER (PARTITION BY district "
    "ORDER BY amount DESC) AS r FROM cases WHERE amount > 900",
}


def make_variant(rows: int):
    rng = random.Random(6)
    handlers = [(i, f"工作人员{i:02d}", rng.choice(DISTRICTS)) for i in range(1, 41)]
    cases = [
        (
            i,
            rng.choice(DISTRICTS),
            rng.choice(CATEGORIES),
            rng.choice(STATUSES),
            round(rng.uniform(0, 1000), 2),
            f"{rng.choice([2023, 2024])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.randint(1, 40),
        )
        for i in range(1, rows + 1)
    ]
    return build_variant([
        TableData(
            "cases",
            [("id", "INTEGER"), ("district", "TEXT"), ("category", "TEXT"), ("status", "TEXT"),
             ("amount", "REAL"), ("opened", "TEXT"), ("handler_id", "INTEGER")],
            cases,
        ),
        TableData("handlers", [("id", "INTEGER"), ("name", "TEXT"), ("district", "TEXT")],
                  handlers),
    ])


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def timed(variant, sql: str) -> float:
    started = time.perf_counter()
    run_query(variant, sql)
    return (time.perf_counter() - started) * 1000


def sequential(variant, repeat: int) -> None:
    print(f"sequential, {repeat} runs each (ms): median / p95")
    everything: list[float] = []
    for name, sql in QUERIES.items():
        timed(variant, sql)  # warm up
        times = [timed(variant, sql) for _ in range(repeat)]
        everything += times
        print(f"  {name:<9} {statistics.median(times):7.2f} / {p95(times):7.2f}")
    print(f"  {'all':<9} {statistics.median(everything):7.2f} / {p95(everything):7.2f}")


def concurrent(variant, threads: int, seconds: float) -> None:
    latencies: list[list[float]] = [[] for _ in range(threads)]
    stop = time.perf_counter() + seconds
    sqls = list(QUERIES.values())

    def worker(mine: list[float], offset: int) -> None:
        i = offset
        while time.perf_counter() < stop:
            mine.append(timed(variant, sqls[i % len(sqls)]))
            i += 1

    pool = [threading.Thread(target=worker, args=(latencies[n], n)) for n in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    merged = [t for mine in latencies for t in mine]
    print(f"concurrent, {threads} threads for {elapsed:.1f} s: {len(merged)} queries, "
          f"{len(merged) / elapsed:.0f} queries/s, median {statistics.median(merged):.2f} ms, "
          f"p95 {p95(merged):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--progress-steps", type=int, default=None)
    args = parser.parse_args()
    if args.progress_steps:
        policy.PROGRESS_STEPS = args.progress_steps
    variant = make_variant(args.rows)
    print(f"variant: {args.rows} + 40 rows, image {len(variant.serialize()) // 1024} KiB, "
          f"clock read every {policy.PROGRESS_STEPS} SQLite instructions")
    sequential(variant, args.repeat)
    concurrent(variant, args.threads, args.seconds)


if __name__ == "__main__":
    main()
