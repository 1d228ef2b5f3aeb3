"""Course folders (courses/<CODE>/) and the shared question bank (courses/shared-bank/)
as pure values: parse, validate, hash and write back.

The service reads the disk and hands over {relative posix path: bytes}; nothing here
touches files or the database, so every rule is tested with plain inputs.
See courses/README.md for the format.
"""

from app.domain.course_files.assessment_files import (
    question_hash,
    quiz_hash,
    serialize_shared_bank,
)
from app.domain.course_files.bank_check import StoredQuestion, StoredQuiz, check_assessments
from app.domain.course_files.crosscheck import check_prerequisites, find_cycles
from app.domain.course_files.parse import is_ignored, parse_course_folder
from app.domain.course_files.serialize import content_hash, lesson_path, serialize_course
from app.domain.course_files.shared_bank import parse_shared_bank
from app.domain.course_files.spec import (
    COURSE_CODE,
    COURSE_FILE,
    MAX_ASSET_BYTES,
    SHARED_BANK_DIR,
    AssetSpec,
    CourseSpec,
    DrawRule,
    LessonSpec,
    Problem,
    QuestionSpec,
    QuizSpec,
    SharedBankSpec,
)

__all__ = [
    "COURSE_CODE", "COURSE_FILE", "MAX_ASSET_BYTES", "SHARED_BANK_DIR", "AssetSpec",
    "CourseSpec", "DrawRule", "LessonSpec", "Problem", "QuestionSpec", "QuizSpec",
    "SharedBankSpec", "StoredQuestion", "StoredQuiz", "check_assessments",
    "check_prerequisites", "content_hash", "find_cycles", "is_ignored", "lesson_path",
    "parse_course_folder", "parse_shared_bank", "question_hash", "quiz_hash",
    "serialize_course", "serialize_shared_bank",
]
