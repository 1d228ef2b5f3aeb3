"""An SQL task's no-code answers, checked on the sample variants before an import: the
builder solution must give the reference query's result on the cadre's variant and the
hidden one (compared as grading compares them), and a twin's reference query must give
the shape its type needs."""

from app.domain.analysis import AnalysisError, compile_model, model_from_dict
from app.domain.course_files.spec import TaskSpec
from app.domain.course_files.task_no_code import twin_spec
from app.domain.exercise_tasks.results import rows_match
from app.services.exercises.sandbox import SandboxError, Variant, run_query
from app.services.exercises.variants import (
    REFERENCE_ROW_CAP,
    ReferenceError,
    TaskReference,
    choice_options,
    expected_answer,
)

MAX_OPTIONS = 60


def no_code_problem(task: TaskSpec, variant: Variant, hidden: Variant) -> str | None:
    if task.builder_solution is not None:
        problem = _builder_problem(task, variant, hidden)
        if problem is not None:
            return problem
    if task.twin is not None:
        return _twin_problem(task.twin, variant)
    return None


def _schema(variant: Variant) -> dict[str, list[tuple[str, str]]]:
    return {name: list(columns) for name, columns in variant.tables.items()}


def _builder_problem(task: TaskSpec, variant: Variant, hidden: Variant) -> str | None:
    try:
        sql = compile_model(_schema(variant), model_from_dict(task.builder_solution))
    except AnalysisError as error:
        return f"builder_solution is refused by the builder: {error.code} at {error.field}"
    spec = task.spec
    for name, data in (("sample", variant), ("hidden", hidden)):
        try:
            expected = run_query(data, task.reference_sql, row_cap=REFERENCE_ROW_CAP).rows
            built = run_query(data, sql, row_cap=REFERENCE_ROW_CAP).rows
        except SandboxError as error:
            return f"builder_solution fails on the {name} variant: {error.message_en}"
        if not rows_match([list(r) for r in expected], [list(r) for r in built],
                          ordered=bool(spec.get("ordered")),
                          tolerance=spec.get("tolerance") or 0.0):
            return (f"builder_solution gives another result than the reference query on the "
                    f"{name} variant ({len(built)} rows against {len(expected)})")
    return None


def _twin_problem(twin: dict, variant: Variant) -> str | None:
    reference = TaskReference(twin["type"], twin["reference_sql"], twin_spec(twin))
    try:
        expected = expected_answer(reference, variant)
        if twin["type"] == "choice":
            options = choice_options(variant, twin["options_sql"])
            if not options or len(options) > MAX_OPTIONS or expected not in options:
                return "twin: the reference answer is not one of 1 to 60 options_sql gives"
    except SandboxError as error:
        return f"twin: the reference query fails on a sample variant: {error.message_en}"
    except ReferenceError as error:
        return f"twin: {error}"
    if twin["type"] == "rows" and not expected:
        return "twin: the reference query selects no record on a sample variant"
    return None
