"""`flask --app wsgi seed-city --people 200000`: a city-size demo year (refused under the
production config and when generated cadres exist)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.demo import seeding_errors_reported
from app.extensions import db
from app.services.platform.city_seed import seed_city


@contextmanager
def _bar(label: str, total: int) -> Iterator:
    with click.progressbar(length=max(total, 1), label=label) as bar:
        yield lambda done: bar.update(done - bar.pos)


def _refresh_planner_statistics() -> None:
    """Millions of rows just arrived by COPY: without fresh statistics PostgreSQL plans a
    cadre's page as if each cadre had thousands of enrollments (hash joins over whole tables,
    1.2 s for the home page) until autovacuum gets round to it."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


@click.command("seed-city")
@click.option("--people", default=200_000, show_default=True,
              help="Generated cadres (besides the five demo accounts).")
@click.option("--sample", default=300, show_default=True,
              help="Of those, how many study through the real use cases.")
@click.option("--seed", default=2026, show_default=True, help="Seed of the generated data.")
@with_appcontext
def seed_city_command(people: int, sample: int, seed: int) -> None:
    """Build a believable training year for a city of N cadres on an empty database."""
    started = time.perf_counter()
    with seeding_errors_reported():
        report = seed_city(people=people, sample=sample, seed=seed,
                           courses_dir=current_app.config["COURSES_DIR"], phase=_bar)
    commit_started = time.perf_counter()
    db.session.commit()
    report.timings["commit"] = time.perf_counter() - commit_started
    analyze_started = time.perf_counter()
    _refresh_planner_statistics()
    report.timings["planner statistics (ANALYZE)"] = time.perf_counter() - analyze_started
    click.echo(f"City data set: {report.people} generated cadres ({report.sample} through the "
               f"real use cases), {report.units} org units.")
    for table, count in report.rows.items():
        click.echo(f"  {table:<16} {count:>10,} rows written set-based")
    for name, seconds in report.timings.items():
        click.echo(f"  {seconds:8.1f} s  {name}")
    click.echo(f"  {time.perf_counter() - started:8.1f} s  in all")
