"""HR PDFs at district scale: the unit summary of a district and a batch of cadre records.

Run: .venv/bin/python benchmarks/hr_reports.py [--cadres 20000] [--responses 200000]
     [--batch 1000] [--database URL]
The data set comes from appraisal_scale.py's generator (bulk Core inserts), with the whole
city folded into ONE district of 20 streets, so the district holds every cadre; the year's
appraisal runs first so the summary has ratings. Then, each timed alone and again under
tracemalloc for the peak: the unit summary of the district (data, then drawing), the same
compliance table drawn by bare ReportLab (plain strings in 45-row tables, Helvetica-free
CJK font: the floor any themed document stands on), and a batch of --batch cadre records
in one PDF, built lazily as the background job does (records a chunk at a time while
the pages are laid out and written), with statements, pages and bytes.
"""

import argparse
import io
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import appraisal_scale  # noqa: E402
from flask_babel import force_locale  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table  # noqa: E402
from scratch import scratch_app  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.extensions import db  # noqa: E402
from app.models import OrgUnit, User  # noqa: E402
from app.reports.batch import render_batch_pdf  # noqa: E402
from app.reports.theme import register_cjk_font  # noqa: E402
from app.reports.unit_summary import render_unit_summary_pdf  # noqa: E402
from app.services.appraisal.run import run_appraisal  # noqa: E402
from app.services.records.documents import build_unit_summary  # noqa: E402
from app.services.records.unit_records import build_chunk, unit_cadres  # noqa: E402


def measure(label, work, counter, *, traced=False):
    """Run ``work()``; print wall time, statements and (traced) the tracemalloc peak."""
    db.session.expunge_all()
    if traced:
        tracemalloc.start()
    counter.start()
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    statements = counter.stop()
    peak = ""
    if traced:
        peak = f", peak {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MB (tracemalloc)"
        tracemalloc.stop()
    print(f"  {label}: {elapsed:.2f} s, {statements} SQL statements{peak}")
    return result, elapsed


def bare_table_pdf(rows, font_name) -> bytes:
    """The floor: the same rows as plain strings in 45-row Tables, no frame, no Paragraphs."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4)
    style = [("FONTNAME", (0, 0), (-1, -1), font_name), ("FONTSIZE", (0, 0), (-1, -1), 9)]
    header = ["姓名", "工号", "单位", "职级", "学时", "目标", "逾期课程", "最早逾期"]
    story = [Table([header, *rows[i:i + 45]], repeatRows=1, style=style)
             for i in range(0, len(rows), 45)]
    document.build(story)
    return buffer.getvalue()


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def summary_figures(admin_id, year, counter):
    admin = lambda: db.session.get(User, admin_id)  # noqa: E731 - reloaded after expunge
    district = lambda: db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500100"))  # noqa: E731
    print("unit summary of the district:")
    now = datetime.now(UTC)
    summary, data_s = measure("data (dashboard, compliance, commendation)",
                              lambda: build_unit_summary(district(), actor=admin(), year=year,
                                                         now=now), counter)
    with force_locale("zh"):
        pdf, draw_s = measure("drawing", lambda: render_unit_summary_pdf(
            summary, generated_by="benchmark", generated_at=now), counter)
        measure("drawing again", lambda: render_unit_summary_pdf(
            summary, generated_by="benchmark", generated_at=now), counter, traced=True)
    print(f"  → {len(summary.compliance.rows):,} compliance rows, {pages_of(pdf):,} pages, "
          f"{len(pdf) / 2**20:.1f} MB; total {data_s + draw_s:.2f} s")
    rows = [(r.name, r.username, r.unit_name, r.rank.value, str(r.hours), str(r.target),
             str(r.overdue_courses), str(r.first_overdue_on or "")) for r in
            summary.compliance.rows]
    font = register_cjk_font()
    floor, floor_s = measure("floor: the compliance table by bare ReportLab",
                             lambda: bare_table_pdf(rows, font.name), counter)
    print(f"  → floor {pages_of(floor):,} pages; the summary takes "
          f"{draw_s / floor_s:.1f}× the floor's drawing time")


def batch_figures(admin_id, year, size, counter):
    print(f"batch of {size:,} cadre records (as the background job builds it):")
    now = datetime.now(UTC)

    def records():
        """The first ``size`` cadres of the district, their records a chunk at a time."""
        district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500100"))
        people = unit_cadres(district)[:size]
        for i in range(0, len(people), 200):
            yield from build_chunk(people[i:i + 200], year=year, now=now)

    def document():
        return render_batch_pdf(records(), total=size, unit_name="区0", year=year,
                                generated_by="benchmark", generated_at=now)

    measure("data alone (records in chunks of 200)", lambda: list(records()), counter)
    with force_locale("zh"):
        pdf, elapsed = measure("data and drawing, one PDF with a bookmark each", document,
                               counter)
        measure("again under tracemalloc", document, counter, traced=True)
    print(f"  → {pages_of(pdf):,} pages, {len(pdf) / 2**20:.1f} MB, "
          f"{elapsed / size * 1000:.0f} ms per cadre")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=20_000)
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    appraisal_scale.DISTRICTS, appraisal_scale.STREETS_PER_DISTRICT = 1, 20
    with scratch_app(args.database, prefix="hr-reports-"):
        counter = appraisal_scale.StatementCounter(db.engine)
        year = datetime.now(UTC).year
        started = time.perf_counter()
        counts = appraisal_scale.build(args.cadres, args.responses, year)
        appraisal_scale.reset_sequences()
        run_appraisal(year, unit=None, actor=None, now=datetime.now(UTC))
        db.session.commit()
        print(f"[{db.engine.dialect.name}] generated and appraised in "
              f"{time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
        admin_id = args.cadres + 1
        summary_figures(admin_id, year, counter)
        batch_figures(admin_id, year, args.batch, counter)
        print(f"process max RSS {appraisal_scale.max_rss_mb():.0f} MB (ru_maxrss)")


if __name__ == "__main__":
    main()
