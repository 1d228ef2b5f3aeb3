"""Roster import at city scale: preview and apply of 50,000 rows, time and peak memory.

Run: .venv/bin/python benchmarks/roster_import.py [--rows 50000] [--database URL]
The scratch database (default: a temporary SQLite file) is emptied, migrated and given an
org tree (city → 10 districts → 100 streets). A GBK CSV and an XLSX roster of ``--rows``
people are generated; then, each timed and measured under tracemalloc separately:
previewing the CSV, previewing the XLSX (openpyxl read-only), applying the CSV (all new
accounts, bulk inserts), previewing it again (nothing to change), and applying a copy where
one row in ten changed rank (bulk updates). The apply hashes every one-time password as
production does (the light argon2id for random passwords, whatever the config); for
comparison, the cost the full-strength argon2id (m=64 MiB, t=3, p=4) of people's own
passwords would have is measured on a sample and extrapolated.
"""

import argparse
import csv
import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from argon2 import PasswordHasher  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from scratch import scratch_app  # noqa: E402
from sqlalchemy import func, insert, select, text  # noqa: E402

from app.domain.vocabulary import OrgLevel  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import OrgUnit, User  # noqa: E402
from app.services.people.roster import apply_roster, preview_roster  # noqa: E402
from config import Config  # noqa: E402

RANKS = ["厅局级", "县处级", "乡科级", "科员及以下", "基层/网格员"]
CATEGORIES = ["综合管理", "经济产业", "社会治理", "城建应急", "公共服务"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
HASH_SAMPLE = 8


def build_tree() -> list[str]:
    """The org tree in bulk; returns the street codes people are spread over."""
    rows = [{"id": 1, "code": "500000", "name": "重庆市", "level": OrgLevel.CITY,
             "parent_id": None, "path": "/1/", "sort_order": 0}]
    streets, next_id = [], 2
    for d in range(10):
        district = next_id
        next_id += 1
        rows.append({"id": district, "code": f"5001{d:02d}", "name": f"区{d}",
                     "level": OrgLevel.DISTRICT, "parent_id": 1, "path": f"/1/{district}/",
                     "sort_order": d})
        for s in range(10):
            code = f"5001{d:02d}{s:03d}"
            rows.append({"id": next_id, "code": code, "name": f"街道{d}-{s}",
                         "level": OrgLevel.STREET, "parent_id": district,
                         "path": f"/1/{district}/{next_id}/", "sort_order": s})
            streets.append(code)
            next_id += 1
    db.session.execute(insert(OrgUnit), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('org_unit_id_seq', (SELECT max(id) FROM org_unit))"))
        db.session.commit()
    return streets


def people(count: int, streets: list[str], changed_every: int = 0) -> list[list]:
    rows = []
    for i in range(count):
        rank = RANKS[i % 5]
        if changed_every and i % changed_every == 0:
            rank = RANKS[(i + 1) % 5]
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[i % 13]
        rows.append([f"CQ{500000 + i}", name, streets[i % len(streets)], rank,
                     CATEGORIES[(i // 3) % 5], "学员"])
    return rows


def as_csv(rows) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["工号", "姓名", "单位代码", "职级", "类别", "角色"])
    writer.writerows(rows)
    return buffer.getvalue().encode("gbk")


def as_xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["工号", "姓名", "单位代码", "职级", "类别", "角色"])
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def measured(label: str, action):
    """Run ``action`` twice: timed, then under tracemalloc for its Python allocation peak."""
    db.session.rollback()
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    db.session.rollback()
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    db.session.rollback()
    print(f"{label}: {elapsed:.2f} s, Python allocation peak {peak:.0f} MB")
    return result


def committed(label: str, action):
    """Time an action that writes, then commit it (no second run: it changes the data)."""
    started = time.perf_counter()
    result = action()
    db.session.commit()
    print(f"{label}: {time.perf_counter() - started:.2f} s (commit included)")
    return result


def argon2_cost(rows: int) -> None:
    hasher = PasswordHasher(time_cost=Config.ARGON2_TIME_COST,
                            memory_cost=Config.ARGON2_MEMORY_COST,
                            parallelism=Config.ARGON2_PARALLELISM)
    started = time.perf_counter()
    for i in range(HASH_SAMPLE):
        hasher.hash(f"Sample#{i}pass")
    each = (time.perf_counter() - started) / HASH_SAMPLE
    print(f"for comparison, full-strength argon2id (m={Config.ARGON2_MEMORY_COST // 1024} MiB, "
          f"t={Config.ARGON2_TIME_COST}, p={Config.ARGON2_PARALLELISM}): {each * 1000:.0f} ms "
          f"per password → {rows:,} new accounts would take ≈ {each * rows / 60:.0f} min "
          "(why one-time passwords, being random, use the light argon2id)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with scratch_app(args.database, prefix="roster-import-"):
        streets = build_tree()
        rows = people(args.rows, streets)
        csv_data, xlsx_data = as_csv(rows), as_xlsx(rows)
        print(f"[{db.engine.dialect.name}] {args.rows:,} rows: CSV (GBK) "
              f"{len(csv_data) / 2**20:.1f} MB, XLSX {len(xlsx_data) / 2**20:.1f} MB")
        preview = measured("preview CSV, all new", lambda: preview_roster(
            csv_data, "r.csv", actor=None))
        assert not preview.errors, preview.errors[:3]
        measured("preview XLSX, all new (openpyxl read-only)", lambda: preview_roster(
            xlsx_data, "r.xlsx", actor=None))
        result = committed("apply CSV: create every account",
                           lambda: apply_roster(csv_data, "r.csv", actor=None))
        print(f"  of which hashing one-time passwords (light argon2id, m=256 KiB, t=1): "
              f"{result.hashing_seconds:.2f} s; accounts now "
              f"{db.session.scalar(select(func.count()).select_from(User)):,}")
        again = measured("preview the same CSV again", lambda: preview_roster(
            csv_data, "r.csv", actor=None, deactivate_missing=True))
        print(f"  second preview: {len(again.diff.creates)} creates, "
              f"{len(again.diff.updates)} updates, {len(again.diff.deactivations)} deactivations")
        changed = as_csv(people(args.rows, streets, changed_every=10))
        update = committed("apply a copy with one row in ten changed (bulk updates)",
                           lambda: apply_roster(changed, "r.csv", actor=None))
        print(f"  updated {len(update.preview.diff.updates):,} accounts")
        argon2_cost(args.rows)


if __name__ == "__main__":
    main()
