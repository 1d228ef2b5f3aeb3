"""Course folders (courses/<CODE>/) as pure values: parse, validate, hash and write back.

The service reads the disk and hands over {relative posix path: bytes}; nothing here
touches files or the database, so every rule is tested with plain inputs.
See courses/README.md for the format.
"""

from app.domain.course_files.crosscheck import check_prerequisites, find_cycles
from app.domain.course_files.parse import is_ignored, parse_course_folder
from app.domain.course_files.serialize import content_hash, lesson_path, serialize_course
from app.domain.course_files.spec import (
    COURSE_CODE,
    COURSE_FILE,
    MAX_ASSET_BYTES,
    AssetSpec,
    CourseSpec,
    LessonSpec,
    Problem,
)

__all__ = [
    "COURSE_CODE", "COURSE_FILE", "MAX_ASSET_BYTES", "AssetSpec", "CourseSpec", "LessonSpec",
    "Problem", "check_prerequisites", "content_hash", "find_cycles", "is_ignored",
    "lesson_path", "parse_course_folder", "serialize_course",
]
