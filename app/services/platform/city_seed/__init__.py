"""A city-size demo data set (issue 15): a believable training year for N cadres in minutes.

The real use cases build the base and a sample: seed_demo (org tree, demo accounts, the
first ``sample`` generated cadres, the curriculum, the city plan), create_org_unit for the
rest of the city's tree, study_as_demo_cadres for the sample, run_appraisal at the end.
Everyone else is written set-based (COPY on PostgreSQL) by the same study rules
(app.domain.demo_study), with the rows those use cases would have left (see activity.py).
Like every service this flushes and never commits; the CLI command owns the commit.
"""

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update

from app.domain.demo_data import generated_username
from app.domain.demo_study import GENERATED_PREFIX
from app.domain.learning import local_year, local_year_bounds
from app.extensions import db
from app.models import Enrollment, TrainingPlan, User
from app.models.types import utcnow
from app.services.core.errors import ServiceError
from app.services.people.passwords import hash_password
from app.services.platform.city_seed.activity import Window, write_activity
from app.services.platform.city_seed.bulk import BulkWriter
from app.services.platform.city_seed.people import add_city_units, write_cadres
from app.services.platform.city_seed.records import CertificateBook, stored
from app.services.platform.city_seed.variants import prepare_courses
from app.services.platform.demo.activity import run_demo_appraisal, study_as_demo_cadres
from app.services.platform.demo.seeding import DEMO_PASSWORD, DEMO_PLAN_TITLE, seed_demo

#: Progress reporting: phase(label, total) gives a context whose value is update(done).
Phase = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]


class CityAlreadySeeded(ServiceError):
    """Generated cadres exist already: the city data set needs a database without them."""


@dataclass
class CityReport:
    people: int
    sample: int
    units: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def _quiet(label: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda done: None


def seed_city(*, people: int, sample: int, courses_dir: Path, seed: int = 2026,
              phase: Phase = _quiet) -> CityReport:
    """Build the city's year; refused under production and when generated cadres exist."""
    if not current_app.config.get("DEMO_ALLOWED", False):
        raise ServiceError("demo data is refused under this configuration (production)")
    existing = db.session.scalar(select(func.count(User.id)).where(
        User.username.like(f"{GENERATED_PREFIX}%")))
    if existing:
        raise CityAlreadySeeded(
            f"{existing} generated cadres exist already; the city data set is built on a "
            "database without them (a fresh one, after `flask db upgrade`)")
    sample = max(0, min(sample, people))
    report = CityReport(people=people, sample=sample)
    clock = _Clock(report)
    with clock("base and sample accounts (seed-demo, real use cases)"):
        seed_demo(people=sample, courses_dir=courses_dir)
    with clock("org tree (create_org_unit)"):
        specs, units = add_city_units(people)
        report.units = len(units)
    writer = BulkWriter(db.session)
    now = utcnow()
    with clock("cadres (set-based)"), phase("Writing cadres", people - sample) as done:
        cadres = write_cadres(writer, specs, units, first=sample, count=people - sample,
                              password_hash=hash_password(DEMO_PASSWORD), created_at=now,
                              progress=done)
        report.rows.update(user_account=len(cadres), user_role=len(cadres),
                           audit_event=len(cadres))
    window = _window(now)
    plan = _backdate_plan(window.plan_at)
    with clock("study year (set-based)"), phase("Writing the year", len(cadres)) as done:
        prepared = prepare_courses(seed)
        rows = write_activity(writer, cadres, prepared, plan, window,
                              CertificateBook(prepared), progress=done)
        for table, count in rows.items():
            report.rows[table] = report.rows.get(table, 0) + count
        writer.advance_sequences()  # before any use case inserts again
    db.session.expire_all()
    with clock("sample study (real use cases)"), phase("Sample cadres studying",
                                                       sample) as done:
        study_as_demo_cadres(_sample_cadres(sample), progress=done)
    with clock("appraisal (run_appraisal)"):
        run_demo_appraisal()
    return report


class _Clock:
    def __init__(self, report: CityReport):
        self.report = report

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.report.timings[name] = time.perf_counter() - started


def _window(now: datetime) -> Window:
    """The plan is saved in the first week of the year; cadres study from then until an
    hour ago (a run early in January squeezes the year into the days there are)."""
    year_start, _ = local_year_bounds(local_year(now))
    plan_at = min(year_start + timedelta(days=4, hours=9), year_start + (now - year_start) / 4)
    plan_at, now = stored(plan_at), stored(now)  # the year is computed in naive UTC
    return Window(plan_at=plan_at, start=plan_at + (now - plan_at) / 100,
                  end=now - (now - plan_at) / 100)


def _backdate_plan(plan_at: datetime) -> TrainingPlan:
    """The demo plan (saved by seed_demo a moment ago) dated to the start of the year, with
    the enrolments it made then, so the year's study comes after it."""
    plan = db.session.scalar(select(TrainingPlan).where(TrainingPlan.title == DEMO_PLAN_TITLE))
    if plan is None:
        raise ServiceError("the demo training plan is missing (are the courses imported?)")
    plan.created_at = plan.updated_at = plan_at.replace(tzinfo=UTC)
    db.session.execute(update(Enrollment).where(Enrollment.plan_id == plan.id)
                       .values(enrolled_at=plan_at.replace(tzinfo=UTC))
                       .execution_options(synchronize_session=False))
    db.session.flush()
    return plan


def _sample_cadres(sample: int) -> list[User]:
    names = [generated_username(index) for index in range(sample)]
    return list(db.session.scalars(select(User).where(User.username.in_(names))
                                   .order_by(User.username))) if names else []


__all__ = ["CityAlreadySeeded", "CityReport", "seed_city"]
