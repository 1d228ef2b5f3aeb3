"""`flask --app wsgi reports unit|cadre|batch ...`: HR documents from the command line."""

import click


@click.group("reports")
def reports_cli():
    """HR PDF documents."""
