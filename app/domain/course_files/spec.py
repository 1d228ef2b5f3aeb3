"""What a course folder describes, as plain values, and the problems found reading one."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.exercise_tasks.hints import Hint
from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    GradingMethod,
    HoursRule,
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
#: Folders later issues fill; the importer leaves them alone.
RESERVED_DIRS: tuple[str, ...] = ()
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
    #: A stable name and values for pages that word the problem in the reader's language
    #: (the message is the command line's English); "" where none was given.
    code: str = field(default="", compare=False)
    params: tuple = field(default=(), compare=False)  # (name, value) pairs

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LessonVideoSpec:
    """A lesson's video (media/<file>, known by its size and SHA-256, never read into
    memory) and its subtitle tracks: (language, path, WebVTT text), by language."""

    path: str
    sha256: str = ""
    size: int = field(default=0, compare=False)
    subtitles: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class LessonSpec:
    number: int
    slug: str
    title: str
    minutes: int
    #: Empty only for a lesson with a video (a video lesson without notes).
    body_markdown: str
    #: Relative to the course folder, e.g. "lessons/01-reading-a-data-table.md".
    path: str
    video: LessonVideoSpec | None = None


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
    #: The declared hours; None under the video-length rule (the videos' length sets them).
    hours: Decimal | None
    kind: CourseKind
    status: CourseStatus = CourseStatus.PUBLISHED
    hours_rule: HoursRule = HoursRule.DECLARED
    #: A core course of its tier: every core course of a tier earns the tier certificate.
    core: bool = False
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
    #: exercises/<slug>.yaml, sorted by slug.
    exercises: list["ExerciseSpec"] = field(default_factory=list)
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


EXERCISES_DIR = "exercises"
DATASETS_DIR = "exercises/data"
EXERCISE_SLUG = re.compile(r"^[a-z0-9-]{1,24}$")
TASK_ID = re.compile(r"^[A-Z][A-Z0-9]{0,5}$")


@dataclass(frozen=True)
class DatasetTable:
    """One table of an exercise's fixed dataset, read from exercises/data/<file>.csv."""

    name: str
    label: str
    file: str  # the CSV's name in exercises/data/
    #: (name, type, label) with type one of integer, real, text, timestamp.
    columns: tuple[tuple[str, str, str], ...]
    rows: tuple[tuple, ...]


@dataclass
class TaskSpec:
    """One task of an exercise; `spec` holds the type's settings (tolerance, table…)."""

    id: str
    type: str
    area: CompetencyArea
    points: Decimal
    prompt: str
    explanation: str = ""
    reference_sql: str | None = None
    options_sql: str | None = None
    spec: dict = field(default_factory=dict)
    #: Up to three graded hints, opened in order (app.domain.exercise_tasks.hints).
    hints: list[Hint] = field(default_factory=list)
    #: An SQL task's no-code answers (app.domain.course_files.task_no_code): the builder
    #: model that gives the reference result, and/or a question of another type instead.
    builder_solution: dict | None = None
    twin: dict | None = None
    line: int | None = field(default=None, compare=False)

    def as_dict(self) -> dict:
        """The stored form (Exercise.tasks items). ``hints`` only when there are some, so
        the content hash of a task without hints is what it was before hints existed."""
        stored = {"id": self.id, "type": self.type, "area": self.area.value,
                  "points": float(self.points), "prompt": self.prompt,
                  "explanation": self.explanation, "reference_sql": self.reference_sql,
                  "options_sql": self.options_sql, "spec": dict(self.spec)}
        if self.hints:
            stored["hints"] = [hint.as_dict() for hint in self.hints]
        for key in ("builder_solution", "twin"):  # likewise only when given
            if getattr(self, key) is not None:
                stored[key] = getattr(self, key)
        return stored


@dataclass
class ExerciseSpec:
    """exercises/<slug>.yaml: quiz settings, a scenario (or a fixed dataset), a brief, tasks."""

    course_code: str
    slug: str
    title: str
    brief: str
    tasks: list[TaskSpec]
    scenario: str | None = None
    params: dict = field(default_factory=dict)
    dataset: list[DatasetTable] = field(default_factory=list)
    graded: bool = True
    pass_mark: int = 60
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    grading_method: GradingMethod = GradingMethod.HIGHEST
    review: ReviewPolicy = ReviewPolicy.FULL
    review_after: ReviewTiming = ReviewTiming.SUBMIT
    source_file: str = field(default="", compare=False)

    @property
    def code(self) -> str:
        return f"{self.course_code}/{self.slug}"

    def dataset_tables(self) -> list[dict]:
        """The fixed dataset as stored (Exercise.dataset); empty for a scenario."""
        return [{"name": table.name, "label": table.label, "file": table.file,
                 "columns": [list(column) for column in table.columns],
                 "rows": [list(row) for row in table.rows]} for table in self.dataset]

    def task_key(self, task_id: str) -> str:
        """The key answers and item statistics use: "GV210/grid-overdue/T1" (≤ 40 chars)."""
        return f"{self.code}/{task_id}"


@dataclass
class SharedBankSpec:
    """courses/shared-bank/: the questions of every <area>.yaml, sorted by key."""

    questions: list[QuestionSpec] = field(default_factory=list)
    #: The folder as given, for problems. Not content.
    source: str = field(default=SHARED_BANK_DIR, compare=False)


def allowed(values) -> str:
    """The allowed values of an enum, for messages: "foundation, intermediate, advanced"."""
    return ", ".join(member.value for member in values)
