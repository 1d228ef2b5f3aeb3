"""Importing and exporting course folders: all or nothing, idempotent, round-tripping."""

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.course_files import content_hash
from app.domain.vocabulary import EnrollmentSource
from app.models import AuditEvent, Course, CourseAsset, Enrollment, Lesson, LessonProgress
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.importing import (
    CourseImportError,
    export_course,
    find_course_by_code,
    import_courses,
    read_course_folders,
    spec_from_course,
    validate_course_tree,
)
from tests.course_trees import CURRICULUM, FIXTURES, copy_curriculum
from tests.factories import make_course, make_user

BROKEN = FIXTURES / "courses_broken"
CODES = ["AI310", "DA100", "DA110", "DA210", "DC101", "GV210", "GV320", "SE220"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\1" * 32


@pytest.fixture
def curriculum(tmp_path) -> Path:
    """A scratch copy of the shipped courses/ tree, free to edit, without its questions."""
    return copy_curriculum(tmp_path / "courses")


def _import(path: Path, db):
    report = import_courses(path, actor=None)
    db.session.commit()
    return report


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_the_shipped_curriculum_imports(db):
    report = _import(CURRICULUM, db)
    assert sorted(report.created) == CODES and report.updated == report.unchanged == []
    assert _count(db, Course) == 8 and _count(db, Lesson) == 34
    da210 = find_course_by_code("DA210")
    assert da210.version == 1 and [c.code for c in da210.prerequisites] == ["DA110"]
    assert [area.value for area in da210.area_names] == ["data", "governance"]
    assert find_course_by_code("AI310").audience_ranks == ["bureau", "division", "section"]
    lesson = da210.lessons[0]
    assert lesson.number == 1 and lesson.minutes == 45 and "<h2>" in lesson.body_html
    assert "<table>" in "".join(lesson.body_html for lesson in da210.lessons)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "courses.imported")).all()
    assert sorted(e.target for e in events) == [f"course:{code}" for code in CODES]
    assert {e.details["version"] for e in events} == {1}


def test_a_repeated_import_changes_nothing_and_writes_nothing(db, count_queries):
    _import(CURRICULUM, db)
    before = {c.code: (c.version, c.updated_at) for c in db.session.scalars(select(Course))}
    with count_queries() as counter:
        report = import_courses(CURRICULUM, actor=None)
        db.session.flush()
    assert sorted(report.unchanged) == CODES and report.created == report.updated == []
    assert counter.count > 0 and _writes(counter.statements) == []
    db.session.commit()
    db.session.expire_all()
    assert {c.code: (c.version, c.updated_at) for c in db.session.scalars(select(Course))} == before
    assert _count(db, AuditEvent) == len(CODES) + (CURRICULUM / "shared-bank").is_dir()


def test_a_changed_lesson_bumps_the_version_and_keeps_lesson_ids(db, curriculum):
    _import(curriculum, db)
    course = find_course_by_code("DA110")
    ids = [lesson.id for lesson in course.lessons]
    created_at, updated_at = course.created_at, course.updated_at
    lesson_file = curriculum / "DA110" / "lessons" / "02-descriptive-statistics.md"
    lesson_file.write_text(lesson_file.read_text(encoding="utf-8") + "\n补充一段。\n",
                           encoding="utf-8")
    report = _import(curriculum, db)
    assert report.updated == ["DA110"]
    assert sorted(report.unchanged) == sorted(set(CODES) - {"DA110"})
    db.session.expire_all()
    course = find_course_by_code("DA110")
    assert course.version == 2 and report.versions == {"DA110": 2}
    assert [lesson.id for lesson in course.lessons] == ids
    assert course.lessons[1].body_markdown.endswith("补充一段。")
    assert "补充一段。" in course.lessons[1].body_html
    assert course.created_at == created_at and course.updated_at > updated_at
    assert course.content_hash == content_hash(spec_from_course(course))
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.target, event.details) == ("course:DA110", {"version": 2})


def test_metadata_areas_prerequisites_and_removed_lessons_follow_the_files(db, curriculum):
    _import(curriculum, db)
    kept_ids = [lesson.id for lesson in find_course_by_code("SE220").lessons[:4]]
    (curriculum / "SE220" / "lessons" / "05-everyday-security-and-leak-response.md").unlink()
    yaml_file = curriculum / "SE220" / "course.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8")
                         .replace("areas: [security, data]", "areas: [data, application]")
                         .replace("hours: 4", "hours: 3.5")
                         .replace("prerequisites: [DA110]", "prerequisites: [DC101, DA210]"),
                         encoding="utf-8")
    assert _import(curriculum, db).updated == ["SE220"]
    db.session.expire_all()
    course = find_course_by_code("SE220")
    assert [lesson.id for lesson in course.lessons] == kept_ids
    assert [a.value for a in course.area_names] == ["data", "application"]
    assert str(course.hours) == "3.5"
    assert [c.code for c in course.prerequisites] == ["DA210", "DC101"]


def test_learner_progress_survives_an_update_except_on_removed_lessons(db, curriculum, tree):
    _import(curriculum, db)
    course = find_course_by_code("SE220")
    first, last = course.lessons[0], course.lessons[-1]
    enrollment = Enrollment(user=make_user(unit=tree["jiefangbei"]), course=course,
                            source=EnrollmentSource.SELF, last_lesson=last)
    enrollment.progress = [LessonProgress(lesson_id=first.id), LessonProgress(lesson_id=last.id)]
    db.session.add(enrollment)
    db.session.commit()
    (curriculum / "SE220" / "lessons" / "05-everyday-security-and-leak-response.md").unlink()
    assert _import(curriculum, db).updated == ["SE220"]
    db.session.expire_all()
    assert db.session.scalars(select(LessonProgress.lesson_id)).all() == [first.id]
    assert db.session.get(Enrollment, enrollment.id).last_lesson_id is None


def test_a_broken_course_stops_the_whole_import(db, curriculum):
    shutil.copytree(BROKEN / "BAD102", curriculum / "BAD102")
    with pytest.raises(CourseImportError) as caught:
        import_courses(curriculum, actor=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{curriculum.as_posix()}/BAD102/course.yaml:4: unknown tier 'expert'; "
        "allowed: foundation, intermediate, advanced",
        f"{curriculum.as_posix()}/BAD102/course.yaml:7: unknown area 'citizen'; "
        "allowed: mindset, data, governance, security, application"]
    db.session.rollback()
    assert _count(db, Course) == 0 and _count(db, AuditEvent) == 0


def test_a_prerequisite_cycle_across_imported_courses_is_refused(db, tmp_path):
    for code in ("CYC101", "CYC102"):
        shutil.copytree(BROKEN / code, tmp_path / code)
    with pytest.raises(CourseImportError) as caught:
        import_courses(tmp_path, actor=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path.as_posix()}/CYC101/course.yaml:8: prerequisite cycle CYC101 → CYC102 → CYC101"]
    assert _count(db, Course) == 0


def test_a_cycle_through_a_stored_course_is_refused(db, curriculum):
    _import(curriculum, db)
    yaml_file = curriculum / "DC101" / "course.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace(
        "prerequisites: []", "prerequisites: [GV320]"), encoding="utf-8")
    problems = validate_course_tree(curriculum / "DC101")
    assert [str(p) for p in problems] == [
        f"{curriculum.as_posix()}/DC101/course.yaml:{_line_of(yaml_file, 'prerequisites:')}: "
        "prerequisite cycle "
        "DC101 → GV320 → GV210 → DC101"]


def test_a_prerequisite_already_in_the_database_is_linked(db, curriculum):
    make_course("DC101", lessons=1)
    db.session.commit()
    report = _import(curriculum / "GV210", db)
    assert report.created == ["GV210"]
    assert [c.code for c in find_course_by_code("GV210").prerequisites] == ["DC101"]


def test_an_unknown_prerequisite_is_reported_on_its_line(db, curriculum):
    problems = validate_course_tree(curriculum / "GV210")
    line = _line_of(curriculum / "GV210" / "course.yaml", "prerequisites:")
    assert [str(p) for p in problems] == [
        f"{(curriculum / 'GV210').as_posix()}/course.yaml:{line}: prerequisite DC101 is neither "
        "in this import nor in the database"]


def _line_of(path, prefix: str) -> int:
    """1-based line of the first line starting with prefix (the shipped files may change)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, start=1) if text.startswith(prefix))


def test_export_then_import_is_unchanged(db, tmp_path):
    _import(CURRICULUM, db)
    for code in CODES:
        export_course(find_course_by_code(code), tmp_path)
    assert validate_course_tree(tmp_path) == []
    assert sorted(_import(tmp_path, db).unchanged) == CODES


def test_assets_round_trip(db, curriculum, tmp_path):
    (curriculum / "DA110" / "assets").mkdir()
    (curriculum / "DA110" / "assets" / "chart.png").write_bytes(PNG)
    lesson_file = curriculum / "DA110" / "lessons" / "03-grouping-ranking-and-charts.md"
    text = lesson_file.read_text(encoding="utf-8")
    lesson_file.write_text(text + "\n![图](../assets/chart.png)\n", encoding="utf-8")
    _import(curriculum / "DA110", db)
    course = find_course_by_code("DA110")
    [asset] = course.assets
    assert (asset.filename, asset.content_type, asset.data) == ("chart.png", "image/png", PNG)
    assert '<img src="../assets/chart.png" alt="图">' in course.lessons[2].body_html
    target = export_course(course, tmp_path / "out")
    assert (target / "assets" / "chart.png").read_bytes() == PNG
    assert _import(target, db).unchanged == ["DA110"]
    (curriculum / "DA110" / "assets" / "chart.png").write_bytes(PNG + b"\2")
    assert _import(curriculum / "DA110", db).updated == ["DA110"]
    assert db.session.scalar(select(CourseAsset.data)) == PNG + b"\2"


def test_export_refuses_a_non_empty_folder_unless_told_to_overwrite(db, curriculum, tmp_path):
    _import(CURRICULUM, db)
    course = find_course_by_code("DA110")
    target = export_course(course, tmp_path)
    stale = target / "lessons" / "09-old-lesson.md"
    stale.write_text("old", encoding="utf-8")
    (target / "README.md").write_text("作者说明", encoding="utf-8")
    with pytest.raises(ServiceError, match="not empty"):
        export_course(course, tmp_path)
    export_course(course, tmp_path, overwrite=True)
    assert not stale.exists() and (target / "README.md").exists()
    assert validate_course_tree(target) == []


def test_read_course_folders_skips_non_courses(curriculum):
    (curriculum / "DA110" / "quizzes").mkdir()
    (curriculum / "DA110" / "quizzes" / "q1.yaml").write_text("title: 测验", encoding="utf-8")
    (curriculum / "drafts").mkdir()
    folders = read_course_folders(curriculum)
    assert sorted(folders) == CODES
    assert "course.yaml" in folders["DA110"]
    assert folders["DA110"]["quizzes/q1.yaml"] == "title: 测验".encode()
    assert sorted(read_course_folders(curriculum / "DC101")) == ["DC101"]


def test_reading_problems_are_reported(db, tmp_path):  # the check reads the courses held
    assert [str(p) for p in validate_course_tree(tmp_path / "nowhere")] == [
        f"{(tmp_path / 'nowhere').as_posix()}: no such folder"]
    assert [str(p) for p in validate_course_tree(tmp_path)] == [
        f"{tmp_path.as_posix()}: no course folders found (folders holding a course.yaml)"]
    (tmp_path / "XY101").mkdir()
    assert [str(p) for p in validate_course_tree(tmp_path)] == [
        f"{tmp_path.as_posix()}/XY101/course.yaml: course.yaml is missing",
        f"{tmp_path.as_posix()}/XY101/lessons: a course needs at least one lesson: "
        "lessons/01-<slug>.md"]


def test_links_are_not_followed(curriculum, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    (curriculum / "DC101" / "assets").mkdir()
    (curriculum / "DC101" / "assets" / "x.png").symlink_to(secret)
    (curriculum / "DC101" / "lessons" / "more").symlink_to(tmp_path, target_is_directory=True)
    message = "links and special files are not read; copy the file"
    assert [str(p) for p in validate_course_tree(curriculum)] == [
        f"{curriculum.as_posix()}/DC101/assets/x.png: {message}",
        f"{curriculum.as_posix()}/DC101/lessons/more: {message}"]
