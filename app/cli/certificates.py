"""`flask --app wsgi certificates verify SERIAL CODE | issue-missing [--year N]`."""

import sys

import click

from app.extensions import db
from app.services.certificates import (
    find_missing_work,
    issue_missing_certificates,
    public_facts,
    verify_certificate,
)


@click.group("certificates")
def certificates_cli():
    """Check certificates and issue the ones that should exist."""


@certificates_cli.command("verify")
@click.argument("serial")
@click.argument("code")
def verify_command(serial: str, code: str):
    """Print the status of certificate SERIAL with verification CODE (exit 1: not found)."""
    certificate = verify_certificate(serial, code)
    if certificate is None:
        click.echo(f"{serial}: not found (unknown number or wrong code)")
        sys.exit(1)
    facts = public_facts(certificate)
    if facts.valid:
        click.echo(f"{facts.serial}: valid — {facts.title}, {facts.hours} h, "
                   f"issued {facts.issued_on.isoformat()}, holder {facts.masked_name}")
    else:
        click.echo(f"{facts.serial}: revoked on {facts.revoked_on.isoformat()} — {facts.title}")


@certificates_cli.command("issue-missing")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Only completions of this year (default: every year).")
def issue_missing_command(year: int | None):
    """Issue every course and tier certificate that should exist and does not (idempotent)."""
    work = find_missing_work(year)
    with click.progressbar(length=work.size, label="Checking completions") as bar:
        issued = issue_missing_certificates(work, progress=bar.update)
    db.session.commit()
    click.echo(f"{issued} certificate(s) issued.")
