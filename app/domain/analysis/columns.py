"""The columns a model's later steps may use: the main table's, the joined table's and the
derived ones, each with its type and the SQL that computes it in the ``data`` step.

Derived functions come from a short menu a cadre understands (DERIVED_FUNCS); each checks
the types it needs and writes plain SQLite. A derived column may use an earlier one: its
SQL is written in place, since one SELECT cannot use its own aliases.
"""

import re
from dataclasses import dataclass

from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import AnalysisModel, Derived, Schema
from app.domain.query_builder import (
    COMPARISONS,
    NUMERIC_TYPES,
    check_value,
    number_literal,
    quote_identifier,
    quote_text,
)

NUMERIC = NUMERIC_TYPES  # the table browser's rule: these kinds compare as numbers
MAX_NAME = 30
MAX_BUCKETS = 5
_BAD_NAME = re.compile(r'["\x00-\x1f\x7f]')

#: What each derived function needs: (first column kind, second column, number of values).
DERIVED_FUNCS = {
    "year": ("text", False, 0), "month": ("text", False, 0), "year_month": ("text", False, 0),
    "date": ("text", False, 0), "weekday": ("text", False, 0), "hour": ("text", False, 0),
    "days_between": ("text", True, 0), "hours_between": ("text", True, 0),
    "upper": ("text", False, 0), "lower": ("text", False, 0), "trim": ("text", False, 0),
    "replace": ("text", False, 2), "substr": ("text", False, 2), "length": ("text", False, 0),
    "round": ("number", False, 1), "ratio": ("number", True, 0),
    "bucket": ("any", False, None),  # (op, value, label) × 1..5, then the "else" label
}
COMPARE_OPS = COMPARISONS  # the same comparisons as the table browser's filter


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # INTEGER | REAL | TEXT
    sql: str  # the expression in the data step (a qualified column or a computation)
    origin: str  # "table", "joined" or "derived"


def literal(kind: str, value: str, field: str) -> str:
    """A value as an SQL literal of the column's kind (numbers checked as numbers)."""
    check_value(value, field)
    return number_literal(value, field) if kind in NUMERIC else quote_text(value)


def _table_columns(schema: Schema, table: str, field: str) -> list[tuple[str, str]]:
    if table not in schema:
        raise AnalysisError("unknown_table", field=field, table=table)
    return [(name, kind.upper()) for name, kind in schema[table]]


def base_columns(schema: Schema, model: AnalysisModel) -> dict[str, Column]:
    """The main table's columns, then the joined table's (renamed when a name is taken)."""
    qualify = model.join is not None
    table = quote_identifier(model.table)
    columns = {name: Column(name, kind, f"{table}.{quote_identifier(name)}" if qualify
                            else quote_identifier(name), "table")
               for name, kind in _table_columns(schema, model.table, "table")}
    if model.join is None:
        return columns
    join = model.join
    joined = dict(_table_columns(schema, join.table, "join-table"))
    if join.table == model.table:
        raise AnalysisError("join_same_table", field="join-table", table=join.table)
    if join.right not in joined:
        raise AnalysisError("unknown_column", field="join-right", column=join.right)
    other = quote_identifier(join.table)
    for name, kind in joined.items():
        if name == join.right:
            continue  # equal to the key already there
        shown = name if name not in columns else f"{join.table}_{name}"
        if shown in columns:
            raise AnalysisError("duplicate_name", field="join-table", column=shown)
        columns[shown] = Column(shown, kind, f"{other}.{quote_identifier(name)}", "joined")
    return columns


def derive_columns(columns: dict[str, Column], derived: tuple[Derived, ...]) -> dict[str, Column]:
    """The columns with the derived ones added, each checked where the cadre defined it."""
    columns = dict(columns)
    for i, spec in enumerate(derived):
        prefix = f"derive-{i}"
        name = check_name(spec.name, f"{prefix}-name")
        if name in columns:
            raise AnalysisError("duplicate_name", field=f"{prefix}-name", column=name)
        kind, sql = derived_sql(columns, spec, prefix)
        columns[name] = Column(name, kind, sql, "derived")
    return columns


def check_name(name: str, field: str) -> str:
    """A name a cadre gives a column or figure: up to MAX_NAME characters, no quotes."""
    name = name.strip()
    if not name or len(name) > MAX_NAME or _BAD_NAME.search(name):
        raise AnalysisError("bad_name", field=field, max=MAX_NAME)
    return name


def _input(columns: dict[str, Column], name: str | None, field: str, need: str) -> Column:
    column = columns.get(name or "")
    if column is None:
        raise AnalysisError("unknown_column", field=field, column=name or "")
    if need == "number" and column.kind not in NUMERIC:
        raise AnalysisError("not_numeric", field=field, column=column.name)
    if need == "text" and column.kind in NUMERIC:
        raise AnalysisError("not_text", field=field, column=column.name)
    return column


def _integer(value: str, field: str, low: int, high: int) -> int:
    text = value.strip()
    if not re.fullmatch(r"-?\d{1,4}", text) or not low <= int(text) <= high:
        raise AnalysisError("bad_integer", field=field, min=low, max=high)
    return int(text)


def derived_sql(columns: dict[str, Column], spec: Derived, prefix: str) -> tuple[str, str]:
    """(kind, SQL) of one derived column."""
    if spec.func not in DERIVED_FUNCS:
        raise AnalysisError("unknown_func", field=f"{prefix}-func", func=spec.func)
    need, two, values = DERIVED_FUNCS[spec.func]
    first = _input(columns, spec.column, f"{prefix}-column", need)
    second = _input(columns, spec.other, f"{prefix}-other", need) if two else None
    if values is not None and len(spec.args) != values:
        raise AnalysisError("bad_arguments", field=f"{prefix}-args", count=values)
    if spec.func == "bucket":
        return "TEXT", _bucket_sql(first, spec.args, prefix)
    return _computation(spec.func, first, second, spec.args, prefix)


#: Functions written from their inputs alone: (kind, SQL with {x} and {y} for the columns).
_TEMPLATES = {
    "year": ("INTEGER", "CAST(strftime('%Y', {x}) AS INTEGER)"),
    "month": ("INTEGER", "CAST(strftime('%m', {x}) AS INTEGER)"),
    "hour": ("INTEGER", "CAST(strftime('%H', {x}) AS INTEGER)"),
    "year_month": ("TEXT", "strftime('%Y-%m', {x})"),
    "date": ("TEXT", "date({x})"),
    # 1 Monday … 7 Sunday, as the Chinese week is counted (SQLite's %w starts on Sunday, 0).
    "weekday": ("INTEGER", "(CAST(strftime('%w', {x}) AS INTEGER) + 6) % 7 + 1"),
    "days_between": ("REAL", "julianday({y}) - julianday({x})"),
    "hours_between": ("REAL", "(julianday({y}) - julianday({x})) * 24"),
    "upper": ("TEXT", "upper({x})"), "lower": ("TEXT", "lower({x})"),
    "trim": ("TEXT", "trim({x})"), "length": ("INTEGER", "length({x})"),
    # No division by zero in SQL: the row's ratio is empty (the page counts such rows).
    "ratio": ("REAL", "round(1.0 * {x} / nullif({y}, 0), 4)"),
}


def _computation(func: str, first: Column, second: Column | None, args: tuple[str, ...],
                 prefix: str) -> tuple[str, str]:
    x = first.sql
    if func in _TEMPLATES:
        kind, template = _TEMPLATES[func]
        return kind, template.format(x=x, y=second.sql if second is not None else "")
    if func == "replace":
        check_value(args[0], f"{prefix}-arg-0")
        if len(args[1]) > 200:
            raise AnalysisError("value_too_long", field=f"{prefix}-arg-1", max=200)
        return "TEXT", f"replace({x}, {quote_text(args[0])}, {quote_text(args[1])})"
    if func == "substr":
        start = _integer(args[0], f"{prefix}-arg-0", 1, 1000)
        length = _integer(args[1], f"{prefix}-arg-1", 1, 1000)
        return "TEXT", f"substr({x}, {start}, {length})"
    return "REAL", f"round({x}, {_integer(args[0], f'{prefix}-arg-0', 0, 6)})"  # round


def _bucket_sql(column: Column, args: tuple[str, ...], prefix: str) -> str:
    """CASE WHEN column op value THEN 'label' … ELSE 'other' END, rules in order."""
    rules, rest = args[:-1], args[-1:] if args else ()
    if not rest or len(rules) % 3 or not 1 <= len(rules) // 3 <= MAX_BUCKETS:
        raise AnalysisError("bad_buckets", field=f"{prefix}-args", max=MAX_BUCKETS)
    lines = []
    for n in range(len(rules) // 3):
        op, value, label = rules[3 * n: 3 * n + 3]
        field = f"{prefix}-arg-{3 * n}"
        if op not in COMPARE_OPS:
            raise AnalysisError("unknown_op", field=field, op=op)
        check_value(label, f"{prefix}-arg-{3 * n + 2}")
        bound = literal(column.kind, value, f"{prefix}-arg-{3 * n + 1}")
        lines.append(f"WHEN {column.sql} {COMPARE_OPS[op]} {bound} THEN {quote_text(label)}")
    check_value(rest[0], f"{prefix}-arg-{len(rules)}")
    return f"CASE {' '.join(lines)} ELSE {quote_text(rest[0])} END"
