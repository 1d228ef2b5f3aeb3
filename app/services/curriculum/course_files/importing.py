"""Course folders and the shared question bank into the database: read, validate,
import (all or nothing).

The rules live in app.domain.course_files; course_reading reads the disk, this module
and question_import write the database. Like every service it flushes and leaves the
commit to its caller. Export, the way back, is in course_export and re-exported here.
"""

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.orm import aliased

from app.domain.course_files import (
    AssetSpec,
    CourseSpec,
    LessonSpec,
    Problem,
    SharedBankSpec,
    check_assessments,
    check_prerequisites,
    content_hash,
    parse_course_folder,
    parse_shared_bank,
)
from app.domain.markdown import render_markdown
from app.extensions import db
from app.models import Course, CourseAsset, CoursePrerequisite, Lesson, Question, User
from app.models.types import utcnow
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.exercises import check_exercises, import_exercises
from app.services.curriculum.course_files.exporting import (
    export_course,
    export_shared_bank,
    spec_from_course,
)
from app.services.curriculum.course_files.fields import apply_course_fields
from app.services.curriculum.course_files.questions import (
    ItemCounts,
    import_bank,
    import_quizzes,
    stored_questions,
    stored_quizzes,
)
from app.services.curriculum.course_files.reading import (
    CourseImportError,
    find_course_folders,
    read_course_folders,
    read_course_tree,
)
from app.services.curriculum.course_files.videos import import_lesson_videos
from app.services.video.hours import refresh_course_hours
from app.services.video.uploads import delete_lesson_video

__all__ = [
    "CourseImportError", "ImportReport", "TreeCheck", "check_course_tree", "export_course",
    "export_shared_bank", "find_course_by_code", "find_course_folders", "import_courses",
    "read_course_folders", "spec_from_course", "validate_course_tree",
]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Version of each created or updated course after the import.
    versions: dict[str, int] = field(default_factory=dict)
    #: Questions of every bank in the import (course banks and the shared bank).
    questions: ItemCounts = field(default_factory=ItemCounts)
    quizzes: ItemCounts = field(default_factory=ItemCounts)
    exercises: ItemCounts = field(default_factory=ItemCounts)
    #: Whether the shared bank was part of the import.
    shared_bank: bool = False


@dataclass
class TreeCheck:
    """What validate found: the problems, and what the files hold when there are none."""

    problems: list[Problem]
    courses: int = 0
    questions: int = 0
    quizzes: int = 0
    exercises: int = 0
    #: Questions of the shared bank, None when it is not part of the tree.
    shared_questions: int | None = None


@dataclass
class _Loaded:
    specs: dict[str, CourseSpec]
    shared: SharedBankSpec | None
    problems: list[Problem]
    #: Each course's lesson video files by relative path (copied in by attach_video_file).
    video_files: dict[str, dict[str, Path]] = field(default_factory=dict)


def find_course_by_code(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code))


def _load(path: Path) -> _Loaded:
    """Everything parsed and cross-checked against the database; raises on unreadable input."""
    tree = read_course_tree(path)
    specs: dict[str, CourseSpec] = {}
    problems: list[Problem] = []
    for name, files in tree.courses.items():
        result = parse_course_folder(files, folder=name, prefix=tree.folders[name].as_posix(),
                                     videos=tree.videos.get(name))
        if isinstance(result, list):
            problems.extend(result)
        else:
            specs[name] = result
    shared = None
    if tree.shared is not None:
        result = parse_shared_bank(tree.shared, prefix=tree.shared_folder.as_posix())
        if isinstance(result, list):
            problems.extend(result)
        else:
            shared = result
    # Folders that failed to parse still count as known, so a course depending on a
    # broken one gets no second, misleading "does not exist" problem.
    if database_has_courses_table():
        known, edges = set(db.session.scalars(select(Course.code))), stored_prerequisite_edges()
        questions, quizzes = stored_questions(), stored_quizzes()
    else:  # validating files before the first `db upgrade`: only the files themselves count
        known, edges, questions, quizzes = set(), {}, [], []
    problems.extend(check_prerequisites(specs, known | set(tree.courses), edges))
    # Against a shared bank that failed to parse every reference would look missing, so
    # those references wait until it reads cleanly.
    problems.extend(check_assessments(specs, shared, questions, quizzes,
                                      skip_shared=tree.shared is not None and shared is None))
    problems.extend(check_exercises(specs, with_database=database_has_courses_table()))
    return _Loaded(specs, shared, problems, tree.video_files)


def database_has_courses_table() -> bool:
    """Whether the tables the import writes (courses, questions) exist yet."""
    # The session's own connection: checking out another one could reset a shared
    # in-memory SQLite connection (the tests' StaticPool) under an open transaction.
    inspector = inspect(db.session.connection())
    return all(inspector.has_table(model.__tablename__) for model in (Course, Question))


def stored_prerequisite_edges() -> dict[str, set[str]]:
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
    return check_course_tree(path).problems


def check_course_tree(path: Path) -> TreeCheck:
    """The problems import would find under path, and what the files hold."""
    try:
        loaded = _load(path)
    except CourseImportError as error:
        return TreeCheck(problems=error.problems)
    specs = loaded.specs.values()
    return TreeCheck(
        problems=loaded.problems, courses=len(loaded.specs),
        questions=sum(len(spec.questions) for spec in specs),
        quizzes=sum(len(spec.quizzes) for spec in specs),
        exercises=sum(len(spec.exercises) for spec in specs),
        shared_questions=len(loaded.shared.questions) if loaded.shared is not None else None)


def import_courses(path: Path, *, actor: User | None) -> ImportReport:
    """Upsert every course under path by code; raises CourseImportError writing nothing."""
    if not database_has_courses_table():
        raise ServiceError("the database has no tables yet: run `flask --app wsgi db upgrade`")
    loaded = _load(path)
    if loaded.problems:
        raise CourseImportError(loaded.problems)
    specs = loaded.specs
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
        import_lesson_videos(course, specs[code], loaded.video_files.get(code, {}),
                             actor=actor)
    _import_assessments(loaded, {**stored, **changed}, report, actor)
    for code in specs:
        # After the quizzes: a graded one adds the test bonus to a video-length course.
        refresh_course_hours({**stored, **changed}[code])
    return report


def _import_assessments(loaded: _Loaded, courses: dict[str, Course], report: ImportReport,
                        actor: User | None) -> None:
    """The shared bank first, then each course's bank and quizzes (checked in _load)."""
    if loaded.shared is not None:
        report.shared_bank = True
        counts = import_bank(loaded.shared.questions, None)
        report.questions.add(counts)
        if counts.changed:
            record_event("courses.shared_bank_imported", actor=actor, target="shared-bank",
                         details={"created": counts.created, "updated": counts.updated,
                                  "retired": counts.retired})
    for code, spec in loaded.specs.items():
        course = courses[code]
        report.questions.add(import_bank(spec.questions, course.id))
        report.quizzes.add(import_quizzes(course, spec.quizzes))
        report.exercises.add(import_exercises(course, spec.exercises))
    db.session.flush()


def _create_course(spec: CourseSpec, digest: str) -> Course:
    course = Course(code=spec.code, version=1, content_hash=digest)
    _apply_metadata(course, spec)
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
    # Lessons keep their row (and id) while their number stays, so learners' progress
    # survives an edit; lessons whose number disappeared go, with their progress.
    lessons = {row.number: row for row in course.lessons}
    kept = {lesson.number for lesson in spec.lessons}
    for row in lessons.values():
        if row.number not in kept and row.video is not None:
            delete_lesson_video(row.video, actor=None)  # its files go after the commit
    course.lessons = [_fill_lesson(lessons.get(lesson.number) or Lesson(number=lesson.number),
                                   lesson) for lesson in spec.lessons]
    assets = {row.filename: row for row in course.assets}
    course.assets = [_fill_asset(assets.get(asset.filename)
                                 or CourseAsset(filename=asset.filename), asset)
                     for asset in spec.assets]


def _apply_metadata(course: Course, spec: CourseSpec) -> None:
    apply_course_fields(course, title=spec.title, summary=spec.summary, tier=spec.tier,
                        kind=spec.kind, core=spec.core, hours=spec.hours,
                        hours_rule=spec.hours_rule, ranks=spec.audience_ranks,
                        categories=spec.audience_categories,
                        areas=spec.areas)
    course.status = spec.status


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
