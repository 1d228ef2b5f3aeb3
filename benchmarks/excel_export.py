"""Excel export of a long cadre list: our workbook code against bare openpyxl write-only.

Run: .venv/bin/python benchmarks/excel_export.py [--rows 50000] [--repeat 3]
The rows are generated in memory (no database): CadreRow items as the dashboard service
streams them. Three ways to write the same 11 columns are timed (best of --repeat) and
measured once under tracemalloc for the peak of traced memory:
- floor: bare ``Workbook(write_only=True)`` appending plain values, no styles, no checks;
- build_workbook: our generic writer (formula-safe text, control characters dropped,
  number formats on numeric columns, bold frozen header, column widths);
- cadres_workbook: the same plus turning CadreRow items into labelled rows.
"""

import argparse
import sys
import time
import tracemalloc
from decimal import Decimal
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from app import create_app  # noqa: E402
from app.domain.appraisal import Rating  # noqa: E402
from app.domain.vocabulary import Rank, WorkCategory  # noqa: E402
from app.reports.workbooks import Column, build_workbook, cadres_workbook  # noqa: E402
from app.services.records.dashboard import CadreRow  # noqa: E402
from config import TestingConfig  # noqa: E402

RANKS, CATEGORIES, RATINGS = list(Rank), list(WorkCategory), [*Rating, None]
COLUMNS = [Column("工号", 14), Column("姓名", 14), Column("单位", 24), Column("职级", 14),
           Column("类别", 16), Column("学时", 10, "hours"), Column("目标", 12, "integer"),
           Column("选课", 12, "integer"), Column("完成", 12, "integer"),
           Column("平均分", 14, "score"), Column("等次", 12)]


def make_cadres(count: int) -> list[CadreRow]:
    return [CadreRow(i, f"CQ{i:06d}", f"干部{i}", f"第{i % 400}社区", RANKS[i % 5],
                     CATEGORIES[i % 5], Decimal(i % 80) / 2, 50, i % 7, i % 5,
                     None if i % 9 == 0 else float(i % 101), RATINGS[i % 6])
            for i in range(count)]


def plain_rows(cadres):
    return ((c.username, c.name, c.unit_name, c.rank.value, c.category.value, c.hours,
             c.target, c.enrollments, c.completed, c.average_score,
             c.rating.value if c.rating else "") for c in cadres)


def floor(cadres) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("cadres")
    sheet.append([column.header for column in COLUMNS])
    for row in plain_rows(cadres):
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def generic(cadres) -> bytes:
    return build_workbook("cadres", COLUMNS, plain_rows(cadres))


def labelled(cadres) -> bytes:
    return cadres_workbook("cadres", iter(cadres), label=lambda member: str(member))


def measure(name, function, cadres, repeat):
    function(cadres[:100])  # warm up: first-use imports and caches are not the export
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(function(cadres))
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    function(cadres)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return name, min(times), peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    app = create_app(TestingConfig)
    cadres = make_cadres(options.rows)
    with app.test_request_context():
        results = [measure(name, function, cadres, options.repeat) for name, function in
                   (("floor (bare write-only)", floor), ("build_workbook", generic),
                    ("cadres_workbook", labelled))]
    base = results[0][1]
    print(f"{options.rows:,} rows × {len(COLUMNS)} columns, best of {options.repeat}")
    for name, seconds, peak, size in results:
        print(f"{name:<26} {seconds:7.2f} s  {options.rows / seconds:9,.0f} rows/s  "
              f"×{seconds / base:4.2f} of the floor  peak {peak / 2**20:6.1f} MB  "
              f"file {size / 2**20:5.1f} MB")


if __name__ == "__main__":
    main()
