"""The analysis builder through the whole request: a join and a group by on two 5,000-row
tables, posted to /attempts/<id>/analyze (session, attempt, cached variant, form parsing,
compiling, sandbox, the steps in words, rendering), against a bare route in the same run.

Run: .venv/bin/python benchmarks/analysis_builder.py [--requests 300]
Builds a scratch SQLite database (migrations) with one cadre whose exercise has a fixed
dataset of two 5,000-row tables (incidents, and streets they join on), signs in with the
Flask test client (in-process, no sockets) and prints the median and p95 in ms of the
builder request, of a pivot over the joined rows, and of GET /healthz, and the builder's
as ratios to /healthz. Target: the builder's p95 under 50 ms.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

ROWS = 5000
DISTRICTS = ["渝中区", "江北区", "南岸区", "沙坪坝区", "九龙坡区", "大渡口区", "渝北区", "巴南区"]
JOIN_AND_GROUP = {
    "table": "incidents", "join-table": "streets", "join-left": "street_id",
    "join-right": "street_id", "join-keep": "1",
    "filter-0-column": "status", "filter-0-op": "ne", "filter-0-value": "已撤销",
    "group-0": "district", "measure-0-func": "count", "measure-0-name": "事件数",
    "measure-1-func": "count", "measure-1-name": "超期数",
    "measure-1-where-0-column": "status", "measure-1-where-0-op": "eq",
    "measure-1-where-0-value": "已超期",
    "measure-2-func": "sum", "measure-2-column": "population", "measure-2-name": "人口",
    "calc-0-name": "超期率", "calc-0-op": "percent", "calc-0-left": "超期数",
    "calc-0-right": "事件数", "calc-0-digits": "1", "limit": "100"}
PIVOT = {"table": "incidents", "join-table": "streets", "join-left": "street_id",
         "join-right": "street_id", "join-keep": "1", "pivot-rows": "district",
         "pivot-columns": "status", "pivot-func": "avg", "pivot-column": "hours"}


def _dataset() -> list[dict]:
    rng = random.Random(18)
    streets = [(i, f"街道{i:04d}", DISTRICTS[i % len(DISTRICTS)], rng.randint(2000, 90000))
               for i in range(1, ROWS + 1)]
    incidents = [(i, rng.randint(1, ROWS), rng.choice(["已办结", "已超期", "处置中", "已撤销"]),
                  round(rng.uniform(0.5, 96), 1)) for i in range(1, ROWS + 1)]
    return [
        {"name": "incidents", "label": "事件", "rows": incidents,
         "columns": [("id", "integer", "编号"), ("street_id", "integer", "街道编号"),
                     ("status", "text", "状态"), ("hours", "real", "处置时长")]},
        {"name": "streets", "label": "街道", "rows": streets,
         "columns": [("street_id", "integer", "街道编号"), ("name", "text", "街道"),
                     ("district", "text", "区县"), ("population", "integer", "人口")]},
    ]


def _setup(folder: Path):
    from tests.factories import PASSWORD, make_course, make_exercise, make_tree, make_user

    class BenchConfig(TestingConfig):
        @classmethod
        def apply_environment(cls, config):
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'bench.db'}"

    app = create_app(BenchConfig)
    with app.app_context():
        upgrade()
        tree = make_tree()
        course = make_course("GV210", lessons=1)
        tasks = [{"id": "T1", "type": "numeric", "area": "data", "points": 2,
                  "prompt": "事件有多少条？", "explanation": "",
                  "reference_sql": "SELECT count(*) FROM incidents", "options_sql": None,
                  "spec": {"tolerance": 0}}]
        quiz = make_exercise(course, dataset=_dataset(), tasks=tasks)
        from app.services.assessment.attempts import start_attempt
        from app.services.learning.enrollment import enroll_in_course

        cadre = make_user(unit=tree["jiefangbei"])
        enroll_in_course(course, actor=cadre)
        attempt_id = start_attempt(quiz, actor=cadre).id
        username = cadre.username
        db.session.commit()
    return app, username, attempt_id, PASSWORD


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return 1000 * (time.perf_counter() - started)


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        app, username, attempt_id, password = _setup(Path(scratch))
        client = app.test_client()
        response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.status_code
        url = f"/attempts/{attempt_id}/analyze"

        def builder(form):
            def post():
                answer = client.post(url, data=form, headers={"X-Requested-With": "fetch"})
                assert answer.status_code == 200 and answer.json["ok"], answer.json
            return post

        def bare():
            assert client.get("/healthz").status_code == 200

        for call in (builder(JOIN_AND_GROUP), builder(PIVOT), bare):  # warm the caches
            call()
        figures = {"healthz": [], "join + group by": [], "join + pivot": []}
        for _ in range(args.requests):  # interleaved, so a slow moment hits all alike
            figures["healthz"].append(_timed(bare))
            figures["join + group by"].append(_timed(builder(JOIN_AND_GROUP)))
            figures["join + pivot"].append(_timed(builder(PIVOT)))
        base_median = statistics.median(figures["healthz"])
        base_p95 = _p95(figures["healthz"])
        for name, values in figures.items():
            median, p95 = statistics.median(values), _p95(values)
            print(f"{name:16} median {median:6.1f} ms ({median / base_median:5.1f}× healthz), "
                  f"p95 {p95:6.1f} ms ({p95 / base_p95:5.1f}× healthz)")


if __name__ == "__main__":
    main()
