"""The exercise console through the whole request path, alone and with 10 learners at once.

Run: .venv/bin/python benchmarks/workspace_http.py [--learners 10] [--seconds 10]
Builds a scratch SQLite database (migrations), ten cadres each with their own 5,000-row
grid-incident attempt, signs each in with their own client, and posts typical console
queries to /attempts/<id>/query (session, attempt lookup, cached variant, sandbox,
result rendering). Prints the median and p95 of one learner alone, then of all learners
together with the total requests per second. Each request is handled in-process (the
WSGI app, no sockets), in one thread per learner, as a threaded server would.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from config import TestingConfig  # noqa: E402

QUERIES = [
    "SELECT district, count(*) AS n FROM incidents GROUP BY district ORDER BY n DESC",
    "SELECT trim(street) AS street, round(100.0 * avg(status = '已超期'), 1) AS overdue "
    "FROM incidents GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
    "SELECT * FROM incidents WHERE handling_hours < 0",
    "SELECT substr(reported_at, 1, 7) AS month, category, count(*) FROM incidents "
    "GROUP BY 1, 2 ORDER BY 1, 3 DESC",
]


def _setup(learners: int, folder: Path):
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
        quiz = make_exercise(course, params={"rows": 5000})
        from app.services.assessment.attempts import start_attempt
        from app.services.learning.enrollment import enroll_in_course

        people = []
        for _ in range(learners):
            cadre = make_user(unit=tree["jiefangbei"])
            enroll_in_course(course, actor=cadre)
            people.append((cadre.username, start_attempt(quiz, actor=cadre).id))
        db.session.commit()
    return app, people, PASSWORD


def _client(app, username: str, password: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.status_code
    return client


def _post(client, attempt_id: int, sql: str) -> float:
    started = time.perf_counter()
    response = client.post(f"/attempts/{attempt_id}/query", data={"sql": sql},
                           headers={"X-Requested-With": "fetch"})
    elapsed = 1000 * (time.perf_counter() - started)
    assert response.status_code == 200 and response.json["ok"], response.get_data(as_text=True)
    return elapsed


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        app, people, password = _setup(args.learners, Path(scratch))
        clients = [(_client(app, username, password), attempt) for username, attempt in people]
        for client, attempt in clients:  # warm each variant into the cache
            _post(client, attempt, QUERIES[0])
        alone = [_post(clients[0][0], clients[0][1], QUERIES[i % len(QUERIES)])
                 for i in range(200)]
        print(f"1 learner, 200 requests: median {statistics.median(alone):.1f} ms, "
              f"p95 {_p95(alone):.1f} ms")
        timings: list[list[float]] = [[] for _ in clients]
        deadline = time.perf_counter() + args.seconds

        def learner(index: int) -> None:
            client, attempt = clients[index]
            i = index
            while time.perf_counter() < deadline:
                timings[index].append(_post(client, attempt, QUERIES[i % len(QUERIES)]))
                i += 1

        threads = [threading.Thread(target=learner, args=(i,)) for i in range(len(clients))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        together = [t for per in timings for t in per]
        print(f"{len(clients)} learners for {args.seconds:g} s: {len(together)} requests, "
              f"{len(together) / args.seconds:.0f} requests/s, median "
              f"{statistics.median(together):.1f} ms, p95 {_p95(together):.1f} ms, "
              f"slowest learner's median {max(statistics.median(p) for p in timings):.1f} ms")


if __name__ == "__main__":
    main()
