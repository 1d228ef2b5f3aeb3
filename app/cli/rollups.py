"""`flask --app wsgi hr-rollups refresh`: recompute the HR dashboard's per-unit figures."""

import time

import click
from flask.cli import AppGroup

from app.domain.learning import local_year
from app.extensions import db
from app.models.types import utcnow
from app.services.records.dashboard.rollups import refresh_unit_rollups

rollups_cli = AppGroup("hr-rollups", help="Per-unit figures of the HR dashboard.")


@rollups_cli.command("refresh")
@click.option("--year", "years", type=int, multiple=True,
              help="A year to recompute (repeatable; default: this year).")
@click.option("--every", type=click.IntRange(min=10), default=None, metavar="SECONDS",
              help="Keep running, recomputing every SECONDS (e.g. 300 as a service).")
@click.option("--rounds", type=click.IntRange(min=1), default=None,
              help="With --every, stop after this many refreshes.")
def refresh_command(years: tuple[int, ...], every: int | None, rounds: int | None):
    """Recompute every unit's figures of the year, each year in one transaction."""
    done = 0
    while True:
        for year in years or (local_year(utcnow()),):
            refresh = refresh_unit_rollups(year, now=utcnow())
            db.session.commit()
            click.echo(f"{refresh.year}: {refresh.cadres} cadres in {refresh.seconds:.1f} s")
        done += 1
        if every is None or (rounds is not None and done >= rounds):
            return
        db.session.remove()  # a fresh session each round: nothing cached between them
        time.sleep(every)
