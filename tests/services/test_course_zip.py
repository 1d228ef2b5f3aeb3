"""The zip export: the course folder `flask courses export` writes, and it imports unchanged."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.course_files import parse_course_folder
from app.domain.vocabulary import CompetencyArea, CourseKind, CourseTier, RoleName
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.course_zip import course_zip_bytes, export_course_zip
from app.services.curriculum.authoring.courses import CourseInput, create_course
from app.services.curriculum.authoring.lessons import (
    LessonInput,
    create_lesson,
    upload_course_image,
)
from app.services.curriculum.course_files.importing import (
    export_course,
    find_course_by_code,
    import_courses,
    spec_from_course,
)
from tests.course_trees import CURRICULUM
from tests.factories import make_user
from tests.services.test_authoring_lessons import tiny_png

CODES = sorted(path.name for path in CURRICULUM.iterdir() if (path / "course.yaml").is_file())


def _files(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def _unzip(archive: bytes, dest: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        opened.extractall(dest)


def _written(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder.parent).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_every_shipped_course_round_trips_through_its_zip(db, tmp_path):
    assert len(CODES) >= 7
    import_courses(CURRICULUM, actor=None)
    db.session.commit()
    unzipped = tmp_path / "unzipped"
    for code in CODES:
        course = find_course_by_code(code)
        archive = course_zip_bytes(course)
        files = _files(archive)
        # The very bytes `flask courses export` writes.
        assert files == _written(export_course(course, tmp_path / "exported"))
        assert all(name.startswith(f"{code}/") for name in files)
        # Parsing the unzipped folder gives the course back, field for field.
        folder = {name.removeprefix(f"{code}/"): data for name, data in files.items()}
        assert parse_course_folder(folder, folder=code, prefix=code) == spec_from_course(course)
        _unzip(archive, unzipped)
    versions = {code: find_course_by_code(code).version for code in CODES}
    report = import_courses(unzipped, actor=None)
    assert sorted(report.unchanged) == CODES and report.created == report.updated == []
    assert {code: find_course_by_code(code).version for code in CODES} == versions


def test_an_authored_course_round_trips_with_its_images(db, tree, tmp_path):
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    course = create_course("AB123", CourseInput(
        title="标题: 'with' \"quotes\" # and colons", summary="很长的一段简介 " * 20,
        tier=CourseTier.ADVANCED, areas=[CompetencyArea.DATA, CompetencyArea.MINDSET],
        hours=Decimal("2.5"), kind=CourseKind.REQUIRED), actor=trainer)
    upload_course_image(course, "chart.png", tiny_png(), actor=trainer)
    create_lesson(course, LessonInput(
        title="- 第一课", minutes=45,
        body="\r\n## 目标\r\n\r\n![图](../assets/chart.png)\r\n\r\n```\r\ncode  \r\n```\r\n"),
        actor=trainer)
    db.session.commit()
    archive = course_zip_bytes(course)
    assert course_zip_bytes(course) == archive  # the same course zips to the same bytes
    assert "AB123/assets/chart.png" in _files(archive)
    _unzip(archive, tmp_path)
    assert import_courses(tmp_path, actor=None).unchanged == ["AB123"]


def test_only_editors_export(db, tree):
    import_courses(CURRICULUM / "DC101", actor=None)
    course = find_course_by_code("DC101")
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        export_course_zip(course, actor=trainer)
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    name, archive = export_course_zip(course, actor=admin)
    with archive:
        assert name == "DC101-v1.zip" and archive.read() == course_zip_bytes(course)
