"""The no-code builder can answer every shipped SQL task (issue 18): for each one, a model
a cadre can click together gives the reference query's result on two variants, compared as
the task's grading compares them (order, tolerance)."""

from pathlib import Path

import pytest
import yaml

from app.domain.analysis import (
    AnalysisModel,
    Calculation,
    Condition,
    Derived,
    Join,
    Measure,
    compile_model,
)
from app.domain.exercise_tasks.results import rows_match
from app.domain.scenarios import get_scenario
from app.services.exercises.sandbox import run_query
from app.services.exercises.variants import build_exercise_variant

COURSES = Path(__file__).resolve().parents[2] / "courses"
OVERDUE = Condition("status", "eq", "已超期")

BUILDER_ANSWERS = {
    ("GV210/exercises/grid-overdue.yaml", "T2"): AnalysisModel(
        "incidents",
        derived=(Derived("去半角空格", "replace", "street", args=(" ", "")),
                 Derived("街道", "replace", "去半角空格", args=("　", ""))),
        distinct=("id", "街道", "status"), group_by=("街道",),
        measures=(Measure("count", name="事件总数"),
                  Measure("count", name="已超期件数", where=(OVERDUE,))),
        calculations=(Calculation("超期率", "percent", "已超期件数", "事件总数", 1),),
        limit=1000),
    ("DA210/exercises/pipeline-leak.yaml", "T2"): AnalysisModel(
        "readings", group_by=("segment_id",),
        measures=(Measure("count", name="低压读数", where=(
                      Condition("pressure_kpa", "lt", other="pressure_threshold_kpa"),)),
                  Measure("count", name="缺测读数", where=(
                      Condition("pressure_kpa", "is_empty"), Condition("flow_m3h", "is_empty")))),
        limit=1000),
    ("AI310/exercises/muck-overload.yaml", "T2"): AnalysisModel(
        "weighings",
        derived=(Derived("去空格", "replace", "plate", args=(" ", "")),
                 Derived("车牌", "replace", "去空格", args=("·", ""))),
        join=Join("trucks", "车牌", "plate", keep_unmatched=False),
        filters=(Condition("load_t", "gt", other="legal_limit_t"),),
        group_by=("company",), measures=(Measure("count", name="超载记录"),), limit=1000),
    ("GV320/exercises/one-thing-reform.yaml", "T2"): AnalysisModel(
        "applications",
        derived=(Derived("办理天数", "days_between", "submitted_at", "finished_at"),),
        filters=(Condition("finished_at", "not_empty"),), group_by=("service",),
        measures=(Measure("avg", "办理天数", name="改革前",
                          where=(Condition("period", "eq", "改革前"),)),
                  Measure("avg", "办理天数", name="改革后",
                          where=(Condition("period", "eq", "改革后"),))),
        limit=1000),
    ("SE220/exercises/health-desensitize.yaml", "T3"): AnalysisModel(
        "claims", derived=(Derived("证件号", "upper", "id_number"),),
        group_by=("birth_year", "gender", "district"),
        measures=(Measure("count", name="记录数"),
                  Measure("count_distinct", "证件号", name="人数", shown=False)),
        having=(Condition("人数", "eq", "1"),), limit=1000),
}


def _task(path: str, task_id: str) -> tuple[dict, dict]:
    exercise = yaml.safe_load((COURSES / path).read_text(encoding="utf-8"))
    return exercise, next(t for t in exercise["tasks"] if t["id"] == task_id)


@pytest.mark.parametrize(("path", "task_id"), sorted(BUILDER_ANSWERS))
@pytest.mark.parametrize("seed", [11, 20261207])
def test_the_builder_answers_the_sql_task(path, task_id, seed):
    exercise, task = _task(path, task_id)
    variant = build_exercise_variant(exercise["scenario"], exercise.get("params") or {}, seed)
    dataset = get_scenario(exercise["scenario"]).generate(seed, exercise.get("params") or {})
    schema = {table.name: [(c.name, {"integer": "INTEGER", "real": "REAL"}.get(c.type, "TEXT"))
                           for c in table.columns] for table in dataset.tables}
    expected = run_query(variant, task["reference_sql"], row_cap=5000).rows
    built = run_query(variant, compile_model(schema, BUILDER_ANSWERS[(path, task_id)]),
                      row_cap=5000).rows
    spec = task.get("spec") or {k: task[k] for k in ("ordered", "tolerance") if k in task}
    assert rows_match([list(r) for r in expected], [list(r) for r in built],
                      ordered=bool(spec.get("ordered")), tolerance=spec.get("tolerance") or 0)


def test_every_shipped_sql_task_but_one_has_a_builder_answer_here():
    """DA210's T4 must find the leaking segment by itself on the hidden variant, which a
    model with a typed segment id cannot: its no-code twin asks for a number instead."""
    sql_tasks = {(str(path.relative_to(COURSES)), task["id"])
                 for path in COURSES.glob("*/exercises/*.yaml")
                 for task in yaml.safe_load(path.read_text(encoding="utf-8"))["tasks"]
                 if task["type"] == "sql"}
    assert sql_tasks - set(BUILDER_ANSWERS) == {("DA210/exercises/pipeline-leak.yaml", "T4")}
