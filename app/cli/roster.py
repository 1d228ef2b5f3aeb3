"""`flask --app wsgi roster import FILE [--dry-run] [--deactivate-missing] [--passwords-out F]`.

Prints what the import does (or would do, with --dry-run) and every error (row, column,
value, reason); with any error nothing is imported (exit status 1). New accounts' one-time
passwords are printed, or written to --passwords-out (created with 0600 permissions, never
overwritten); they are stored nowhere else.
"""

import csv
import io
import os
from pathlib import Path

import click

from app.domain.learning import CITY_TIMEZONE
from app.domain.roster import describe_error
from app.domain.spreadsheet import safe_cell
from app.extensions import db
from app.services.people.roster import RosterPreview, apply_roster, preview_roster

#: Items of each list printed; the counts always say how many there are.
SHOWN = 20


@click.group("roster")
def roster_cli():
    """Import the roster of people (CSV or XLSX) from the HR system."""


@roster_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--deactivate-missing", is_flag=True,
              help="Deactivate active accounts not in the file (never administrators).")
@click.option("--passwords-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write new accounts' one-time passwords to this new file (mode 0600).")
def import_command(file: Path, dry_run: bool, deactivate_missing: bool,
                   passwords_out: Path | None):
    """Create and update accounts from FILE, all of it or nothing."""
    if passwords_out is not None and passwords_out.exists():
        raise click.ClickException(f"{passwords_out} exists already; choose a new file name")
    # No row cap here: the web page's cap bounds an upload in a request, not a file on disk.
    preview = preview_roster(file.read_bytes(), file.name, actor=None,
                             deactivate_missing=deactivate_missing, capped=False)
    _print_preview(preview)
    if preview.errors:
        for error in preview.errors:
            click.echo(describe_error(error), err=True)
        click.echo(f"{len(preview.errors)} error(s); nothing imported.", err=True)
        raise click.exceptions.Exit(1)
    if dry_run or not preview.changes:
        click.echo("Dry run: nothing imported." if dry_run else "Nothing to change.")
        return
    with click.progressbar(length=len(preview.diff.creates),
                           label="Hashing one-time passwords") as bar:
        result = apply_roster(b"", file.name, actor=None, deactivate_missing=deactivate_missing,
                              progress=bar.update, preview=preview)
    _commit_with_passwords(result.credentials, passwords_out)
    click.echo(f"Imported: {len(result.credentials)} created, {len(preview.diff.updates)} "
               f"updated, {len(preview.diff.deactivations)} deactivated "
               f"(hashing took {result.hashing_seconds:.1f} s).")
    _print_passwords(result.credentials, passwords_out)
    if result.expires_at is not None:
        click.echo(f"The one-time passwords work until {_local(result.expires_at)} "
                   "(Asia/Shanghai); after that an administrator must reset them.")


def _commit_with_passwords(credentials, passwords_out: Path | None) -> None:
    """Write the password file first: if it cannot be written, nothing is imported."""
    if passwords_out is not None:
        _write_passwords(passwords_out, credentials)
    try:
        db.session.commit()
    except Exception:
        if passwords_out is not None:
            passwords_out.unlink(missing_ok=True)
        raise


def _print_passwords(credentials, passwords_out: Path | None) -> None:
    if passwords_out is not None:
        click.echo(f"One-time passwords written to {passwords_out} (mode 0600).")
    elif credentials:
        click.echo("One-time passwords (shown once; each must be changed at first sign-in):")
        for credential in credentials:
            click.echo(f"{credential.username}\t{credential.name}\t{credential.unit_name}\t"
                       f"{credential.password}")


def _print_preview(preview: RosterPreview) -> None:
    diff = preview.diff
    if preview.kind:
        encoding = f", {preview.encoding}" if preview.encoding else ""
        click.echo(f"Read {preview.kind.upper()}{encoding}: {preview.data_rows} row(s).")
    click.echo(f"{len(diff.creates)} to create, {len(diff.updates)} to update, "
               f"{diff.unchanged} unchanged"
               + (f", {len(diff.deactivations)} to deactivate ({len(diff.kept)} "
                  "administrator account(s) kept)" if preview.deactivate_missing else "") + ".")
    for item in preview.normalized[:SHOWN]:
        click.echo(f"  = row {item.row}, {item.column}: {item.before} → {item.after}")
    for row in diff.creates[:SHOWN]:
        click.echo(f"  + row {row.row}: {row.username} {row.name} ({row.org_code})")
    for update in diff.updates[:SHOWN]:
        changes = "; ".join(f"{c.field}: {_value(c.old)} → {_value(c.new)}"
                            for c in update.changes)
        click.echo(f"  ~ row {update.row.row}: {update.account.username}: {changes}")
    for account in diff.deactivations[:SHOWN]:
        click.echo(f"  - {account.username} {account.name} ({account.org_code})")
    hidden = sum(max(len(items) - SHOWN, 0)
                 for items in (preview.normalized, diff.creates, diff.updates,
                               diff.deactivations))
    if hidden:
        click.echo(f"  … and {hidden} more.")


def _local(moment) -> str:
    return moment.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M")


def _value(value) -> str:
    if isinstance(value, frozenset | set):
        return ",".join(sorted(value)) or "-"
    return str(value)


def _write_passwords(path: Path, credentials) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["工号", "姓名", "单位", "一次性密码"])
    for credential in credentials:
        writer.writerow([safe_cell(credential.username), safe_cell(credential.name),
                         safe_cell(credential.unit_name), credential.password])
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(buffer.getvalue())
