"""The way back for exercises: exercises/<slug>.yaml (and its CSVs) as authors write them,
and the exercise's content hash."""

from app.domain.course_files.assessment_files import (
    HASH_FORMAT,
    FlowMap,
    canonical_sha256,
    dump_yaml,
    points_value,
)
from app.domain.course_files.datasets import csv_bytes
from app.domain.course_files.exercises import SPEC_KEYS, TASK_TYPE_KEYS
from app.domain.course_files.spec import DATASETS_DIR, ExerciseSpec, TaskSpec


def exercise_document(exercise: ExerciseSpec) -> dict:
    document: dict = {"title": exercise.title, "graded": exercise.graded,
                      "pass_mark": exercise.pass_mark}
    if exercise.time_limit_minutes is not None:
        document["time_limit_minutes"] = exercise.time_limit_minutes
    if exercise.max_attempts is not None:
        document["max_attempts"] = exercise.max_attempts
    document.update(grading_method=exercise.grading_method.value,
                    review=exercise.review.value, review_after=exercise.review_after.value)
    if exercise.scenario is not None:
        document["scenario"] = exercise.scenario
        if exercise.params:
            document["params"] = FlowMap(exercise.params)
    else:
        document["dataset"] = [FlowMap({"table": table.name, "label": table.label,
                                        "file": table.file}) for table in exercise.dataset]
    document["brief"] = exercise.brief
    document["tasks"] = [task_document(task) for task in exercise.tasks]
    return document


def task_document(task: TaskSpec) -> dict:
    document: dict = {"id": task.id, "type": task.type, "area": task.area.value,
                      "points": points_value(task.points), "prompt": task.prompt}
    fields = {"reference_sql": task.reference_sql, "options_sql": task.options_sql,
              **{key: task.spec.get(key) for key in SPEC_KEYS}}
    for key in TASK_TYPE_KEYS[task.type]:
        if fields.get(key) is not None:
            document[key] = fields[key]
    if task.hints:  # every cost written out, so the file reads the same without defaults
        document["hints"] = [{"text": hint.text, "cost_percent": hint.cost_percent}
                             for hint in task.hints]
    for key in ("builder_solution", "twin"):
        if getattr(task, key) is not None:
            document[key] = getattr(task, key)
    if task.explanation:
        document["explanation"] = task.explanation
    return document


def exercise_files(exercise: ExerciseSpec) -> dict[str, bytes]:
    """{exercises/<slug>.yaml: bytes, exercises/data/<file>: bytes…}."""
    files = {f"exercises/{exercise.slug}.yaml": dump_yaml(exercise_document(exercise))}
    for table in exercise.dataset:
        files[f"{DATASETS_DIR}/{table.file}"] = csv_bytes(table)
    return files


def exercise_hash(exercise: ExerciseSpec) -> str:
    return canonical_sha256({
        "format": HASH_FORMAT, "code": exercise.code,
        **{key: value for key, value in exercise_document(exercise).items()
           if key not in ("dataset", "tasks", "params")},
        "params": dict(exercise.params),
        "tasks": [task.as_dict() | {"points": format(task.points.normalize(), "f")}
                  for task in exercise.tasks],
        "dataset": exercise.dataset_tables(),
    })
