"""Data-exercise task types behind one registry (numeric, choice, sql, rows, columns)."""

from decimal import ROUND_HALF_UP, Decimal

from app.domain.exercise_tasks.base import TaskAnswerError, TaskType, f_score
from app.domain.exercise_tasks.results import rows_match
from app.domain.exercise_tasks.types import CHOICE, COLUMNS, NUMERIC, ROWS, SQL

TASK_TYPES: dict[str, TaskType] = {t.name: t for t in (NUMERIC, CHOICE, SQL, ROWS, COLUMNS)}

__all__ = ["TASK_TYPES", "TaskAnswerError", "TaskType", "check_task", "check_task_exactly",
           "f_score", "rows_match", "task_type", "validate_task_spec"]


def task_type(name: str) -> TaskType:
    try:
        return TASK_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown task type {name!r}; known: {', '.join(TASK_TYPES)}") from None


def validate_task_spec(type_name: str, spec: dict) -> list[str]:
    if type_name not in TASK_TYPES:
        return [f"unknown task type {type_name!r}; known: {', '.join(TASK_TYPES)}"]
    return TASK_TYPES[type_name].validate(spec)


def check_task(type_name: str, spec: dict, expected, answer, points) -> Decimal:
    """Points earned, clamped to [0, points] and rounded to cents."""
    return check_task_exactly(type_name, spec, expected, answer, points).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_task_exactly(type_name: str, spec: dict, expected, answer, points) -> Decimal:
    """Points earned, clamped to [0, points], unrounded (for an attempt's total)."""
    fraction = min(max(task_type(type_name).check(spec, expected, answer), Decimal(0)),
                   Decimal(1))
    return fraction * Decimal(points)
