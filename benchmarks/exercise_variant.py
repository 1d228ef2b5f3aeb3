"""Starting an exercise attempt: build a 5,000-row variant (and the hidden one) and compute
every task's expected answer. Prints the median and max of 7 runs; the aim is < 200 ms.

Run: .venv/bin/python benchmarks/exercise_variant.py
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.services.exercise_variants import (  # noqa: E402
    TaskReference,
    build_exercise_variant,
    expected_answer,
    hidden_seed,
)

TASKS = [
    TaskReference("numeric", "SELECT round(avg(status = '已超期'), 4) FROM incidents", {}),
    TaskReference("choice", "SELECT trim(street) FROM incidents GROUP BY trim(street) "
                            "ORDER BY avg(status = '已超期') DESC LIMIT 1", {}),
    TaskReference("rows", "SELECT id FROM incidents WHERE closed_at < reported_at", {}),
    TaskReference("sql", "SELECT category, count(*) FROM incidents GROUP BY category", {}),
    TaskReference("columns", None, {"answer": ["street", "grid"]}),
]


def start_attempt(seed: int) -> None:
    mine = build_exercise_variant("grid_incidents", {"rows": 5000}, seed)
    hidden = build_exercise_variant("grid_incidents", {"rows": 5000}, hidden_seed(seed))
    for task in TASKS:
        expected_answer(task, mine, hidden)


def main() -> None:
    timings = []
    for seed in range(7):
        started = time.perf_counter()
        start_attempt(1000 + seed)
        timings.append(1000 * (time.perf_counter() - started))
    print(f"grid_incidents, 5,000 rows, 2 variants, {len(TASKS)} tasks: "
          f"median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms")


if __name__ == "__main__":
    main()
