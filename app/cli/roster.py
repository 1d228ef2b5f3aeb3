"""`flask --app wsgi roster ...`."""

import click


@click.group("roster")
def roster_cli():
    """roster commands."""
