"""`flask --app wsgi backup create [DEST]` and `backup restore FILE`.

create copies the running database (SQLite: the online backup API; PostgreSQL: pg_dump
-Fc) to DEST, by default BACKUP_DIR/academy-YYYYmmdd-HHMMSS.db (.dump on PostgreSQL).
restore loads such a file into the configured database, which must be empty. Both print
each table's row count and SHA-256, so a restore can be checked against its backup.
"""

from pathlib import Path

import click
from flask import current_app

from app.extensions import db
from app.models.types import utcnow
from app.services.core.audit import record_event
from app.services.platform.backup import (
    BackupError,
    BackupReport,
    create_backup,
    default_backup_path,
    restore_backup,
)


@click.group("backup")
def backup_cli():
    """Back up the database while the app runs, or restore a backup into an empty one."""


@backup_cli.command("create")
@click.argument("dest", required=False, type=click.Path(dir_okay=False, path_type=Path))
def create_command(dest: Path | None):
    """Write a consistent copy of the database to DEST (default: BACKUP_DIR)."""
    dest = dest or default_backup_path(current_app.config["BACKUP_DIR"], db.engine, utcnow())
    try:
        report = create_backup(db.engine, dest)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    record_event("backup.created", actor=None, target=str(report.path)[-128:],
                 details={"tables": len(report.tables),
                          "rows": sum(t.rows for t in report.tables)})
    db.session.commit()
    click.echo(f"Backup written to {report.path}")
    _print_tables(report)


@backup_cli.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(source: Path):
    """Load the backup SOURCE into the configured database, which must be empty."""
    db.session.remove()  # no connection of ours holds the empty database open
    try:
        report = restore_backup(db.engine, source)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {source} into {db.engine.url.render_as_string(hide_password=True)}")
    _print_tables(report)


def _print_tables(report: BackupReport) -> None:
    width = max((len(t.table) for t in report.tables), default=5)
    click.echo(f"{'table':<{width}}  {'rows':>9}  sha256")
    for summary in report.tables:
        click.echo(f"{summary.table:<{width}}  {summary.rows:>9}  {summary.sha256}")
    click.echo(f"{len(report.tables)} tables, {sum(t.rows for t in report.tables)} rows")
