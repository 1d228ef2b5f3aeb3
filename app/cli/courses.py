"""`flask --app wsgi courses ...`: validate, import and export course folders (courses/<CODE>/)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.services import ServiceError
from app.services.course_import import (
    CourseImportError,
    ImportReport,
    export_course,
    find_course_by_code,
    find_course_folders,
    import_courses,
    validate_course_tree,
)

courses_cli = AppGroup("courses", help="Validate, import and export course folders.")

_folder = click.Path(file_okay=False, path_type=Path)


def _fail_with(problems, outcome: str) -> None:
    """Print each problem as file:line: message (the format editors jump to), exit 1."""
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{len(problems)} problem(s) found; {outcome}.", err=True)
    raise click.exceptions.Exit(1)


@courses_cli.command("validate")
@click.argument("path", type=_folder)
def validate_command(path: Path):
    """Check the course folder (or folder of courses) PATH, as import would."""
    problems = validate_course_tree(path)
    if problems:
        _fail_with(problems, "fix them before importing")
    count = len(find_course_folders(path))
    click.echo(f"{count} course{'s' if count != 1 else ''} valid")


@courses_cli.command("import")
@click.argument("path", type=_folder)
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
def import_command(path: Path, dry_run: bool):
    """Import every course under PATH: all of them, or none when any has a problem."""
    try:
        report = import_courses(path, actor=None)
    except CourseImportError as error:
        db.session.rollback()
        _fail_with(error.problems, "nothing was imported")
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    _print_report(report, dry_run)


def _print_report(report: ImportReport, dry_run: bool) -> None:
    verbs = ("would be created", "would be updated", "unchanged") if dry_run else \
        ("created", "updated", "unchanged")
    groups = (report.created, report.updated, report.unchanged)
    for verb, codes in zip(verbs, groups, strict=True):
        if codes:
            shown = [f"{code} (v{report.versions[code]})" if code in report.versions else code
                     for code in codes]
            click.echo(f"{verb.capitalize()}: {', '.join(shown)}")
    summary = ", ".join(f"{len(codes)} {verb}" for verb, codes in zip(verbs, groups,
                                                                     strict=True))
    click.echo(f"{'Dry run, nothing written: ' if dry_run else ''}{summary}.")


@courses_cli.command("export")
@click.argument("code")
@click.argument("dest", type=_folder)
@click.option("--overwrite", is_flag=True, help="Replace the files of an existing DEST/CODE.")
def export_command(code: str, dest: Path, overwrite: bool):
    """Write course CODE to DEST/CODE/ in the course-folder format."""
    course = find_course_by_code(code)
    if course is None:
        raise click.BadParameter(f"no course with code {code}", param_hint="CODE")
    try:
        target = export_course(course, dest, overwrite=overwrite)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Exported {code} to {target}")
