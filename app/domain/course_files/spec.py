"""What a course folder describes, as plain values, and the problems found reading one."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    Rank,
    WorkCategory,
)

COURSE_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
COURSE_FILE = "course.yaml"
LESSONS_DIR = "lessons"
ASSETS_DIR = "assets"
#: Folders later issues fill (quizzes, data exercises); the importer leaves them alone.
RESERVED_DIRS = ("quizzes", "exercises")
IGNORED_FILES = ("README.md",)

MAX_ASSET_BYTES = 2 * 1024 * 1024
#: course.yaml and lesson files are prose; anything larger is a mistake, not a lesson.
MAX_TEXT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the course files, located as precisely as we can."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LessonSpec:
    number: int
    slug: str
    title: str
    minutes: int
    body_markdown: str
    #: Relative to the course folder, e.g. "lessons/01-reading-a-data-table.md".
    path: str


@dataclass(frozen=True)
class AssetSpec:
    filename: str
    content_type: str
    data: bytes = field(repr=False)
    sha256: str


@dataclass
class CourseSpec:
    code: str
    title: str
    summary: str
    tier: CourseTier
    areas: list[CompetencyArea]
    hours: Decimal
    kind: CourseKind
    status: CourseStatus = CourseStatus.PUBLISHED
    #: Empty lists mean every rank / every work category.
    audience_ranks: list[Rank] = field(default_factory=list)
    audience_categories: list[WorkCategory] = field(default_factory=list)
    #: Course codes, sorted: prerequisites are a set, and the database keeps them by code.
    prerequisites: list[str] = field(default_factory=list)
    lessons: list[LessonSpec] = field(default_factory=list)
    assets: list[AssetSpec] = field(default_factory=list)
    #: Where the spec came from, for problems found later (cross-course checks). Not content.
    source_file: str = field(default="", compare=False)
    #: 1-based course.yaml line of each prerequisite entry. Not content.
    prerequisite_lines: dict[str, int] = field(default_factory=dict, compare=False)


def allowed(values) -> str:
    """The allowed values of an enum, for messages: "foundation, intermediate, advanced"."""
    return ", ".join(member.value for member in values)
