"""Data exercises on the authoring pages: settings, the dataset (a scenario or one CSV
table), the brief and the tasks.

The rules are an exercise file's (courses/README.md, Exercises). A task is saved only
when its reference query works on three sample variants (preview.task_problems_on_samples:
the import's checks, a non-empty answer on each, and on a scenario not the same answer on
all three, since each cadre is meant to find their own numbers). A change of content
gives the exercise its next version; attempts keep their snapshot.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.domain.course_files.datasets import parse_csv_table
from app.domain.course_files.exercise_files import exercise_hash
from app.domain.course_files.exercises import MAX_BRIEF, MAX_EXPLANATION, MAX_PROMPT, MAX_SQL
from app.domain.course_files.exercises import MAX_TASKS as TASK_LIMIT
from app.domain.course_files.spec import EXERCISE_SLUG, TaskSpec
from app.domain.course_files.task_no_code import no_sql_reach, read_no_code_text
from app.domain.exercise_tasks import TASK_TYPES, validate_task_spec
from app.domain.exercise_tasks.hints import DEFAULT_HINT_COST, Hint, hint_problems
from app.domain.scenarios import SCENARIOS, is_safe_identifier, resolve_params
from app.domain.vocabulary import CompetencyArea, QuizKind
from app.extensions import db
from app.models import Course, Exercise, Quiz, User
from app.services.core.audit import record_event
from app.services.core.errors import NotFound
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.courses import EditConflict, refresh_course_content
from app.services.curriculum.authoring.preview import task_problems_on_samples
from app.services.curriculum.authoring.quizzes import (
    AssessmentInputError,
    AssessmentSettings,
    InputProblem,
    apply_settings,
    check_settings,
    check_slug,
)
from app.services.curriculum.course_files.exporting import exercise_spec

MAX_SLUG = 24


@dataclass(frozen=True)
class CsvUpload:
    table: str
    label: str
    data: bytes


@dataclass
class ExerciseInput:
    slug: str
    settings: AssessmentSettings
    brief: str = ""
    scenario: str | None = None
    params: dict = field(default_factory=dict)
    upload: CsvUpload | None = None  # only when creating


@dataclass
class TaskInput:
    type: str
    prompt: str
    points: Decimal
    area: str
    explanation: str = ""
    reference_sql: str | None = None
    options_sql: str | None = None
    spec: dict = field(default_factory=dict)
    #: The form's hint slots as (slot, text, cost percent or None for the default); a slot
    #: with no text is no hint, so clearing a hint's text removes it.
    hints: list[tuple[int, str, object]] = field(default_factory=list)
    #: An SQL task's no-code answers as YAML (builder_solution: and/or twin:), or "".
    no_code: str = ""


def reach_without_sql(quiz: Quiz) -> tuple[Decimal, Decimal] | None:
    """(points a cadre who never types SQL can earn, all points) when that is below the pass
    mark, which `courses validate` refuses; None when the exercise can be passed."""
    reach, total = no_sql_reach(exercise_spec(quiz, quiz.course.code).tasks)
    if not quiz.graded or not total or reach * 100 >= total * quiz.pass_mark:
        return None
    return reach, total


def find_exercise(quiz_id: int, *, actor: User) -> Quiz:
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or quiz.kind is not QuizKind.EXERCISE or quiz.course is None:
        raise NotFound(str(quiz_id))
    ensure_may_edit(actor, quiz.course)
    return quiz


def create_exercise(course: Course, data: ExerciseInput, *, actor: User) -> Quiz:
    """A new exercise with its dataset and brief; tasks are added one by one afterwards."""
    ensure_may_edit(actor, course)
    problems = (check_settings(data.settings) + _brief_problems(data.brief)
                + check_slug(course, data.slug, EXERCISE_SLUG, MAX_SLUG, current=None))
    dataset = None
    if data.scenario is not None:
        problems += _param_problems(data.scenario, data.params)
    elif data.upload is not None:
        dataset, more = _dataset(data.upload)
        problems += more
    else:
        problems.append(InputProblem("source", "source_required"))
    if problems:
        raise AssessmentInputError(problems)
    quiz = Quiz(code=f"{course.code}/{data.slug}", kind=QuizKind.EXERCISE, course_id=course.id,
                version=1, shuffle=False)
    params = _written_params(data.scenario, data.params, {}) if data.scenario else {}
    quiz.exercise = Exercise(brief=data.brief.strip(), scenario_key=data.scenario,
                             scenario_params=params,
                             dataset=dataset, tasks=[])
    apply_settings(quiz, data.settings)
    db.session.add(quiz)
    db.session.flush()
    quiz.content_hash = exercise_hash(exercise_spec(quiz, course.code))
    refresh_course_content(course)
    record_event("authoring.exercise_created", actor=actor, target=f"quiz:{quiz.code}",
                 details={"quiz_id": quiz.id, "title": quiz.title,
                          "scenario": data.scenario, "fixed_dataset": dataset is not None})
    return quiz


def update_exercise(quiz: Quiz, data: ExerciseInput, *, revision: str, actor: User) -> bool:
    """Settings, slug, brief and (for a scenario) its parameters; every task is checked
    again on the new parameters. True when the content changed (next version)."""
    _lock(quiz, revision, actor)
    exercise = quiz.exercise
    problems = (check_settings(data.settings) + _brief_problems(data.brief)
                + check_slug(quiz.course, data.slug, EXERCISE_SLUG, MAX_SLUG, current=quiz))
    params, before = {}, dict(exercise.scenario_params or {})
    if exercise.scenario_key:
        problems += _param_problems(exercise.scenario_key, data.params)
        if not problems:
            params = _written_params(exercise.scenario_key, data.params, before)
            problems += _tasks_on(quiz, params) if params != before else []
    if problems:
        raise AssessmentInputError(problems)
    quiz.code = f"{quiz.course.code}/{data.slug}"
    apply_settings(quiz, data.settings)
    exercise.brief = data.brief.strip()
    exercise.scenario_params = params
    return _saved(quiz, actor, "settings")


def _tasks_on(quiz: Quiz, params: dict) -> list[InputProblem]:
    """Every task checked on the variants of new scenario parameters."""
    return [InputProblem("params", "task_broken", {"task": task.id, "reason": problem.code,
                                                   **problem.params})
            for task in exercise_spec(quiz, quiz.course.code).tasks
            for problem in task_problems_on_samples(quiz, task, params)]


def save_task(quiz: Quiz, number: int | None, data: TaskInput, *, revision: str,
              actor: User) -> str:
    """Add a task (number None) or replace task `number` (1-based); returns its id."""
    tasks = _locked_tasks(quiz, number, revision, actor)
    if number is None and len(tasks) >= TASK_LIMIT:
        raise AssessmentInputError([InputProblem("type", "too_many_tasks", {"max": TASK_LIMIT})])
    task_id = tasks[number - 1]["id"] if number else _next_id(tasks)
    task, problems = _task(task_id, data)
    if not problems:
        problems = task_problems_on_samples(quiz, task)
    if problems:
        raise AssessmentInputError(problems)
    if number is None:
        tasks.append(task.as_dict())
    else:
        tasks[number - 1] = task.as_dict()
    quiz.exercise.tasks = tasks
    _saved(quiz, actor, "task_saved", task=task_id)
    return task_id


def delete_task(quiz: Quiz, number: int, *, revision: str, actor: User) -> str:
    tasks = _locked_tasks(quiz, number, revision, actor)
    removed = tasks.pop(number - 1)
    quiz.exercise.tasks = tasks
    _saved(quiz, actor, "task_deleted", task=removed["id"])
    return removed["id"]


def move_task(quiz: Quiz, number: int, offset: int, *, revision: str, actor: User) -> None:
    """Move a task one place up (offset -1) or down (+1); at either end nothing moves."""
    tasks = _locked_tasks(quiz, number, revision, actor)
    target = number - 1 + offset
    if offset not in (-1, 1) or not 0 <= target < len(tasks):
        return
    tasks[number - 1], tasks[target] = tasks[target], tasks[number - 1]
    quiz.exercise.tasks = tasks
    _saved(quiz, actor, "task_moved", task=tasks[target]["id"])


def _lock(quiz: Quiz, revision: str, actor: User) -> None:
    """Lock the quiz row (PostgreSQL) and refuse a form opened on another revision."""
    ensure_may_edit(actor, quiz.course)
    db.session.refresh(quiz, with_for_update=True)
    if revision != quiz.content_hash:
        raise EditConflict(quiz.code)


def _locked_tasks(quiz: Quiz, number: int | None, revision: str, actor: User) -> list[dict]:
    _lock(quiz, revision, actor)
    tasks = list(quiz.exercise.tasks)  # a new list: the JSON column sees the change
    if number is not None and not 1 <= number <= len(tasks):
        raise NotFound(str(number))
    return tasks


def _saved(quiz: Quiz, actor: User, change: str, **details) -> bool:
    digest = exercise_hash(exercise_spec(quiz, quiz.course.code))
    changed = digest != quiz.content_hash
    if changed:
        quiz.content_hash = digest
        quiz.version += 1
    db.session.flush()
    refresh_course_content(quiz.course)
    record_event("authoring.exercise_edited", actor=actor, target=f"quiz:{quiz.code}",
                 details={"quiz_id": quiz.id, "version": quiz.version, "change": change,
                          **details})
    return changed


def _brief_problems(brief: str) -> list[InputProblem]:
    if not brief.strip():
        return [InputProblem("brief", "required")]
    if len(brief) > MAX_BRIEF:
        return [InputProblem("brief", "too_long", {"max": MAX_BRIEF})]
    return []


def _param_problems(scenario: str, params: dict) -> list[InputProblem]:
    if scenario not in SCENARIOS:
        return [InputProblem("scenario", "unknown_scenario")]
    specs = SCENARIOS[scenario].parameters
    problems = [InputProblem("params", "unknown_param", {"name": name})
                for name in params if name not in specs]
    for name, spec in specs.items():
        try:  # one at a time, so each problem lands on its own field
            resolve_params(specs, {name: params[name]} if name in params else {})
        except ValueError:
            problems.append(InputProblem(f"param-{name}", "range",
                                         {"min": spec.minimum, "max": spec.maximum}))
    return problems


def _written_params(scenario: str, params: dict, before: dict) -> dict:
    """The parameters a file would write: those set before, and those off their default
    (so saving an untouched form changes nothing)."""
    specs = SCENARIOS[scenario].parameters
    return {name: value for name, value in params.items()
            if name in before or value != specs[name].default}


def _dataset(upload: CsvUpload) -> tuple[list[dict] | None, list[InputProblem]]:
    if not is_safe_identifier(upload.table):
        return None, [InputProblem("table_name", "bad_table_name")]
    label = upload.label.strip() or upload.table
    if len(label) > 40:
        return None, [InputProblem("table_label", "too_long", {"max": 40})]
    table, problems = parse_csv_table(upload.table, label, upload.data, f"{upload.table}.csv")
    if problems:
        return None, [InputProblem("csv_file", "csv", {"line": p.line, "message": p.message,
                                                       "code": p.code, **dict(p.params)})
                      for p in problems]
    return [{"name": table.name, "label": table.label, "file": table.file,
             "columns": [list(c) for c in table.columns],
             "rows": [list(r) for r in table.rows]}], []


def _next_id(tasks: list[dict]) -> str:
    taken = {task["id"] for task in tasks}
    return next(f"T{n}" for n in range(1, len(taken) + 2) if f"T{n}" not in taken)


def _task(task_id: str, data: TaskInput) -> tuple[TaskSpec | None, list[InputProblem]]:
    """The task as a file would describe it, or the problems with its fields."""
    problems = []
    prompt, explanation = data.prompt.strip(), (data.explanation or "").strip()
    if data.type not in TASK_TYPES:
        return None, [InputProblem("type", "unknown_task_type")]
    if not prompt or len(prompt) > MAX_PROMPT:
        problems.append(InputProblem("prompt", "text_length", {"max": MAX_PROMPT}))
    if len(explanation) > MAX_EXPLANATION:
        problems.append(InputProblem("explanation", "too_long", {"max": MAX_EXPLANATION}))
    if not _half_steps(data.points):
        problems.append(InputProblem("points", "points"))
    if data.area not in {area.value for area in CompetencyArea}:
        problems.append(InputProblem("area", "required"))
    sql = {key: (value or "").strip() or None for key, value in
           (("reference_sql", data.reference_sql), ("options_sql", data.options_sql))}
    needed = {"choice": ("options_sql", "reference_sql"), "columns": ()}.get(
        data.type, ("reference_sql",))
    for key in needed:
        if not sql[key] or len(sql[key]) > MAX_SQL:
            problems.append(InputProblem(key, "text_length", {"max": MAX_SQL}))
    problems += _spec_problems(data.type, data.spec)
    hints, hint_errors = _hints(data.hints)
    problems += hint_errors
    solution, twin, no_code_errors = _no_code(task_id, data)
    problems += no_code_errors
    if problems:
        return None, problems
    return TaskSpec(id=task_id, type=data.type, area=CompetencyArea(data.area),
                    points=Decimal(data.points), prompt=prompt, explanation=explanation,
                    reference_sql=sql["reference_sql"] if "reference_sql" in needed else None,
                    options_sql=sql["options_sql"] if data.type == "choice" else None,
                    spec=dict(data.spec), hints=hints, builder_solution=solution, twin=twin), []


def _no_code(task_id: str, data: TaskInput) -> tuple[dict | None, dict | None,
                                                    list[InputProblem]]:
    """The SQL task's builder solution and twin, by the exercise file's rules (each problem
    with its line in the text)."""
    if not data.no_code.strip():
        return None, None, []
    if data.type != "sql":
        return None, None, [InputProblem("no_code", "no_code_sql_only")]
    solution, twin, problems = read_no_code_text(data.no_code, task_id)
    return solution, twin, [InputProblem("no_code", "no_code_problem",
                                         {"line": p.line or 1, "message": p.message})
                            for p in problems]


#: A hint rule (app.domain.exercise_tasks.hints) as the authoring pages word it.
HINT_CODES = {"too_many": "too_many_hints", "text_type": "required", "text_empty": "required",
              "text_too_long": "too_long", "cost_range": "hint_cost",
              "total_cost": "hint_total_cost"}


def _hints(slots: list[tuple[int, str, object]]) -> tuple[list[Hint], list[InputProblem]]:
    """The hints of the filled slots, in slot order, or the problems under their fields (the
    costs' total under the last filled slot's cost)."""
    given = [(slot, (text or "").strip(), cost) for slot, text, cost in slots
             if (text or "").strip()]
    problems = []
    for problem in hint_problems([(text, cost) for _slot, text, cost in given]):
        slot = given[problem.number - 1][0] if problem.number else given[-1][0]
        part = "cost" if problem.code in ("cost_range", "total_cost") else "text"
        problems.append(InputProblem(f"hint{slot}_{part}", HINT_CODES[problem.code],
                                     dict(problem.params)))
    return [Hint(text, DEFAULT_HINT_COST if cost is None else cost)
            for _slot, text, cost in given], problems


def _half_steps(points) -> bool:
    try:
        value = Decimal(points)
    except (InvalidOperation, TypeError, ValueError):
        return False
    return value.is_finite() and 0 < value <= 100 and (value * 2) % 1 == 0


def _spec_problems(kind: str, spec: dict) -> list[InputProblem]:
    problems = [InputProblem("tolerance", "task_rule", {"message": message})
                for message in validate_task_spec(kind, spec)]
    if spec.get("tolerance") is not None and spec.get("tolerance_percent") is not None:
        problems.append(InputProblem("tolerance", "tolerance_both"))
    for key in {"rows": ("table", "key_column"), "columns": ("table",)}.get(kind, ()):
        if not is_safe_identifier(str(spec.get(key) or "")):
            problems.append(InputProblem(key, "required"))
    if kind == "columns" and not spec.get("answer"):
        problems.append(InputProblem("answer", "columns_required"))
    return problems
