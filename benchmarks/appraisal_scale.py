"""Appraisal at city scale: run time, peak memory and statements for 50,000 cadres.

Run: .venv/bin/python benchmarks/appraisal_scale.py [--cadres 50000] [--responses 1000000]
     [--database URL]
The scratch database (default: a temporary SQLite file) is emptied, migrated, then filled
with bulk Core inserts: an org tree (city → 10 districts → 100 streets), the cadres, 10
courses with one graded quiz each plus 3 exercises, enrollments, hour credits, graded
attempts of 10 answers each and their QuizResult rows. Then the year's appraisal runs over
the whole city (twice: once timed, once under tracemalloc, with its read queries timed
alone in between), and one cadre's learning record with its competency profile is built,
counting SQL statements throughout. On PostgreSQL the loaded tables are ANALYZEd first.
"""

import argparse
import random
import resource
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scratch import scratch_app  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402

from app.domain.vocabulary import (  # noqa: E402
    AttemptState,
    CompetencyArea,
    CourseKind,
    CourseTier,
    CreditKind,
    EnrollmentSource,
    OrgLevel,
    QuizKind,
    Rank,
    RoleName,
    WorkCategory,
)
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    AppraisalResult,
    Attempt,
    AttemptAnswer,
    Course,
    Enrollment,
    Exercise,
    HourCredit,
    OrgUnit,
    Question,
    Quiz,
    QuizResult,
    Role,
    User,
)
from app.services.appraisal import run as appraisal_run  # noqa: E402
from app.services.appraisal.run import run_appraisal  # noqa: E402
from app.services.people.passwords import hash_password  # noqa: E402
from app.services.records.competency import build_competency_profile  # noqa: E402
from app.services.records.learning_record import build_learning_record  # noqa: E402

CHUNK = 10_000
DISTRICTS, STREETS_PER_DISTRICT = 10, 10
COURSES, EXERCISES, ANSWERS_PER_ATTEMPT = 10, 3, 10
AREAS = list(CompetencyArea)


class StatementCounter:
    """Counts cursor executions (an executemany counts once) while switched on."""

    def __init__(self, engine):
        self.count, self.on = 0, False
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args):
        if self.on:
            self.count += 1

    def start(self):
        self.count, self.on = 0, True

    def stop(self) -> int:
        self.on = False
        return self.count


def bulk(table, rows) -> int:
    """Insert an iterable of dicts in chunks of CHUNK with executemany; rows inserted."""
    done, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            db.session.execute(insert(table), chunk)
            done, chunk = done + len(chunk), []
    if chunk:
        db.session.execute(insert(table), chunk)
        done += len(chunk)
    return done


def org_rows():
    yield {"id": 1, "code": "500000", "name": "重庆市", "level": OrgLevel.CITY,
           "parent_id": None, "path": "/1/", "sort_order": 0}
    next_id = 2
    streets = []
    for d in range(DISTRICTS):
        district_id = next_id
        next_id += 1
        yield {"id": district_id, "code": f"5001{d:02d}", "name": f"区{d}",
               "level": OrgLevel.DISTRICT, "parent_id": 1, "path": f"/1/{district_id}/",
               "sort_order": d}
        for s in range(STREETS_PER_DISTRICT):
            streets.append({"id": next_id, "code": f"5001{d:02d}{s:03d}", "name": f"街道{d}-{s}",
                            "level": OrgLevel.STREET, "parent_id": district_id,
                            "path": f"/1/{district_id}/{next_id}/", "sort_order": s})
            next_id += 1
    yield from streets


def build_catalogue(now):
    """Courses, their questions, one graded quiz each, and a few exercises: the quiz plan."""
    bulk(Course.__table__, ({"id": c + 1, "code": f"BA{c:03d}", "title": f"课程{c}",
                             "summary": "", "tier": CourseTier.FOUNDATION,
                             "kind": CourseKind.REQUIRED, "hours": Decimal(4),
                             "audience_ranks": [], "audience_categories": [], "version": 1,
                             "content_hash": "", "created_at": now, "updated_at": now}
                            for c in range(COURSES)))
    questions, quizzes = [], []
    for c in range(COURSES):
        keys = [f"BA{c:03d}-Q{q:02d}" for q in range(ANSWERS_PER_ATTEMPT)]
        questions += [{"key": key, "course_id": c + 1, "type": "truefalse",
                       "area": AREAS[(c + q) % len(AREAS)], "difficulty": 1 + q % 3,
                       "points": Decimal(2), "prompt": key, "explanation": "",
                       "spec": {"answer": True}, "version": 1, "content_hash": "",
                       "updated_at": now} for q, key in enumerate(keys)]
        quizzes.append({"kind": QuizKind.COURSE, "course_id": c + 1, "code": f"BA{c:03d}/final",
                        "keys": keys})
    for e in range(EXERCISES):
        keys = [f"t{t}" for t in range(ANSWERS_PER_ATTEMPT)]
        quizzes.append({"kind": QuizKind.EXERCISE, "course_id": e + 1,
                        "code": f"BA{e:03d}/exercise", "keys": keys})
    bulk(Question.__table__, questions)
    bulk(Quiz.__table__, ({"id": i + 1, "code": q["code"], "kind": q["kind"],
                           "course_id": q["course_id"], "title": q["code"], "graded": True,
                           "pass_mark": 60, "question_keys": q["keys"], "draw_rules": [],
                           "version": 1, "content_hash": ""} for i, q in enumerate(quizzes)))
    bulk(Exercise.__table__, ({"quiz_id": i + 1, "brief": "", "scenario_key": None,
                               "scenario_params": {}, "dataset": [], "tasks": []}
                              for i, q in enumerate(quizzes) if q["kind"] is QuizKind.EXERCISE))
    return quizzes


def build(cadres: int, responses: int, year: int) -> dict[str, int]:
    rng = random.Random(7)
    now = datetime(year, 6, 30, tzinfo=UTC)
    password_hash = hash_password("not-used-by-the-benchmark")
    counts = {"org_units": bulk(OrgUnit.__table__, org_rows())}
    street_ids = list(range(2 + DISTRICTS, counts["org_units"] + 1))
    ranks, categories = list(Rank), list(WorkCategory)
    counts["users"] = bulk(User.__table__, (
        {"id": u, "username": f"C{u:06d}", "name": f"干部{u}",
         "org_unit_id": street_ids[u % len(street_ids)], "rank": ranks[u % len(ranks)],
         "category": categories[u % len(categories)], "active": True,
         "password_hash": password_hash, "session_version": 1,
         "created_at": now} for u in range(1, cadres + 1)))
    bulk(Role.__table__, ({"user_id": u, "name": RoleName.CADRE, "granted_at": now}
                          for u in range(1, cadres + 1)))
    quizzes = build_catalogue(now)
    # Each cadre takes three courses and completes (and is credited for) the first two.
    counts["enrollments"] = bulk(Enrollment.__table__, (
        {"user_id": u, "course_id": 1 + (u + j) % COURSES, "source": EnrollmentSource.PLAN,
         "enrolled_at": now - timedelta(days=90),
         "completed_at": now - timedelta(days=30 - j) if j < 2 else None}
        for u in range(1, cadres + 1) for j in range(3)))
    counts["hour_credits"] = bulk(HourCredit.__table__, (
        {"user_id": u, "course_id": 1 + (u + j) % COURSES, "year": year,
         "hours": Decimal(rng.choice((12, 16, 20, 24))), "kind": CreditKind.REQUIRED,
         "credited_at": now - timedelta(days=30 - j)}
        for u in range(1, cadres + 1) for j in range(2)))
    # Attempt a goes to cadre a % cadres on a quiz that differs per round, so
    # (quiz, user, number) stays unique; number grows once every quiz was taken.
    attempts = responses // ANSWERS_PER_ATTEMPT
    plan = []
    for a in range(attempts):
        user, round_ = 1 + a % cadres, a // cadres
        quiz = (round_ + user) % len(quizzes)
        percent = Decimal(rng.randint(30, 100))
        plan.append((a + 1, quiz + 1, user, 1 + round_ // len(quizzes), percent))
    snapshot = [{"key": f"k{q}"} for q in range(ANSWERS_PER_ATTEMPT)]
    graded_at = now - timedelta(days=10)
    counts["attempts"] = bulk(Attempt.__table__, (
        {"id": aid, "quiz_id": qid, "user_id": uid, "number": number,
         "state": AttemptState.GRADED, "seed": aid, "questions": snapshot,
         "started_at": graded_at - timedelta(minutes=20), "submitted_at": graded_at,
         "graded_at": graded_at, "score": percent / 5, "max_score": Decimal(20),
         "percent": percent, "passed": percent >= 60} for aid, qid, uid, number, percent in plan))
    counts["attempt_answers"] = bulk(AttemptAnswer.__table__, (
        {"attempt_id": aid, "position": p, "response": None, "client_seq": 1,
         "saved_at": graded_at, "points": Decimal(2) if rng.random() < float(percent) / 100
         else Decimal(0), "question_key": quizzes[qid - 1]["keys"][p],
         "area": AREAS[(qid + p) % len(AREAS)], "max_points": Decimal(2), "graded_at": graded_at}
        for aid, qid, uid, number, percent in plan for p in range(ANSWERS_PER_ATTEMPT)))
    standing = {}
    for _aid, qid, uid, _number, percent in plan:
        standing[(qid, uid)] = max(percent, standing.get((qid, uid), Decimal(0)))
    counts["quiz_results"] = bulk(QuizResult.__table__, (
        {"quiz_id": qid, "user_id": uid, "percent": percent, "passed": percent >= 60,
         "attempts": 1, "updated_at": graded_at} for (qid, uid), percent in standing.items()))
    counts["admin"] = bulk(User.__table__, [
        {"id": cadres + 1, "username": "ADMIN", "name": "管理员", "org_unit_id": 1,
         "rank": Rank.BUREAU, "category": WorkCategory.ADMINISTRATION, "active": True,
         "password_hash": password_hash, "session_version": 1,
         "created_at": now}])
    bulk(Role.__table__, [{"user_id": cadres + 1, "name": RoleName.ADMIN, "granted_at": now}])
    db.session.commit()
    return counts


def reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; later plain inserts need them on."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in (OrgUnit, User, Course, Quiz, Attempt):  # the tables given explicit ids
        table = model.__tablename__
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {table}) + 1, false)"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # fresh statistics, as autovacuum would give


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def timed_run(year, counter, *, traced: bool):
    db.session.expunge_all()
    if traced:
        tracemalloc.start()
    counter.start()
    started = time.perf_counter()
    summary = run_appraisal(year, unit=None, actor=None, now=datetime.now(UTC))
    db.session.commit()
    elapsed = time.perf_counter() - started
    statements = f"{counter.stop()} SQL statements"
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if traced else None
    if traced:
        tracemalloc.stop()
    return summary, elapsed, statements, peak


def aggregate_breakdown(year) -> None:
    """Where the run's time goes: each of its read queries alone, rows fully fetched."""
    parts = []
    for name, read in (("people", lambda: appraisal_run._people(None)),
                       ("hours", lambda: appraisal_run._hours(year, None)),
                       ("averages", lambda: appraisal_run._averages(year, None)),
                       ("covered areas", lambda: appraisal_run._covered_areas(year, None))):
        started = time.perf_counter()
        read()
        parts.append(f"{name} {time.perf_counter() - started:.2f} s")
    print("  read queries alone (fetched into Python): " + ", ".join(parts))


def measure_record(cadre_id, admin_id, year, counter) -> None:
    db.session.expunge_all()
    now = datetime.now(UTC)
    counter.start()
    started = time.perf_counter()
    admin, person = db.session.get(User, admin_id), db.session.get(User, cadre_id)
    record = build_learning_record(person, actor=admin, year=year, now=now)
    elapsed = time.perf_counter() - started
    statements = counter.stop()
    print(f"learning record (with competency profile) of cadre {cadre_id}: {statements} "
          f"statements incl. loading actor and person, {1000 * elapsed:.1f} ms; "
          f"{len(record.results)} quiz lines, {len(record.hours)} hour lines")
    db.session.expunge_all()
    person = db.session.get(User, cadre_id)
    counter.start()
    started = time.perf_counter()
    build_competency_profile(person, now=now)
    elapsed = time.perf_counter() - started
    print(f"competency profile alone: {counter.stop()} statements, {1000 * elapsed:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cadres", type=int, default=50_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with scratch_app(args.database, prefix="appraisal-scale-"):
        counter = StatementCounter(db.engine)
        year = datetime.now(UTC).year
        started = time.perf_counter()
        counts = build(args.cadres, args.responses, year)
        reset_sequences()
        print(f"[{db.engine.dialect.name}] generated in {time.perf_counter() - started:.1f} s: "
              + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
        rss_before = max_rss_mb()
        summary, elapsed, statements, _ = timed_run(year, counter, traced=False)
        written = db.session.scalar(select(func.count()).select_from(AppraisalResult))
        print(f"appraisal run {year}, whole city: {elapsed:.2f} s, {statements}, "
              f"{summary.cadres:,} cadres rated, {written:,} results written; ratings "
              + ", ".join(f"{r.value} {n:,}" for r, n in summary.ratings.items()))
        print(f"process max RSS: {rss_before:.0f} MB before the run, {max_rss_mb():.0f} MB "
              "after (ru_maxrss, includes data generation)")
        aggregate_breakdown(year)
        summary, elapsed, statements, peak = timed_run(year, counter, traced=True)
        print(f"second run (replaces the results) under tracemalloc: {elapsed:.2f} s, "
              f"{statements}, Python allocation peak {peak:.0f} MB")
        measure_record(1, args.cadres + 1, year, counter)


if __name__ == "__main__":
    main()
