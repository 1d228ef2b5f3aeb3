"""Filters on rows (WHERE) and on groups (HAVING) as SQL conditions.

A column is compared with a value, with two values (between), with a list (in), with
nothing (is empty) or with another column of a compatible type. Values become literals of
the column's type; contains and starts with avoid LIKE so that % and _ match themselves.
"""

import re

from app.domain.analysis.columns import COMPARE_OPS, NUMERIC, Column, literal
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import Condition
from app.domain.query_builder import check_value, emptiness_sql, quote_text

ROW_OPS = (*COMPARE_OPS, "contains", "starts_with", "is_empty", "not_empty", "in", "between")
GROUP_OPS = (*COMPARE_OPS, "between")
MAX_LIST = 50
_LIST_SEPARATORS = re.compile(r"[,，、;；\n]")


def list_values(text: str) -> list[str]:
    """The items of an "in" list as typed: separated by commas, 、, semicolons or lines."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def condition_sql(columns: dict[str, Column], rule: Condition, prefix: str, *,
                  ops: tuple[str, ...] = ROW_OPS) -> str:
    column = columns.get(rule.column)
    if column is None:
        raise AnalysisError("unknown_column", field=f"{prefix}-column", column=rule.column)
    if rule.op not in ops:
        raise AnalysisError("unknown_op", field=f"{prefix}-op", op=rule.op)
    x = column.sql
    if rule.op in ("is_empty", "not_empty"):
        return emptiness_sql(x, column.kind, rule.op == "is_empty")
    if rule.op in COMPARE_OPS:
        return f"{x} {COMPARE_OPS[rule.op]} {_right_side(columns, column, rule, prefix)}"
    if rule.op == "between":
        low = literal(column.kind, rule.value, f"{prefix}-value")
        high = literal(column.kind, rule.value2, f"{prefix}-value2")
        return f"{x} BETWEEN {low} AND {high}"
    if rule.op == "in":
        items = list_values(rule.value)
        if not items or len(items) > MAX_LIST:
            raise AnalysisError("bad_list", field=f"{prefix}-value", max=MAX_LIST)
        values = ", ".join(literal(column.kind, item, f"{prefix}-value") for item in items)
        return f"{x} IN ({values})"
    check_value(rule.value, f"{prefix}-value")
    text = quote_text(rule.value)
    if rule.op == "contains":
        return f"instr({x}, {text}) > 0"
    return f"substr({x}, 1, length({text})) = {text}"


def _right_side(columns: dict[str, Column], column: Column, rule: Condition, prefix: str) -> str:
    """What a comparison compares with: another column of a like type, or a value."""
    if rule.other is None:
        return literal(column.kind, rule.value, f"{prefix}-value")
    other = columns.get(rule.other)
    if other is None:
        raise AnalysisError("unknown_column", field=f"{prefix}-other", column=rule.other)
    if (other.kind in NUMERIC) != (column.kind in NUMERIC):
        raise AnalysisError("compare_types", field=f"{prefix}-other", left=column.name,
                            right=other.name)
    return other.sql
