"""Scenario build time: how long each data-exercise generator takes for about 5,000 rows.

Run: .venv/bin/python benchmarks/scenario_build.py [--runs 5] [--rows 5000]
Builds every scenario in app/domain/scenarios ``--runs`` times (different seeds,
after one warm-up build) and prints the median, the fastest and the slowest time in
milliseconds, with the row counts built. Target: under 100 ms each at 5,000 rows.
The pipeline scenario has no row parameter: it is sized to the nearest whole number of
segments over 7 days of hourly readings.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.scenarios import SCENARIOS  # noqa: E402


def params_for(key: str, rows: int) -> dict:
    if key == "pipeline_sensors":
        return {"segments": max(5, round(rows / (7 * 24))), "days": 7}
    if key == "muck_trucks":
        return {"rows": rows, "trucks": max(20, rows // 25)}
    return {"rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    print(f"{'scenario':<22} {'rows':>14} {'median ms':>10} {'min ms':>8} {'max ms':>8}")
    for key, scenario in SCENARIOS.items():
        params = params_for(key, args.rows)
        scenario.generate(0, params)  # warm-up: imports, caches
        times = []
        for seed in range(1, args.runs + 1):
            started = time.perf_counter()
            dataset = scenario.generate(seed, params)
            times.append(1000 * (time.perf_counter() - started))
        rows = "+".join(str(len(t.rows)) for t in dataset.tables)
        print(f"{key:<22} {rows:>14} {statistics.median(times):>10.1f} {min(times):>8.1f} "
              f"{max(times):>8.1f}")


if __name__ == "__main__":
    main()
