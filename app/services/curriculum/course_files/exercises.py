"""Exercises of course files into the database, as part of import_courses.

Before anything is written, each task's reference SQL is run in the sandbox on a
sample variant (and, for SQL tasks, on its hidden twin), so an exercise whose
reference query fails, returns the wrong shape, or names a missing table is reported
on the task's line instead of failing for the first cadre who starts it.
"""

from sqlalchemy import func, select

from app.domain.course_files import CourseSpec, Problem
from app.domain.course_files.exercise_files import exercise_hash
from app.domain.course_files.spec import EXERCISES_DIR, ExerciseSpec, TaskSpec
from app.domain.vocabulary import QuizKind
from app.extensions import db
from app.models import Attempt, Course, Exercise, Quiz
from app.services.curriculum.course_files.no_code_checks import no_code_problem
from app.services.curriculum.course_files.sync import ItemCounts, sync_by_key
from app.services.exercises.sandbox import SandboxError
from app.services.exercises.variants import (
    ReferenceError,
    TaskReference,
    choice_options,
    expected_answer,
    hidden_seed,
    sample_variant,
)

SAMPLE_SEED = 20261127
MAX_OPTIONS = 60


def check_exercises(specs: dict[str, CourseSpec], *, with_database: bool) -> list[Problem]:
    """Reference SQL that fails on a sample variant, and exercises with attempts removed."""
    problems: list[Problem] = []
    for spec in specs.values():
        for exercise in spec.exercises:
            problems.extend(_reference_problems(exercise))
    if with_database:
        problems.extend(_removed_exercise_problems(specs))
    return problems


def _reference_problems(exercise: ExerciseSpec) -> list[Problem]:
    try:
        variant = sample_variant(exercise.scenario, exercise.params,
                                 exercise.dataset_tables(), SAMPLE_SEED)
        hidden = sample_variant(exercise.scenario, exercise.params, exercise.dataset_tables(),
                                hidden_seed(SAMPLE_SEED))
    except ValueError as error:
        return [Problem(exercise.source_file, None, f"the dataset cannot be built: {error}")]
    problems = []
    for task in exercise.tasks:
        message = _task_problem(task, variant, hidden)
        if message is not None:
            problems.append(Problem(exercise.source_file, task.line, f"task {task.id}: {message}"))
    return problems


def _task_problem(task: TaskSpec, variant, hidden) -> str | None:
    table = task.spec.get("table")
    if table is not None and table not in variant.tables:
        return f"no table {table}; the exercise's tables: {', '.join(variant.tables)}"
    columns = [name for name, _type in variant.tables[table]] if table else []
    for name in [task.spec.get("key_column")] + list(task.spec.get("answer") or []):
        if name is not None and name not in columns:
            return f"table {table} has no column {name}"
    try:
        expected = expected_answer(TaskReference(task.type, task.reference_sql, task.spec),
                                   variant, hidden)
        if task.type == "choice":
            options = choice_options(variant, task.options_sql)
            if not options or len(options) > MAX_OPTIONS:
                return f"options_sql must give 1 to {MAX_OPTIONS} options, gave {len(options)}"
            if expected not in options:
                return (f"the reference answer {expected!r} is not one of the options that "
                        "options_sql gives")
    except SandboxError as error:
        return f"the reference query fails on a sample variant: {error.message_en}"
    except ReferenceError as error:
        return str(error)
    if task.type == "rows" and not expected:
        return "the reference query selects no record on a sample variant"
    return no_code_problem(task, variant, hidden)


def _removed_exercise_problems(specs: dict[str, CourseSpec]) -> list[Problem]:
    attempts = (select(Attempt.quiz_id, func.count().label("n")).group_by(Attempt.quiz_id)
                .subquery())
    rows = db.session.execute(
        select(Quiz.code, Course.code, attempts.c.n)
        .join(Course, Course.id == Quiz.course_id)
        .join(attempts, attempts.c.quiz_id == Quiz.id)
        .where(Quiz.kind == QuizKind.EXERCISE, Course.code.in_(specs)))
    problems = []
    for code, course_code, count in rows:
        spec = specs[course_code]
        if code in {exercise.code for exercise in spec.exercises}:
            continue
        folder = spec.source_file.rsplit("/", 1)[0]
        slug = code.split("/", 1)[-1]
        problems.append(Problem(f"{folder}/{EXERCISES_DIR}/{slug}.yaml", None,
                                f"exercise {code} has {count} attempt(s), so its file cannot "
                                "be removed; put the file back"))
    return problems


def import_exercises(course: Course, exercises: list[ExerciseSpec]) -> ItemCounts:
    """Make the course's exercises exactly these (by code)."""
    stored = {row.code: row for row in db.session.scalars(
        select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == QuizKind.EXERCISE))}
    return sync_by_key(
        exercises, stored, key=lambda exercise: exercise.code, digest=exercise_hash,
        new=_new_exercise,
        fill=lambda row, exercise, digest: _fill(row, exercise, digest, course))


def _new_exercise(exercise: ExerciseSpec) -> Quiz:
    row = Quiz(code=exercise.code, kind=QuizKind.EXERCISE, version=1, shuffle=False)
    row.exercise = Exercise()
    return row


def _fill(row: Quiz, exercise: ExerciseSpec, digest: str, course: Course) -> Quiz:
    row.course_id = course.id
    row.title = exercise.title
    row.graded = exercise.graded
    row.pass_mark = exercise.pass_mark
    row.time_limit_minutes = exercise.time_limit_minutes
    row.max_attempts = exercise.max_attempts
    row.grading_method = exercise.grading_method
    row.review = exercise.review
    row.review_after = exercise.review_after
    row.question_keys, row.draw_rules = [], []
    row.content_hash = digest
    row.exercise.brief = exercise.brief
    row.exercise.scenario_key = exercise.scenario
    row.exercise.scenario_params = dict(exercise.params)
    row.exercise.dataset = exercise.dataset_tables() or None
    row.exercise.tasks = [task.as_dict() for task in exercise.tasks]
    return row
