"""`flask --app wsgi backup ...`."""

import click


@click.group("backup")
def backup_cli():
    """backup commands."""
