"""Exercise attempts: the task snapshot with expected answers, and grading tasks by result.

An exercise attempt is an ordinary attempt (same timing, retakes, review, appeals and
completion) whose items are tasks instead of questions: each item carries
``family: "task"`` and the expected answer computed on the cadre's own variant when
the attempt starts. The browser never sees ``expected`` or ``reference_sql`` before
review, nor a hint's text before it is opened: the pages show the fields they need, never
the item (app/templates/exercises/_tasks.html, app.web.exercises.presenting.task_hints).
Opened hints take their cost off the points a task earns (exercises.hints).
"""

from decimal import Decimal

from app.domain.course_files.task_no_code import twin_spec
from app.domain.exercise_tasks import check_task_exactly, f_score, rows_match, task_type
from app.domain.exercise_tasks.hints import after_hints, opened_cost_percent
from app.domain.markdown import render_markdown
from app.models import Attempt, Quiz
from app.services.exercises.datasets import ExerciseData, attempt_data, exercise_data, image_digest
from app.services.exercises.sandbox import SandboxError, run_query
from app.services.exercises.variants import (
    ReferenceError,
    TaskReference,
    choice_options,
    expected_answer,
    hidden_seed,
)

TASK_FAMILY = "task"
#: Rows a learner's query may return when graded (results are compared in memory).
GRADING_ROW_CAP = 5_000


class ExerciseUnavailable(Exception):
    """The exercise's dataset or reference answers cannot be computed for this seed."""


def is_task(item: dict) -> bool:
    return item.get("family") == TASK_FAMILY


def build_exercise_snapshot(quiz: Quiz, seed: int) -> tuple[list[dict], dict]:
    """(task items with expected answers, the variant descriptor) for a new attempt."""
    exercise = quiz.exercise
    data = exercise_data(exercise, seed, version=quiz.version)
    needs_hidden = any(task["type"] == "sql" for task in exercise.tasks)
    hidden = _hidden(quiz, seed, data) if needs_hidden else None
    try:
        items = [_task_item(quiz, task, data, hidden) for task in exercise.tasks]
    except (ReferenceError, SandboxError) as error:
        raise ExerciseUnavailable(str(error)) from error
    if exercise.scenario_key is not None:
        descriptor = {"scenario": exercise.scenario_key,
                      "params": dict(exercise.scenario_params or {})}
    else:
        descriptor = {"fixed": True}
    descriptor["digest"] = image_digest(data.variant)
    return items, descriptor


def _hidden(quiz: Quiz, seed: int, data: ExerciseData) -> ExerciseData:
    if quiz.exercise.scenario_key is None:
        return data  # a fixed dataset has no second variant: the query is checked once
    return exercise_data(quiz.exercise, hidden_seed(seed), version=quiz.version)


def _task_item(quiz: Quiz, task: dict, data: ExerciseData, hidden: ExerciseData | None) -> dict:
    reference = TaskReference(task["type"], task["reference_sql"], task["spec"])
    expected = expected_answer(reference, data.variant, hidden.variant if hidden else None)
    return {
        "family": TASK_FAMILY, "key": f"{quiz.code}/{task['id']}", "task_id": task["id"],
        "version": quiz.version, "type": task["type"], "area": task["area"],
        "points": task["points"], "prompt_html": render_markdown(task["prompt"]),
        "explanation_html": render_markdown(task["explanation"] or ""),
        "spec": task["spec"], "reference_sql": task["reference_sql"], "expected": expected,
        "display": _display(task, data),
        "hints": [{"html": render_markdown(hint["text"]), "cost_percent": hint["cost_percent"]}
                  for hint in task.get("hints") or []],
        **({"twin": _twin_item(task["twin"], data)} if task.get("twin") else {}),
    }


def _twin_item(twin: dict, data: ExerciseData) -> dict:
    """An SQL task's no-code twin as the attempt keeps it: asked and graded on the cadre's
    own variant (app.domain.course_files.task_no_code)."""
    spec = twin_spec(twin)
    reference = TaskReference(twin["type"], twin["reference_sql"], spec)
    return {"type": twin["type"], "prompt_html": render_markdown(twin["prompt"]), "spec": spec,
            "expected": expected_answer(reference, data.variant),
            "display": _display({"type": twin["type"], "spec": spec,
                                 "options_sql": twin.get("options_sql")}, data)}


def _display(task: dict, data: ExerciseData) -> dict:
    """What the form shows: the options of a choice, the table and columns to pick from."""
    kind, spec = task["type"], task["spec"]
    if kind == "choice":
        return {"options": choice_options(data.variant, task["options_sql"])}
    if kind in ("rows", "columns"):
        table = data.table(spec["table"])
        columns = [[name, label] for name, _kind, label in table.columns] if table else []
        return {"table": spec["table"], "table_label": table.label if table else spec["table"],
                "key_column": spec.get("key_column"), "columns": columns}
    return {}


def parse_task_answer(item: dict, raw: dict[str, list[str]]):
    """Raw form values to a stored answer, or a TaskAnswerError naming what is wrong. An
    SQL task with a twin takes the twin's answer ({"twin": value}) when no query is given."""
    twin = item.get("twin")
    if twin and any(v.strip() for v in raw.get("twin", [])) \
            and not any(v.strip() for v in raw.get("value", [])):
        return {"twin": task_type(twin["type"]).parse(twin["spec"], {"value": raw["twin"]})}
    return task_type(item["type"]).parse(item["spec"], raw)


def answered_by_twin(item: dict, response) -> bool:
    return bool(item.get("twin")) and isinstance(response, dict) and "twin" in response


def grade_task_item(attempt: Attempt, item: dict, response,
                    opened_hints: tuple[int, ...] = ()) -> tuple[Decimal, dict | None]:
    """(unrounded points, what grading found) for one task; SQL is run again on both
    variants. The opened hints (1-based numbers) take their share of the points."""
    earned, detail = _earned(attempt, item, response)
    cost = opened_cost_percent(item.get("hints") or [], opened_hints)
    return (after_hints(earned, cost) if cost else earned), detail


def _earned(attempt: Attempt, item: dict, response) -> tuple[Decimal, dict | None]:
    points = Decimal(str(item["points"]))
    if answered_by_twin(item, response):
        twin = item["twin"]
        return check_task_exactly(twin["type"], twin["spec"], twin["expected"], response["twin"],
                                  points), {"twin": True}
    if item["type"] == "sql":
        actual, detail = _run_learner_sql(attempt, item, response)
        return check_task_exactly("sql", item["spec"], item["expected"], actual, points), detail
    earned = check_task_exactly(item["type"], item["spec"], item["expected"], response, points)
    if item["type"] in ("rows", "columns") and response:
        chosen, wanted = set(map(str, response)), set(map(str, item["expected"]))
        hits = len(chosen & wanted)
        detail = {"hits": hits, "chosen": len(chosen), "wanted": len(wanted),
                  "f1": str(f_score(wanted, chosen))}
        return earned, detail
    return earned, None


def _run_learner_sql(attempt: Attempt, item: dict, sql) -> tuple[dict | None, dict | None]:
    if not sql:
        return None, None
    actual: dict = {}
    detail: dict = {}
    # The variant is rebuilt from the seed; should a new Python or generator version ever
    # build different data, say so instead of grading silently against other numbers.
    if image_digest(attempt_data(attempt).variant) != (attempt.variant or {}).get("digest"):
        detail["data_changed"] = True
    for name, hidden in (("primary", False), ("hidden", True)):
        variant = attempt_data(attempt, hidden=hidden).variant
        try:
            result = run_query(variant, sql, row_cap=GRADING_ROW_CAP)
        except SandboxError as error:
            return None, {**detail, "error": error.to_dict()}
        actual[name] = [list(row) for row in result.rows]
        detail[f"{name}_rows"] = len(result.rows)
        detail[f"{name}_match"] = rows_match(
            item["expected"][name], actual[name], ordered=bool(item["spec"].get("ordered")),
            tolerance=item["spec"].get("tolerance") or 0.0)
    return actual, detail
