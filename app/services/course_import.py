"""Course folders into the database: read, validate, import (all or nothing).

The rules live in app.domain.course_files; this module reads the disk and writes the
database. Like every service it flushes and leaves the commit to its caller. Export,
the way back, is in course_export and re-exported here.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.orm import aliased

from app.domain.course_files import (
    COURSE_CODE,
    COURSE_FILE,
    AssetSpec,
    CourseSpec,
    LessonSpec,
    Problem,
    check_prerequisites,
    content_hash,
    is_ignored,
    parse_course_folder,
)
from app.domain.markdown import render_markdown
from app.extensions import db
from app.models import Course, CourseArea, CourseAsset, CoursePrerequisite, Lesson, User
from app.models.types import utcnow
from app.services import ServiceError
from app.services.audit import record_event
from app.services.course_export import export_course, spec_from_course

__all__ = [
    "CourseImportError", "ImportReport", "export_course", "find_course_by_code",
    "find_course_folders", "import_courses", "read_course_folders", "spec_from_course",
    "validate_course_tree",
]

#: Everything one import reads; far above the curriculum, far below trouble.
MAX_IMPORT_BYTES = 64 * 1024 * 1024


class CourseImportError(ServiceError):
    """The course files have problems; nothing was written. `problems` lists them all."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the course files")
        self.problems = problems


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Version of each created or updated course after the import.
    versions: dict[str, int] = field(default_factory=dict)


def find_course_by_code(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code))


def read_course_folders(path: Path) -> dict[str, dict[str, bytes]]:
    """{folder name: {relative posix path: bytes}} of one course folder or a tree of them."""
    return _read_all(path, find_course_folders(path))


def find_course_folders(path: Path) -> dict[str, Path]:
    """Course folders under path, by name, keeping path as given for messages."""
    if (path / COURSE_FILE).is_file():
        return {path.resolve().name: path}
    if not path.is_dir():
        raise CourseImportError([Problem(path.as_posix(), None, "no such folder")])
    # A folder named like a course code is a course even without course.yaml, so a
    # forgotten file is reported rather than the course silently skipped.
    dirs = {child.name: child for child in sorted(path.iterdir())
            if child.is_dir() and ((child / COURSE_FILE).is_file()
                                   or COURSE_CODE.match(child.name))}
    if not dirs:
        raise CourseImportError([Problem(path.as_posix(), None, "no course folders found "
                                         "(folders holding a course.yaml)")])
    return dirs


def _read_all(path: Path, dirs: dict[str, Path]) -> dict[str, dict[str, bytes]]:
    listed: dict[str, list[tuple[str, Path]]] = {}
    problems: list[Problem] = []
    for name, folder in dirs.items():
        listed[name] = _list_files(folder, problems)
    if problems:
        raise CourseImportError(problems)
    total = sum(file.stat().st_size for files in listed.values() for _, file in files)
    if total > MAX_IMPORT_BYTES:
        raise CourseImportError([Problem(
            path.as_posix(), None, f"the course files hold {total} bytes; one import reads "
            f"at most {MAX_IMPORT_BYTES // (1024 * 1024)} MiB, import fewer courses at a time")])
    return {name: {relative: file.read_bytes() for relative, file in files}
            for name, files in listed.items()}


def _list_files(folder: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """(relative posix path, file) of the files import reads; links become problems."""
    found = []
    for directory, subdirs, names in os.walk(folder):
        base = Path(directory)
        subdirs[:] = sorted(d for d in subdirs
                            if not is_ignored((base / d).relative_to(folder).as_posix()))
        # os.walk lists linked folders but does not enter them; they are reported too.
        for name in sorted(names) + [d for d in subdirs if (base / d).is_symlink()]:
            file = base / name
            relative = file.relative_to(folder).as_posix()
            if is_ignored(relative):
                continue
            if file.is_symlink() or not file.is_file():
                # A link could point anywhere on the machine; its target is not course content.
                problems.append(Problem((folder / relative).as_posix(), None,
                                        "links and special files are not read; copy the file"))
            else:
                found.append((relative, file))
    return found


def _load(path: Path) -> tuple[dict[str, CourseSpec], list[Problem]]:
    """Every course parsed and cross-checked against the database; raises on unreadable input."""
    dirs = find_course_folders(path)
    folders = _read_all(path, dirs)
    specs: dict[str, CourseSpec] = {}
    problems: list[Problem] = []
    for name, files in folders.items():
        result = parse_course_folder(files, folder=name, prefix=dirs[name].as_posix())
        if isinstance(result, list):
            problems.extend(result)
        else:
            specs[name] = result
    # Folders that failed to parse still count as known, so a course depending on a
    # broken one gets no second, misleading "does not exist" problem.
    if database_has_courses_table():
        known, edges = set(db.session.scalars(select(Course.code))), _stored_prerequisites()
    else:  # validating files before the first `db upgrade`: only the files themselves count
        known, edges = set(), {}
    problems.extend(check_prerequisites(specs, known | set(folders), edges))
    return specs, problems


def database_has_courses_table() -> bool:
    # The session's own connection: checking out another one could reset a shared
    # in-memory SQLite connection (the tests' StaticPool) under an open transaction.
    return inspect(db.session.connection()).has_table(Course.__tablename__)


def _stored_prerequisites() -> dict[str, set[str]]:
    prerequisite = aliased(Course)
    rows = db.session.execute(
        select(Course.code, prerequisite.code)
        .join(CoursePrerequisite, CoursePrerequisite.course_id == Course.id)
        .join(prerequisite, prerequisite.id == CoursePrerequisite.prerequisite_id))
    edges: dict[str, set[str]] = {}
    for code, prerequisite_code in rows:
        edges.setdefault(code, set()).add(prerequisite_code)
    return edges


def validate_course_tree(path: Path) -> list[Problem]:
    """Every problem of the course folders under path, as import would see them."""
    try:
        return _load(path)[1]
    except CourseImportError as error:
        return error.problems


def import_courses(path: Path, *, actor: User | None) -> ImportReport:
    """Upsert every course under path by code; raises CourseImportError writing nothing."""
    if not database_has_courses_table():
        raise ServiceError("the database has no tables yet: run `flask --app wsgi db upgrade`")
    specs, problems = _load(path)
    if problems:
        raise CourseImportError(problems)
    stored = {course.code: course
              for course in db.session.scalars(select(Course).where(Course.code.in_(specs)))}
    report = ImportReport()
    changed: dict[str, Course] = {}
    for code, spec in specs.items():
        digest = content_hash(spec)
        course = stored.get(code)
        if course is not None and course.content_hash == digest:
            # Not one attribute is set, so a repeated import issues no UPDATE at all.
            report.unchanged.append(code)
            continue
        if course is None:
            course = _create_course(spec, digest)
            report.created.append(code)
        else:
            _update_course(course, spec, digest)
            report.updated.append(code)
        changed[code] = course
    db.session.flush()
    # Second pass: courses of this import may name each other in any order.
    _link_prerequisites(changed, specs)
    for code, course in changed.items():
        report.versions[code] = course.version
        record_event("courses.imported", actor=actor, target=f"course:{code}",
                     details={"version": course.version})
    return report


def _create_course(spec: CourseSpec, digest: str) -> Course:
    course = Course(code=spec.code, version=1, content_hash=digest)
    _apply_metadata(course, spec)
    course.areas = [CourseArea(area=area, position=i) for i, area in enumerate(spec.areas)]
    course.lessons = [_fill_lesson(Lesson(number=lesson.number), lesson)
                      for lesson in spec.lessons]
    course.assets = [_fill_asset(CourseAsset(filename=asset.filename), asset)
                     for asset in spec.assets]
    db.session.add(course)
    return course


def _update_course(course: Course, spec: CourseSpec, digest: str) -> None:
    course.version += 1
    course.content_hash = digest
    course.updated_at = utcnow()
    _apply_metadata(course, spec)
    areas = {row.area: row for row in course.areas}
    course.areas = [_positioned(areas.get(area) or CourseArea(area=area), i)
                    for i, area in enumerate(spec.areas)]
    # Lessons keep their row (and id) while their number stays, so learners' progress
    # survives an edit; lessons whose number disappeared go, with their progress.
    lessons = {row.number: row for row in course.lessons}
    course.lessons = [_fill_lesson(lessons.get(lesson.number) or Lesson(number=lesson.number),
                                   lesson) for lesson in spec.lessons]
    assets = {row.filename: row for row in course.assets}
    course.assets = [_fill_asset(assets.get(asset.filename)
                                 or CourseAsset(filename=asset.filename), asset)
                     for asset in spec.assets]


def _apply_metadata(course: Course, spec: CourseSpec) -> None:
    course.title = spec.title
    course.summary = spec.summary
    course.tier = spec.tier
    course.kind = spec.kind
    course.status = spec.status
    course.hours = spec.hours
    course.audience_ranks = [rank.value for rank in spec.audience_ranks]
    course.audience_categories = [category.value for category in spec.audience_categories]


def _positioned(row: CourseArea, position: int) -> CourseArea:
    row.position = position
    return row


def _fill_lesson(row: Lesson, lesson: LessonSpec) -> Lesson:
    row.slug = lesson.slug
    row.title = lesson.title
    row.minutes = lesson.minutes
    row.body_markdown = lesson.body_markdown
    row.body_html = render_markdown(lesson.body_markdown)
    return row


def _fill_asset(row: CourseAsset, asset: AssetSpec) -> CourseAsset:
    row.content_type = asset.content_type
    row.data = asset.data
    row.sha256 = asset.sha256
    return row


def _link_prerequisites(changed: dict[str, Course], specs: dict[str, CourseSpec]) -> None:
    wanted = {code for course_code in changed for code in specs[course_code].prerequisites}
    by_code = {course.code: course for course in db.session.scalars(
        select(Course).where(Course.code.in_(wanted - set(changed))))}
    by_code.update(changed)
    for code, course in changed.items():
        course.prerequisites = [by_code[prerequisite]
                                for prerequisite in specs[code].prerequisites]
    db.session.flush()
