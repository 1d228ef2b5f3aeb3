"""Long tables in PDFs: one 10,000-row Table against the same rows in 45-row tables.

Run: .venv/bin/python benchmarks/pdf_tables.py [--rows 10000] [--chunk 45] [--runs 3]
Both documents use the HR page frame (header, footer with 第 x 页 / 共 y 页) and the CJK font
(the TrueType font the reports would embed, or the STSong-Light fallback). Prints the median
build time of each and the ratio; the chunked layout is what ``split_table`` produces.
"""

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.platypus import Table  # noqa: E402

from app.reports.theme import build_document, register_cjk_font, split_table  # noqa: E402

HEADER = ["序号", "姓名", "单位", "学时", "成绩", "评定"]
WIDTHS = [40, 60, 200, 50, 50, 60]


def sample_rows(count: int) -> list[list[str]]:
    ratings = ["优秀", "合格", "基本合格", "不合格"]
    return [[str(n + 1), f"干部{n:05d}", f"渝中区解放碑街道第{n % 40 + 1}社区", f"{n % 60}.5",
             f"{60 + n % 40}", ratings[n % 4]] for n in range(count)]


def build(story, font) -> bytes:
    return build_document(story, title="培训档案汇总", unit="渝中区", year=2026,
                          generated_by="benchmark", generated_at=datetime.now(), font=font)


def timed(make_story, font, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        story = make_story()  # flowables are consumed by a build: a fresh story each run
        start = time.perf_counter()
        size = len(build(story, font))
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=45)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    font = register_cjk_font()
    rows = sample_rows(args.rows)
    print(f"font: {font.name} ({'embedded ' + font.path if font.embedded else 'not embedded'})")

    def one_table():
        table = split_table(rows, HEADER, WIDTHS, chunk=len(rows) or 1, font=font)[0]
        assert isinstance(table, Table)
        return [table]

    whole, whole_size = timed(one_table, font, args.runs)
    chunked, chunked_size = timed(
        lambda: split_table(rows, HEADER, WIDTHS, chunk=args.chunk, font=font), font, args.runs)
    print(f"{args.rows:,} rows, median of {args.runs} runs")
    print(f"  one Table:        {whole:7.2f} s  ({whole_size / 1e6:.1f} MB)")
    print(f"  {args.chunk}-row tables:  {chunked:7.2f} s  ({chunked_size / 1e6:.1f} MB)")
    print(f"  one Table is {whole / chunked:.1f}× slower")


if __name__ == "__main__":
    main()
