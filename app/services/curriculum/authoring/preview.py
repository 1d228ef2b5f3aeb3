"""What trainers see of a course's assessments before cadres do, reading only: the list
with attempt counts; a quiz or exercise exactly as a cadre would get it for one seed,
answered and graded in memory; and an exercise's sample variants, with the SQL console
and the check of a task on three of them.

Nothing here writes to the database: the snapshot is the one an attempt would store
(build_snapshot / build_exercise_snapshot), grading uses the same functions as a real
attempt, and the exercise's variant comes from a transient Attempt that is never added
to the session. A seed always gives the same questions, so the page and its check agree.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.analysis.browse import build_browse_queries
from app.domain.assessment import attempt_total, percent_of
from app.domain.course_files.spec import TaskSpec
from app.domain.grading import ResponseError, grade_response_exactly, question_type
from app.domain.vocabulary import QuizKind
from app.extensions import db
from app.models import Attempt, Course, Quiz, User
from app.services.assessment.attempts import AttemptRefused, build_snapshot
from app.services.assessment.grading import answer_points
from app.services.core.errors import NotFound, ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.quizzes import InputProblem
from app.services.curriculum.course_files.exercises import SAMPLE_SEED, _task_problem
from app.services.exercises.datasets import ExerciseData, attempt_data, exercise_data
from app.services.exercises.sandbox import QueryResult, run_query
from app.services.exercises.tasks import (
    ExerciseUnavailable,
    build_exercise_snapshot,
    grade_task_item,
    is_task,
    parse_task_answer,
)
from app.services.exercises.variants import TaskReference, expected_answer, hidden_seed

PER_PAGE = 50
SAMPLE_ROWS = 5
#: The sample variants a task is checked on; the first is the one the editor shows.
TASK_SEEDS = (SAMPLE_SEED, SAMPLE_SEED + 1, SAMPLE_SEED + 2)
CONSOLE_ROW_CAP = 1000
MAX_SEED = 2**48 - 1
CENT = Decimal("0.01")


class PreviewUnavailable(ServiceError):
    """The quiz cannot be shown for this seed; the message is the reason code (as a
    learner's refusal: questions_missing, not_enough_questions, exercise_unavailable)."""


@dataclass
class Preview:
    quiz: Quiz
    seed: int
    items: list[dict]
    #: For an exercise: the variant descriptor an attempt would store.
    variant: dict | None = None

    @property
    def is_exercise(self) -> bool:
        return self.quiz.kind is QuizKind.EXERCISE

    def as_attempt(self) -> Attempt:
        """A transient attempt for the functions that read a variant from one. Never added
        to the session, so nothing is written."""
        return Attempt(seed=self.seed, variant=self.variant, questions=self.items,
                       quiz=self.quiz)


@dataclass(frozen=True)
class CheckedItem:
    item: dict
    response: object
    points: Decimal | None  # None: graded by a trainer (essays)
    detail: dict | None = None
    problem: ResponseError | None = None  # the answer could not be read
    exact: Decimal | None = None  # the unrounded points the total adds up


@dataclass
class PreviewResult:
    score: Decimal
    max_score: Decimal
    percent: Decimal
    passed: bool
    items: list[CheckedItem] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentRow:
    """A line of the course's assessments page."""

    quiz: Quiz
    attempts: int

    @property
    def is_exercise(self) -> bool:
        return self.quiz.kind is QuizKind.EXERCISE


def course_assessments(course: Course, *, actor: User) -> list[AssessmentRow]:
    """The course's quizzes and exercises with their attempt counts (two queries)."""
    ensure_may_edit(actor, course)
    quizzes = list(db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)
                                      .order_by(Quiz.kind, Quiz.code)))
    counts = dict(db.session.execute(
        select(Attempt.quiz_id, func.count(Attempt.id))
        .where(Attempt.quiz_id.in_([quiz.id for quiz in quizzes]))
        .group_by(Attempt.quiz_id)).all()) if quizzes else {}
    return [AssessmentRow(quiz, counts.get(quiz.id, 0)) for quiz in quizzes]


def new_seed() -> int:
    return secrets.randbits(48)


def find_previewable_quiz(quiz_id: int, *, actor: User) -> Quiz:
    """A course quiz or exercise the actor may edit (drafts included)."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.course is None:
        raise NotFound(str(quiz_id))
    ensure_may_edit(actor, quiz.course)
    return quiz


def build_preview(quiz: Quiz, seed: int) -> Preview:
    """What a cadre would get for this seed (PreviewUnavailable when they would be refused)."""
    if not 0 <= seed <= MAX_SEED:
        raise NotFound(str(seed))
    if quiz.kind is QuizKind.EXERCISE:
        try:
            items, variant = build_exercise_snapshot(quiz, seed)
        except ExerciseUnavailable:
            raise PreviewUnavailable("exercise_unavailable") from None
        return Preview(quiz, seed, items, variant)
    try:
        return Preview(quiz, seed, build_snapshot(quiz, seed))
    except AttemptRefused as refusal:
        raise PreviewUnavailable(str(refusal)) from None


def grade_preview(preview: Preview, raw: dict[int, dict[str, list[str]]]) -> PreviewResult:
    """Grade the answers posted for each position, in memory, as submitting would."""
    checked = [_check(preview, item, raw.get(position) or {})
               for position, item in enumerate(preview.items)]
    # As an attempt's score: the unrounded points added up, rounded once to cents.
    score = attempt_total([c.exact for c in checked])
    max_score = sum((Decimal(str(item["points"])) for item in preview.items),
                    Decimal(0)).quantize(CENT)
    percent = percent_of(score, max_score)
    return PreviewResult(score, max_score, percent, percent >= preview.quiz.pass_mark, checked)


def _check(preview: Preview, item: dict, raw: dict[str, list[str]]) -> CheckedItem:
    try:
        if is_task(item):
            response = parse_task_answer(item, raw) if raw else None
        else:
            response = question_type(item["type"]).parse(item["spec"], item["display"], raw) \
                if raw else None
    except ResponseError as problem:
        return CheckedItem(item, None, Decimal(0), problem=problem)
    if is_task(item):
        exact, detail = grade_task_item(preview.as_attempt(), item, response)
    else:
        exact, detail = grade_response_exactly(item["type"], item["spec"], item["display"],
                                               response, Decimal(str(item["points"]))), None
    return CheckedItem(item, response, answer_points(exact)["points"], detail, exact=exact)


def preview_data(preview: Preview) -> ExerciseData:
    return attempt_data(preview.as_attempt())


@dataclass(frozen=True)
class PreviewTable:
    name: str
    columns: list[tuple[str, str, str]]
    rows: list[tuple]
    total: int
    page: int
    pages: int


def browse_preview_table(preview: Preview, table: str | None, page: int) -> PreviewTable:
    """One page of one of the seed's tables (the first table when none is named)."""
    data = preview_data(preview)
    info = data.table(table) if table else data.tables[0]
    if info is None:
        raise NotFound(str(table))
    pages = max(1, -(-info.rows // PER_PAGE))
    page = min(max(page, 1), pages)
    rows = _rows(data, info.name, page, PER_PAGE)
    return PreviewTable(info.name, list(info.columns), rows, info.rows, page, pages)


def _rows(data: ExerciseData, table: str, page: int, per_page: int) -> list[tuple]:
    rows_sql, _count = build_browse_queries(data.schema, table, (), None, False, page, per_page)
    return run_query(data.variant, rows_sql, row_cap=per_page).rows


def run_preview_query(preview: Preview, sql: str) -> QueryResult:
    """A query on the seed's data, in the learners' sandbox (SandboxError when refused)."""
    return run_query(preview_data(preview).variant, sql, row_cap=CONSOLE_ROW_CAP)


def sample_rows(quiz: Quiz) -> list[tuple]:
    """(table info, first rows) of each table of the sample variant."""
    data = sample_data(quiz)
    return [(table, _rows(data, table.name, 1, SAMPLE_ROWS)) for table in data.tables]


def run_sample_query(quiz: Quiz, sql: str, *, actor: User) -> QueryResult:
    """The trainer's SELECT on the sample variant, in the learners' sandbox (SandboxError)."""
    ensure_may_edit(actor, quiz.course)
    return run_query(sample_data(quiz).variant, sql, row_cap=CONSOLE_ROW_CAP)


def task_problems_on_samples(quiz: Quiz, task: TaskSpec,
                             params: dict | None = None) -> list[InputProblem]:
    """The task on three sample variants: the import's checks, then no empty answer and,
    on a scenario, not the same answer on all three."""
    where = "answer" if task.type == "columns" else "reference_sql"
    scenario = quiz.exercise.scenario_key
    answers = []
    for number, seed in enumerate(TASK_SEEDS if scenario else TASK_SEEDS[:1], start=1):
        data = sample_data(quiz, seed, params)
        hidden = sample_data(quiz, hidden_seed(seed), params) if task.type == "sql" and scenario \
            else data
        message = _task_problem(task, data.variant, hidden.variant)
        if message is not None:
            return [InputProblem(where, "reference_problem", {"seed": number, "message": message})]
        answer = expected_answer(TaskReference(task.type, task.reference_sql, task.spec),
                                 data.variant, hidden.variant)
        shown = answer["primary"] if task.type == "sql" else answer
        if shown in ([], "", None):
            return [InputProblem(where, "reference_empty", {"seed": number})]
        answers.append(shown)
    if scenario and task.type != "columns" and all(a == answers[0] for a in answers[1:]):
        return [InputProblem(where, "same_on_every_seed", {"value": str(answers[0])[:80]})]
    return []


def sample_data(quiz: Quiz, seed: int = SAMPLE_SEED, params: dict | None = None
                ) -> ExerciseData:
    """A sample variant of the exercise (with `params`: of other scenario parameters)."""
    exercise = quiz.exercise
    scenario = (exercise.scenario_key, params) if params is not None and exercise.scenario_key \
        else None
    return exercise_data(exercise, seed, version=quiz.version, scenario=scenario)
