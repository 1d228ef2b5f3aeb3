"""`flask --app wsgi reports unit|cadre|batch ...`: HR documents from the command line.

The command line is the operator's: it sees every unit (like ``appraise``), writes the PDF
to a file, and audits what it wrote (report.downloaded, with no acting user). A batch runs
in this process with a progress bar, not as a background job. ``reports worker`` serves
the background jobs queued on Redis (REDIS_URL) by the web pages; ``reports purge`` drops
old jobs' files (kept in the database), e.g. nightly.
"""

import getpass
from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models.types import utcnow
from app.services.records.documents import (
    UnknownCadre,
    UnknownUnit,
    find_cadre,
    find_report_unit,
    operator_actor,
    record_download,
)
from app.services.records.learning_record import BadYear
from app.services.records.pdfs import (
    build_cadre_record_pdf,
    build_unit_summary_pdf,
    open_batch_records,
)
from app.services.records.report_jobs import purge_report_jobs, report_queue

YEAR = click.option("--year", type=click.IntRange(2000, 2100), required=True,
                    help="The year of the document.")
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      required=True, help="The PDF file to write.")


@click.group("reports")
def reports_cli():
    """HR PDF documents."""


def _unit(org_code: str, actor):
    try:
        return find_report_unit(org_code, actor=actor)
    except UnknownUnit as error:
        raise click.BadParameter(f"no org unit with code {org_code}",
                                 param_hint="--org") from error


def _generated_by() -> str:
    return _("Command line (%(user)s)", user=getpass.getuser())


def _write(output: Path, content: bytes, *, kind: str, target: str, year: int,
           **details) -> None:
    output.write_bytes(content)
    record_download(None, kind=kind, target=target, year=year, file=str(output), **details)
    db.session.commit()
    click.echo(f"{output}: {len(content) // 1024} KiB")


def _bad_year(error: BadYear) -> click.ClickException:
    return click.ClickException(f"the year must be within {error}")


@reports_cli.command("unit")
@click.option("--org", "org_code", required=True, help="Org unit code, e.g. 500103.")
@YEAR
@OUTPUT
def unit_command(org_code: str, year: int, output: Path):
    """The unit summary: figures, charts, units, compliance and commendation list."""
    actor, now = operator_actor(), utcnow()
    unit = _unit(org_code, actor)
    with force_locale("zh"):
        try:
            content = build_unit_summary_pdf(unit, actor=actor, year=year, now=now,
                                             generated_by=_generated_by())
        except BadYear as error:
            raise _bad_year(error) from error
    _write(output, content, kind="unit_summary", target=f"org_unit:{unit.id}", year=year,
           unit=unit.code)


@reports_cli.command("cadre")
@click.option("--user", "username", required=True, help="The cadre's username.")
@YEAR
@OUTPUT
def cadre_command(username: str, year: int, output: Path):
    """One cadre's training record."""
    actor, now = operator_actor(), utcnow()
    try:
        person = find_cadre(username=username)
        with force_locale("zh"):
            content = build_cadre_record_pdf(person, actor=actor, year=year, now=now,
                                             generated_by=_generated_by())
    except UnknownCadre as error:
        raise click.BadParameter(f"no account {username}", param_hint="--user") from error
    except BadYear as error:
        raise _bad_year(error) from error
    _write(output, content, kind="cadre_record", target=f"user:{person.id}", year=year,
           user=person.username)


@reports_cli.command("batch")
@click.option("--org", "org_code", required=True, help="Org unit code, e.g. 500103.")
@YEAR
@OUTPUT
def batch_command(org_code: str, year: int, output: Path):
    """Every active cadre's record of a unit's subtree, one PDF with a bookmark each."""
    actor, now = operator_actor(), utcnow()
    unit = _unit(org_code, actor)
    try:
        batch = open_batch_records(unit, actor=actor, year=year, now=now)
    except BadYear as error:
        raise _bad_year(error) from error
    with click.progressbar(length=2 * batch.cadres, label=f"{unit.name} {year}") as bar, \
            force_locale("zh"):
        def advance(done: int, _steps: int) -> None:
            bar.update(done - bar.pos)

        content = batch.pdf(generated_by=_generated_by(), progress=advance)
    _write(output, content, kind="batch_records", target=f"org_unit:{unit.id}", year=year,
           unit=unit.code, cadres=batch.cadres)


@reports_cli.command("purge")
@click.option("--days", type=click.IntRange(0, 3650), default=7, show_default=True,
              help="Keep the files of jobs younger than this.")
def purge_command(days: int):
    """Delete finished background jobs and their files older than --days."""
    removed = purge_report_jobs(older_than_days=days, now=utcnow())
    db.session.commit()
    click.echo(f"{removed} report jobs removed.")


@reports_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool):
    """Run the background report jobs queued on Redis (REDIS_URL), one at a time."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: jobs run in the web app's threads.")
    # deferred: rq and redis load only where jobs go to Redis; the default never needs them
    from rq import SimpleWorker

    queue = report_queue()
    connection = queue.connection
    # SimpleWorker runs each job in this process, inside this command's app context, so the
    # job uses this app's configuration and database engine (no fork to inherit them).
    SimpleWorker([queue], connection=connection).work(burst=burst)
