"""Course trees on disk for import tests: the shipped curriculum and the question fixtures."""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CURRICULUM = ROOT / "courses"
FIXTURES = ROOT / "tests" / "fixtures"
#: A course with one question of each type and two quizzes, plus a small shared bank.
QUESTION_FIXTURES = FIXTURES / "questions"
#: What the content writers add to the curriculum; tests that are not about that content
#: leave it out, so they do not change with it.
ASSESSMENT_FILES = ("questions.yaml", "quizzes", "shared-bank", "exercises")


def copy_curriculum(dest: Path, *, with_questions: bool = False) -> Path:
    """A scratch copy of courses/, by default without question files, quizzes and shared bank."""
    ignore = None if with_questions else shutil.ignore_patterns(*ASSESSMENT_FILES)
    return Path(shutil.copytree(CURRICULUM, dest, ignore=ignore))


def copy_question_fixtures(dest: Path) -> Path:
    """dest/ holding QZ101/ and shared-bank/ (dest is created)."""
    return Path(shutil.copytree(QUESTION_FIXTURES, dest, dirs_exist_ok=True))
