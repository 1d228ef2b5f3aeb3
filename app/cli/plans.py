"""`flask --app wsgi plans sync`: enroll cadres who joined planned units after the plan."""

import click
from flask.cli import AppGroup

from app.domain.learning import local_today
from app.extensions import db
from app.models.types import utcnow
from app.services.learning.plans.assigning import sync_all_plans

plans_cli = AppGroup("plans", help="Training plans.")


@plans_cli.command("sync")
def sync_command():
    """Enroll every cadre covered by a running plan in its courses (idempotent)."""
    created = sync_all_plans(local_today(utcnow()))
    db.session.commit()
    click.echo(f"{created} enrollments created.")
