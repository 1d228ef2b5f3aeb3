"""`flask --app wsgi seed-demo`: load demo data (refused under the production config)."""

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.importing import CourseImportError
from app.services.platform.demo.activity import seed_demo_activity
from app.services.platform.demo.seeding import is_database_empty, seed_demo


@contextmanager
def seeding_errors_reported() -> Iterator[None]:
    """Course files with problems or a refused seed: say why, roll back, exit non-zero."""
    try:
        yield
    except CourseImportError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("the course files have problems; nothing loaded") from error
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


@click.command("seed-demo")
@click.option("--people", default=320, show_default=True, help="Generated cadres to create.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has any user.")
@click.option("--activity/--no-activity", default=True, show_default=True,
              help="Let the generated cadres study (lessons, quizzes, hours, certificates) "
                   "and run this year's appraisal, so dashboards and reports have data.")
@with_appcontext
def seed_demo_command(people: int, if_empty: bool, activity: bool) -> None:
    """Load the Chongqing demo org tree, demo accounts and generated cadres (idempotent)."""
    if if_empty and not is_database_empty():
        click.echo("Database already has users; demo data not loaded.")
        return
    with seeding_errors_reported(), \
            click.progressbar(length=people, label="Creating cadres") as bar:
        report = seed_demo(people=people, courses_dir=current_app.config["COURSES_DIR"],
                           progress=lambda done: bar.update(done - bar.pos))
    attempts = 0
    if activity and report.users_created:
        with click.progressbar(length=2 * people,
                               label="Cadres studying (last year, this year)") as bar:
            attempts = seed_demo_activity(progress=lambda done: bar.update(done - bar.pos))
    db.session.commit()
    if attempts:
        click.echo(f"Demo activity: {attempts} quiz attempts submitted, "
                   "both years appraised, last year closed.")
    click.echo(f"Demo data: {report.units_created} org units and "
               f"{report.users_created} users created, {report.courses_imported} courses "
               f"imported, {'a' if report.plan_created else 'no'} training plan created.")
