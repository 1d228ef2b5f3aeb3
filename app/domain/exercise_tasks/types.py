"""The five task types: numeric, choice from the data, SQL, row selection, column selection."""

import math
import re
from decimal import Decimal

from app.domain.exercise_tasks.base import (
    TaskAnswerError,
    TaskType,
    f_score,
    one_value,
    sorted_ids,
)
from app.domain.exercise_tasks.results import rows_match
from app.domain.grading.normalize import normalize_text, parse_number

MAX_SQL_CHARS = 20_000
MAX_SELECTED = 5_000


def _tolerance_problems(spec: dict) -> list[str]:
    problems = []
    for name in ("tolerance", "tolerance_percent"):
        value = spec.get(name)
        if value is not None and not (isinstance(value, int | float) and value >= 0):
            problems.append(f"{name} must be a number ≥ 0")
    return problems


# --- numeric -----------------------------------------------------------------------------

def _parse_numeric(spec, raw):
    value = one_value(raw)
    if not value:
        return None
    try:
        return parse_number(value, spec.get("unit"))
    except ValueError:
        raise TaskAnswerError("not_a_number", f"{value!r} is not a number", value=value) from None


def _check_numeric(spec, expected, answer) -> Decimal:
    if answer is None or expected is None:
        return Decimal(0)
    if spec.get("tolerance_percent") is not None:
        allowed = abs(expected) * spec["tolerance_percent"] / 100
    else:
        allowed = spec.get("tolerance") or 0
    slack = allowed + 1e-9 * max(1.0, abs(expected))
    return Decimal(int(math.isfinite(answer) and abs(answer - expected) <= slack))


NUMERIC = TaskType("numeric", _tolerance_problems, _parse_numeric, _check_numeric)


# --- choice whose options come from the data --------------------------------------------------

def _check_choice(spec, expected, answer) -> Decimal:
    if answer is None:
        return Decimal(0)
    return Decimal(int(normalize_text(str(answer)) == normalize_text(str(expected))))


CHOICE = TaskType("choice", lambda spec: [], lambda spec, raw: one_value(raw) or None,
                  _check_choice)


# --- SQL query ---------------------------------------------------------------------------------

def _parse_sql(spec, raw):
    text = one_value(raw)
    if len(text) > MAX_SQL_CHARS:
        raise TaskAnswerError("too_long", "query too long", limit=MAX_SQL_CHARS)
    return text or None


def _check_sql(spec, expected, actual) -> Decimal:
    """``expected`` and ``actual`` map "primary" and "hidden" to lists of rows (or None)."""
    if not actual:
        return Decimal(0)
    tolerance = spec.get("tolerance") or 0.0
    ordered = bool(spec.get("ordered"))
    for variant in ("primary", "hidden"):
        if actual.get(variant) is None or not rows_match(
                expected[variant], actual[variant], ordered=ordered, tolerance=tolerance):
            return Decimal(0)
    return Decimal(1)


SQL = TaskType("sql", _tolerance_problems, _parse_sql, _check_sql)


# --- row and column selection --------------------------------------------------------------------

#: Ids typed or pasted into a box may be separated by spaces, new lines, commas or 、；
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _parse_selection(spec, raw):
    chosen = sorted_ids(part for value in raw.get("value", []) for part in _SEPARATORS.split(value)
                        if part)
    if len(chosen) > MAX_SELECTED:
        raise TaskAnswerError("too_many", "too many items selected", limit=MAX_SELECTED)
    return chosen


def _check_selection(spec, expected, answer) -> Decimal:
    return f_score({str(e) for e in expected or []}, {str(a) for a in answer or []})


ROWS = TaskType("rows", lambda spec: [], _parse_selection, _check_selection)
COLUMNS = TaskType("columns", lambda spec: [], _parse_selection, _check_selection)
