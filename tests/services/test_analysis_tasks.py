"""Every shipped SQL task can be answered without typing SQL (issue 18): its file carries a
builder solution, which gives the reference query's result on two more seeds than the
import checks (compared as grading compares them), or a twin question of another type."""

from pathlib import Path

import pytest
import yaml

from app.domain.analysis import compile_model, model_from_dict
from app.domain.exercise_tasks.results import rows_match
from app.services.exercises.sandbox import run_query
from app.services.exercises.variants import build_exercise_variant

COURSES = Path(__file__).resolve().parents[2] / "courses"
SQL_TASKS = sorted(
    (str(path.relative_to(COURSES)), task["id"])
    for path in COURSES.glob("*/exercises/*.yaml")
    for task in yaml.safe_load(path.read_text(encoding="utf-8"))["tasks"]
    if task["type"] == "sql")


def _task(path: str, task_id: str) -> tuple[dict, dict]:
    exercise = yaml.safe_load((COURSES / path).read_text(encoding="utf-8"))
    return exercise, next(t for t in exercise["tasks"] if t["id"] == task_id)


#: The shipped builder solutions as models, by (exercise file, task id).
BUILDER_ANSWERS = {key: model_from_dict(_task(*key)[1]["builder_solution"])
                   for key in SQL_TASKS if "builder_solution" in _task(*key)[1]}


def test_every_shipped_sql_task_has_a_no_code_answer():
    assert len(SQL_TASKS) >= 6
    for path, task_id in SQL_TASKS:
        _exercise, task = _task(path, task_id)
        assert "builder_solution" in task or "twin" in task, (path, task_id)


@pytest.mark.parametrize(("path", "task_id"), [
    key for key in SQL_TASKS if "builder_solution" in _task(*key)[1]])
@pytest.mark.parametrize("seed", [11, 20261207])
def test_the_builder_solution_gives_the_reference_result(path, task_id, seed):
    exercise, task = _task(path, task_id)
    variant = build_exercise_variant(exercise["scenario"], exercise.get("params") or {}, seed)
    schema = {name: list(columns) for name, columns in variant.tables.items()}
    expected = run_query(variant, task["reference_sql"], row_cap=5000).rows
    sql = compile_model(schema, model_from_dict(task["builder_solution"]))
    built = run_query(variant, sql, row_cap=5000).rows
    assert rows_match([list(r) for r in expected], [list(r) for r in built],
                      ordered=bool(task.get("ordered")), tolerance=task.get("tolerance") or 0)


def test_the_import_check_names_a_wrong_builder_solution_and_a_broken_twin():
    from dataclasses import replace

    from app.domain.course_files.exercises import parse_exercise_file
    from app.services.curriculum.course_files.no_code_checks import no_code_problem
    from app.services.exercises.variants import hidden_seed

    path = "GV320/exercises/one-thing-reform.yaml"
    spec, problems = parse_exercise_file((COURSES / path).read_text(encoding="utf-8"), path,
                                         course_code="GV320", slug="one-thing-reform",
                                         data_files={})
    assert problems == []
    task = next(t for t in spec.tasks if t.id == "T2")
    variant = build_exercise_variant(spec.scenario, spec.params, 5)
    hidden = build_exercise_variant(spec.scenario, spec.params, hidden_seed(5))
    assert no_code_problem(task, variant, hidden) is None
    swapped = dict(task.builder_solution, measures=list(reversed(
        task.builder_solution["measures"])))
    assert "another result than the reference query on the sample variant" in \
        no_code_problem(replace(task, builder_solution=swapped), variant, hidden)
    broken = {"type": "numeric", "prompt": "x", "reference_sql": "SELECT nope FROM nowhere"}
    assert no_code_problem(replace(task, builder_solution=None, twin=broken), variant,
                           hidden).startswith("twin: the reference query fails")
