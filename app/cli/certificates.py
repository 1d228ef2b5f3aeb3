"""`flask --app wsgi certificates ...`."""

import click


@click.group("certificates")
def certificates_cli():
    """certificates commands."""
