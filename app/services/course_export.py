"""Courses back to course folders (export), so a course round-trips through the files."""

from pathlib import Path

from app.domain.course_files import (
    AssetSpec,
    CourseSpec,
    LessonSpec,
    lesson_path,
    serialize_course,
)
from app.domain.vocabulary import Rank, WorkCategory
from app.models import Course, Lesson
from app.services import ServiceError


def spec_from_course(course: Course) -> CourseSpec:
    """The course as course files would describe it (the database → files direction)."""
    return CourseSpec(
        code=course.code, title=course.title, summary=course.summary, tier=course.tier,
        areas=list(course.area_names), hours=course.hours, kind=course.kind,
        status=course.status,
        audience_ranks=[Rank(rank) for rank in course.audience_ranks],
        audience_categories=[WorkCategory(category) for category in course.audience_categories],
        prerequisites=sorted(prerequisite.code for prerequisite in course.prerequisites),
        lessons=[_lesson_spec(lesson) for lesson in course.lessons],
        assets=sorted((AssetSpec(filename=asset.filename, content_type=asset.content_type,
                                 data=asset.data, sha256=asset.sha256)
                       for asset in course.assets), key=lambda asset: asset.filename),
    )


def _lesson_spec(lesson: Lesson) -> LessonSpec:
    return LessonSpec(number=lesson.number, slug=lesson.slug, title=lesson.title,
                      minutes=lesson.minutes, body_markdown=lesson.body_markdown,
                      path=lesson_path(lesson.number, lesson.slug))


def export_course(course: Course, dest: Path, *, overwrite: bool = False) -> Path:
    """Write dest/<CODE>/ (course.yaml, lessons/, assets/); returns that folder."""
    target = dest / course.code
    if target.exists() and not target.is_dir():
        raise ServiceError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not overwrite:
        raise ServiceError(f"{target} is not empty; choose another folder or overwrite it")
    files = serialize_course(spec_from_course(course))
    _remove_stale_files(target, files)
    for relative, data in files.items():
        file = target / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
    return target


def _remove_stale_files(target: Path, files: dict[str, bytes]) -> None:
    # Overwriting must not leave a deleted lesson or asset behind, or the next import
    # would bring it back; other files (README.md, quizzes/) are not ours to remove.
    for folder in ("lessons", "assets"):
        for file in (target / folder).glob("*") if (target / folder).is_dir() else ():
            if file.is_file() and f"{folder}/{file.name}" not in files:
                file.unlink()
