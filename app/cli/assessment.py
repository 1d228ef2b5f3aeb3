"""`flask --app wsgi assessment annual-test [--year N]`: set up the year's capability tests."""

import click
from flask.cli import AppGroup

from app.domain.learning import local_year
from app.extensions import db
from app.models.types import utcnow
from app.services.assessment.annual_test import create_annual_tests

assessment_cli = AppGroup("assessment", help="Quizzes and the annual capability test.")


@assessment_cli.command("annual-test")
@click.option("--year", type=int, help="Defaults to the current year.")
def annual_test_command(year: int | None):
    """Create the three tier tests of the year, drawn from the shared bank (idempotent)."""
    year = year or local_year(utcnow())
    tests = create_annual_tests(year, actor=None)
    db.session.commit()
    for quiz in tests:
        click.echo(f"{quiz.code}: {quiz.title}")
