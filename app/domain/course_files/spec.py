"""What a course folder describes, as plain values, and the problems found reading one."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    GradingMethod,
    Rank,
    ReviewPolicy,
    ReviewTiming,
    WorkCategory,
)

COURSE_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
COURSE_FILE = "course.yaml"
LESSONS_DIR = "lessons"
ASSETS_DIR = "assets"
QUESTIONS_FILE = "questions.yaml"
QUIZZES_DIR = "quizzes"
#: The folder of the shared question bank, beside the course folders: one <area>.yaml each.
SHARED_BANK_DIR = "shared-bank"
#: Folders later issues fill (data exercises); the importer leaves them alone.
RESERVED_DIRS = ("exercises",)
IGNORED_FILES = ("README.md",)

#: Question ids: capital letters and digits in dash-separated parts (DA110-Q01, SB-DATA-001).
QUESTION_KEY = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)+$")
MAX_QUESTION_KEY = 40  # the column's length
#: Quiz file names, quizzes/<slug>.yaml; "<CODE>/<slug>" fits the 64-character quiz code.
QUIZ_SLUG = re.compile(r"^[a-z0-9-]{1,56}$")

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
    #: The course's own question bank (questions.yaml), sorted by key.
    questions: list["QuestionSpec"] = field(default_factory=list)
    #: quizzes/<slug>.yaml, sorted by slug.
    quizzes: list["QuizSpec"] = field(default_factory=list)
    #: Where the spec came from, for problems found later (cross-course checks). Not content.
    source_file: str = field(default="", compare=False)
    #: 1-based course.yaml line of each prerequisite entry. Not content.
    prerequisite_lines: dict[str, int] = field(default_factory=dict, compare=False)


@dataclass
class QuestionSpec:
    """One question of a bank, its `spec` in the grading registry's shape (0-based indexes)."""

    key: str
    type: str
    area: CompetencyArea
    difficulty: int
    points: Decimal
    prompt: str
    explanation: str
    spec: dict
    #: Where it was read, for problems found later. Not content.
    source_file: str = field(default="", compare=False)
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DrawRule:
    """Draw `count` active questions of `area` (and `difficulty`) from a bank at random."""

    bank: str  # "course" (the quiz's own course) or "shared"
    area: CompetencyArea
    difficulty: int | None
    count: int
    line: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict:
        """The stored form (Quiz.draw_rules)."""
        return {"bank": self.bank, "area": self.area.value, "difficulty": self.difficulty,
                "count": self.count}


DRAW_BANKS = ("course", "shared")


@dataclass
class QuizSpec:
    """quizzes/<slug>.yaml: a fixed list of question keys or draw rules, never both."""

    course_code: str
    slug: str
    title: str
    graded: bool = True
    pass_mark: int = 60
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    grading_method: GradingMethod = GradingMethod.HIGHEST
    review: ReviewPolicy = ReviewPolicy.FULL
    review_after: ReviewTiming = ReviewTiming.SUBMIT
    shuffle: bool = True
    question_keys: list[str] = field(default_factory=list)
    draw: list[DrawRule] = field(default_factory=list)
    source_file: str = field(default="", compare=False)
    #: 1-based line of each entry of `questions`. Not content.
    question_lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def code(self) -> str:
        return f"{self.course_code}/{self.slug}"


@dataclass
class SharedBankSpec:
    """courses/shared-bank/: the questions of every <area>.yaml, sorted by key."""

    questions: list[QuestionSpec] = field(default_factory=list)
    #: The folder as given, for problems. Not content.
    source: str = field(default=SHARED_BANK_DIR, compare=False)


def allowed(values) -> str:
    """The allowed values of an enum, for messages: "foundation, intermediate, advanced"."""
    return ", ".join(member.value for member in values)
