"""`flask --app wsgi courses ...`: validate, import and export course folders (courses/<CODE>/)
and the shared question bank (courses/shared-bank/)."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.domain.course_files import SHARED_BANK_DIR
from app.extensions import db
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.importing import (
    CourseImportError,
    ImportReport,
    TreeCheck,
    check_course_tree,
    export_course,
    export_shared_bank,
    find_course_by_code,
    import_courses,
)
from app.services.curriculum.course_files.questions import ItemCounts

courses_cli = AppGroup("courses", help="Validate, import and export course folders and the "
                                       "shared question bank.")

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
    """Check the course folder, folder of courses or shared-bank folder PATH, as import would."""
    check = check_course_tree(path)
    if check.problems:
        _fail_with(check.problems, "fix them before importing")
    for line in _summary(check):
        click.echo(line)


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _summary(check: TreeCheck) -> list[str]:
    lines = []
    if check.courses or check.shared_questions is None:
        line = f"{_plural(check.courses, 'course')} valid"
        if check.questions or check.quizzes or check.exercises:
            parts = [_plural(check.questions, 'question'),
                     _plural(check.quizzes, 'quiz', 'quizzes')]
            if check.exercises:
                parts.append(_plural(check.exercises, 'exercise'))
            line += f", with {', '.join(parts[:-1])} and {parts[-1]}"
        lines.append(line)
    if check.shared_questions is not None:
        lines.append(f"Shared bank valid, with {_plural(check.shared_questions, 'question')}")
    return lines


@courses_cli.command("import")
@click.argument("path", type=_folder)
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
def import_command(path: Path, dry_run: bool):
    """Import every course (and the shared bank) under PATH: all, or none when any has a
    problem."""
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
    if report.shared_bank or _total(report.questions) or _total(report.quizzes):
        click.echo(f"Questions{' (shared bank included)' if report.shared_bank else ''}: "
                   f"{_counts(report.questions, verbs)}, {report.questions.retired} "
                   f"{'would be retired' if dry_run else 'retired'}.")
        click.echo(f"Quizzes: {_counts(report.quizzes, verbs)}, {len(report.quizzes.removed)} "
                   f"{'would be removed' if dry_run else 'removed'}.")
    if _total(report.exercises):
        click.echo(f"Exercises: {_counts(report.exercises, verbs)}, "
                   f"{len(report.exercises.removed)} "
                   f"{'would be removed' if dry_run else 'removed'}.")


def _total(counts: ItemCounts) -> int:
    return counts.created + counts.updated + counts.unchanged + counts.retired \
        + len(counts.removed)


def _counts(counts: ItemCounts, verbs: tuple[str, ...]) -> str:
    numbers = (counts.created, counts.updated, counts.unchanged)
    return ", ".join(f"{number} {verb}" for number, verb in zip(numbers, verbs, strict=True))


@courses_cli.command("export")
@click.argument("code")
@click.argument("dest", type=_folder)
@click.option("--overwrite", is_flag=True, help="Replace the files of an existing DEST/CODE.")
def export_command(code: str, dest: Path, overwrite: bool):
    """Write course CODE to DEST/CODE/ in the course-folder format.

    CODE shared-bank writes the shared question bank to DEST/shared-bank/.
    """
    try:
        if code == SHARED_BANK_DIR:
            target = export_shared_bank(dest, overwrite=overwrite)
        else:
            course = find_course_by_code(code)
            if course is None:
                raise click.BadParameter(f"no course with code {code}", param_hint="CODE")
            target = export_course(course, dest, overwrite=overwrite)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Exported {code} to {target}")
