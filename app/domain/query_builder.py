"""The workspace's table browser written as plain SQL, and the literal helpers the
analysis builder (app/domain/analysis) shares with it.

Identifiers come only from the variant's schema and are double-quoted; values are
checked and written as literals (numbers as numbers, text single-quoted with '' doubled),
so nothing a learner types can change the shape of the statement. Every refusal has a
stable code and names the form field to mark.
"""

import math
import re
from dataclasses import dataclass

Schema = dict[str, list[tuple[str, str]]]  # table -> [(column, "INTEGER" | "REAL" | "TEXT")]

OPS = ("eq", "ne", "gt", "ge", "lt", "le", "contains", "starts_with", "is_empty", "not_empty")
COMPARISONS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
EMPTINESS_OPS = ("is_empty", "not_empty")
NUMERIC_TYPES = frozenset({"INTEGER", "REAL"})
MAX_FILTERS, MAX_VALUE_CHARS = 8, 200
MAX_PER_PAGE, MAX_PAGE = 200, 1_000_000

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")


class BuilderError(ValueError):
    """A choice the builder refuses: a stable ``code``, the form ``field`` and details."""

    def __init__(self, code: str, *, field: str = "", **params: object):
        super().__init__(f"{code} ({field})" if field else code)
        self.code = code
        self.field = field
        self.params = params


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: str = ""


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_text(value: str) -> str:
    """A text literal; in SQLite doubling the quote is the only escaping there is."""
    return "'" + value.replace("'", "''") + "'"


def _columns(schema: Schema, table: str) -> dict[str, str]:
    if table not in schema:
        raise BuilderError("unknown_table", field="table", table=table)
    return {name: kind.upper() for name, kind in schema[table]}


def number_literal(text: str, field: str) -> str:
    """A number as SQL writes it; refuses anything else (also inf, nan, hex, 1_000)."""
    text = text.strip()
    if _INTEGER.fullmatch(text):
        return str(int(text))
    if not _NUMBER.fullmatch(text) or not math.isfinite(float(text)):
        raise BuilderError("not_a_number", field=field, value=text)
    return repr(float(text))


def check_value(value: str, field: str) -> None:
    if value == "":
        raise BuilderError("value_required", field=field)
    if len(value) > MAX_VALUE_CHARS:
        raise BuilderError("value_too_long", field=field, max=MAX_VALUE_CHARS)
    try:
        value.encode("utf-8")  # lone surrogates cannot be, and the sandbox refuses them
    except UnicodeEncodeError:
        raise BuilderError("bad_character", field=field) from None
    if "\x00" in value:  # SQLite would end the text there
        raise BuilderError("bad_character", field=field)


def emptiness_sql(column: str, kind: str, empty: bool) -> str:
    """Empty means NULL, or for text also blank: what a person means by "not filled in"."""
    if kind in NUMERIC_TYPES:
        return f"{column} IS NULL" if empty else f"{column} IS NOT NULL"
    if empty:
        return f"({column} IS NULL OR trim({column}) = '')"
    return f"({column} IS NOT NULL AND trim({column}) <> '')"


def _filter_sql(columns: dict[str, str], rule: Filter, prefix: str) -> str:
    """One condition. contains/starts_with avoid LIKE so that % and _ match themselves."""
    kind = columns.get(rule.column)
    if kind is None:
        raise BuilderError("unknown_column", field=f"{prefix}-column", column=rule.column)
    if rule.op not in OPS:
        raise BuilderError("unknown_op", field=f"{prefix}-op", op=rule.op)
    column = quote_identifier(rule.column)
    if rule.op in EMPTINESS_OPS:
        return emptiness_sql(column, kind, rule.op == "is_empty")
    check_value(rule.value, f"{prefix}-value")
    if rule.op in COMPARISONS:
        literal = (number_literal(rule.value, f"{prefix}-value") if kind in NUMERIC_TYPES
                   else quote_text(rule.value))
        return f"{column} {COMPARISONS[rule.op]} {literal}"
    text = quote_text(rule.value)
    if rule.op == "contains":
        return f"instr({column}, {text}) > 0"
    return f"substr({column}, 1, length({text})) = {text}"


def _check_range(number: object, top: int, code: str, field: str) -> None:
    """Whole numbers only (not True, not 2.0), from 1 to ``top``."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= top:
        raise BuilderError(code, field=field, min=1, max=top)


def build_browse_queries(schema: Schema, table: str, filters: tuple[Filter, ...],
                         sort: str | None, descending: bool, page: int,
                         per_page: int) -> tuple[str, str]:
    """(one page of rows, the count of all matching rows) for the workspace's table view.

    Rows are ordered by the sort column and then by rowid, so that pages never
    overlap or skip rows when sort values repeat.
    """
    columns = _columns(schema, table)
    if len(filters) > MAX_FILTERS:
        raise BuilderError("too_many_filters", field=f"filter-{MAX_FILTERS}-column",
                           max=MAX_FILTERS)
    where = [_filter_sql(columns, rule, f"filter-{i}") for i, rule in enumerate(filters)]
    if sort is not None and sort not in columns:
        raise BuilderError("unknown_column", field="sort", column=sort)
    _check_range(page, MAX_PAGE, "bad_page", "page")
    _check_range(per_page, MAX_PER_PAGE, "bad_per_page", "per_page")
    rowid = next((name for name in ("rowid", "_rowid_", "oid") if name not in columns), "rowid")
    order = f"{quote_identifier(sort)} {'DESC' if descending else 'ASC'}, " if sort else ""
    source = f"FROM {quote_identifier(table)}" + (f" WHERE {' AND '.join(where)}" if where else "")
    rows = (f"SELECT * {source} ORDER BY {order}{rowid} "
            f"LIMIT {per_page} OFFSET {(page - 1) * per_page}")
    return rows, f"SELECT count(*) {source}"
