"""The no-code analysis builder and the workspace's table browser, written as plain SQL.

Cadres who do not write SQL pick a table, filters, up to two group-by columns and
aggregates; this module turns the choice into ONE readable SELECT that the page shows
(so that they learn SQL from it) and the sandbox runs. Identifiers come only from the
variant's schema and are double-quoted; values are checked and written as literals
(numbers as numbers, text single-quoted with '' doubled), so nothing a learner types
can change the shape of the statement. Every refusal has a stable code and names the
form field to mark.
"""

import math
import re
from dataclasses import dataclass

from app.domain.scenarios.base import is_safe_identifier

Schema = dict[str, list[tuple[str, str]]]  # table -> [(column, "INTEGER" | "REAL" | "TEXT")]

OPS = ("eq", "ne", "gt", "ge", "lt", "le", "contains", "starts_with", "is_empty", "not_empty")
FUNCS = ("count", "count_distinct", "sum", "avg", "min", "max")
COMPARISONS = {"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}
EMPTINESS_OPS = ("is_empty", "not_empty")
NUMERIC_TYPES = frozenset({"INTEGER", "REAL"})
MAX_FILTERS, MAX_GROUPS, MAX_AGGREGATES = 8, 2, 6
MAX_LIMIT, DEFAULT_LIMIT, MAX_VALUE_CHARS = 1000, 100, 200
MAX_PER_PAGE, MAX_PAGE = 200, 1_000_000

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER = re.compile(r"[+-]?\d+")
_ROW_KEY = re.compile(r"(filter|group|agg)-(\d{1,3})(?:-[a-z]+)?")


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


@dataclass(frozen=True)
class Aggregate:
    func: str
    column: str | None  # None only for count, meaning count(*)


@dataclass(frozen=True)
class BuilderRequest:
    table: str
    filters: tuple[Filter, ...] = ()
    group_by: tuple[str, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    order_by: str | None = None  # an output column name
    descending: bool = True
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class _Fields:
    """The form field prefix of each filter, group and aggregate, to name in errors."""

    filters: tuple[str, ...]
    groups: tuple[str, ...]
    aggregates: tuple[str, ...]

    @classmethod
    def positional(cls, request: BuilderRequest) -> "_Fields":
        return cls(tuple(f"filter-{i}" for i in range(len(request.filters))),
                   tuple(f"group-{i}" for i in range(len(request.group_by))),
                   tuple(f"agg-{i}" for i in range(len(request.aggregates))))


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_text(value: str) -> str:
    """A text literal; in SQLite doubling the quote is the only escaping there is."""
    return "'" + value.replace("'", "''") + "'"


def _alias(name: str) -> str:
    """Output names stay unquoted when they can be, so the SQL reads as a person writes it."""
    return name if is_safe_identifier(name) else quote_identifier(name)


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


def _where(columns: dict[str, str], filters: tuple[Filter, ...], fields: _Fields) -> list[str]:
    if len(filters) > MAX_FILTERS:
        raise BuilderError("too_many_filters", field=f"{fields.filters[MAX_FILTERS]}-column",
                           max=MAX_FILTERS)
    return [_filter_sql(columns, rule, prefix)
            for rule, prefix in zip(filters, fields.filters, strict=True)]


def _where_lines(conditions: list[str]) -> list[str]:
    return [("WHERE " if i == 0 else "  AND ") + sql for i, sql in enumerate(conditions)]


def _groups(columns: dict[str, str], group_by: tuple[str, ...], fields: _Fields) -> list[str]:
    if len(group_by) > MAX_GROUPS:
        raise BuilderError("too_many_groups", field=fields.groups[MAX_GROUPS], max=MAX_GROUPS)
    for i, (name, field) in enumerate(zip(group_by, fields.groups, strict=True)):
        if name not in columns:
            raise BuilderError("unknown_column", field=field, column=name)
        if name in group_by[:i]:
            raise BuilderError("duplicate_group", field=field, column=name)
    return list(group_by)


def _aggregate_sql(columns: dict[str, str], agg: Aggregate, prefix: str) -> tuple[str, str]:
    """(expression, output name), e.g. ('round(avg("hours"), 2)', 'avg_hours')."""
    if agg.func not in FUNCS:
        raise BuilderError("unknown_func", field=f"{prefix}-func", func=agg.func)
    if agg.column is None:
        if agg.func != "count":
            raise BuilderError("column_required", field=f"{prefix}-column", func=agg.func)
        return "count(*)", "count"
    kind = columns.get(agg.column)
    if kind is None:
        raise BuilderError("unknown_column", field=f"{prefix}-column", column=agg.column)
    if agg.func in ("sum", "avg") and kind not in NUMERIC_TYPES:
        raise BuilderError("not_numeric", field=f"{prefix}-column", column=agg.column)
    column = quote_identifier(agg.column)
    expression = {"count_distinct": f"count(DISTINCT {column})",
                  "avg": f"round(avg({column}), 2)"}.get(agg.func, f"{agg.func}({column})")
    return expression, f"{agg.func}_{agg.column}"


def _aggregates(columns: dict[str, str], request: BuilderRequest, fields: _Fields,
                groups: list[str]) -> list[tuple[str, str]]:
    """The aggregates asked for; a bare group-by counts rows. Output names must differ."""
    if len(request.aggregates) > MAX_AGGREGATES:
        raise BuilderError("too_many_aggregates", max=MAX_AGGREGATES,
                           field=f"{fields.aggregates[MAX_AGGREGATES]}-func")
    picked = [_aggregate_sql(columns, agg, prefix)
              for agg, prefix in zip(request.aggregates, fields.aggregates, strict=True)]
    picked = picked or [("count(*)", "count")]
    names = [*groups, *(name for _expression, name in picked)]
    for i, name in enumerate(names[len(groups):]):
        if name in names[: len(groups) + i]:
            prefix = fields.aggregates[i] if fields.aggregates else "agg-0"
            raise BuilderError("duplicate_output", field=f"{prefix}-func", column=name)
    return picked


def _order(request: BuilderRequest, outputs: dict[str, str], default: str | None) -> str | None:
    """The ORDER BY term for the chosen output column, or the default one."""
    name = request.order_by if request.order_by is not None else default
    if name is None:
        return None
    if name not in outputs:
        raise BuilderError("unknown_order", field="order_by", column=name)
    return f"{outputs[name]} {'DESC' if request.descending else 'ASC'}"


def _check_range(number: object, top: int, code: str, field: str) -> None:
    """Whole numbers only (not True, not 2.0), from 1 to ``top``."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= top:
        raise BuilderError(code, field=field, min=1, max=top)


def _listing(request: BuilderRequest, columns: dict[str, str], where: list[str]) -> str:
    """No aggregates and no groups: the matching rows themselves."""
    order = _order(request, {name: quote_identifier(name) for name in columns}, None)
    lines = ["SELECT *", f"FROM {quote_identifier(request.table)}", *_where_lines(where)]
    if order:
        lines.append(f"ORDER BY {order}")
    return "\n".join([*lines, f"LIMIT {request.limit}"])


def _summary(request: BuilderRequest, columns: dict[str, str], where: list[str],
             fields: _Fields) -> str:
    """Aggregates, per group when there are groups; biggest first unless told otherwise."""
    groups = _groups(columns, request.group_by, fields)
    picked = _aggregates(columns, request, fields, groups)
    outputs = {name: quote_identifier(name) for name in groups}
    outputs.update({name: _alias(name) for _expression, name in picked})
    order = _order(request, outputs, picked[0][1])
    select = [quote_identifier(name) for name in groups]
    select += [f"{expression} AS {_alias(name)}" for expression, name in picked]
    lines = [f"SELECT {', '.join(select)}", f"FROM {quote_identifier(request.table)}",
             *_where_lines(where)]
    if not groups:
        return "\n".join(lines)  # one row: nothing to order or limit
    ties = [quote_identifier(name) for name in groups if name != request.order_by]
    lines += [f"GROUP BY {', '.join(quote_identifier(name) for name in groups)}",
              f"ORDER BY {', '.join(filter(None, [order, *ties]))}", f"LIMIT {request.limit}"]
    return "\n".join(lines)


def _build(schema: Schema, request: BuilderRequest, fields: _Fields) -> str:
    columns = _columns(schema, request.table)
    where = _where(columns, tuple(request.filters), fields)
    _check_range(request.limit, MAX_LIMIT, "bad_limit", "limit")
    if not request.group_by and not request.aggregates:
        return _listing(request, columns, where)
    return _summary(request, columns, where, fields)


def build_query(schema: Schema, request: BuilderRequest) -> str:
    """The one SELECT for a builder request; BuilderError names the position at fault."""
    return _build(schema, request, _Fields.positional(request))


def _one(form: dict[str, list[str]], key: str) -> str:
    values = form.get(key) or [""]
    return values if isinstance(values, str) else values[0]


def _indexes(form: dict[str, list[str]], kind: str) -> list[int]:
    """Row numbers used in the form, in order; rows the page removed leave gaps."""
    found = {int(match[2]) for key in form if (match := _ROW_KEY.fullmatch(key))
             and match[1] == kind}
    return sorted(found)


def _form_filters(form: dict[str, list[str]]) -> tuple[list[Filter], list[str]]:
    filters, prefixes = [], []
    for i in _indexes(form, "filter"):
        column = _one(form, f"filter-{i}-column").strip()
        if column:
            op = _one(form, f"filter-{i}-op").strip()
            value = "" if op in EMPTINESS_OPS else _one(form, f"filter-{i}-value")
            filters.append(Filter(column, op, value))
            prefixes.append(f"filter-{i}")
    return filters, prefixes


def _form_aggregates(form: dict[str, list[str]]) -> tuple[list[Aggregate], list[str]]:
    aggregates, prefixes = [], []
    for i in _indexes(form, "agg"):
        func = _one(form, f"agg-{i}-func").strip()
        column = _one(form, f"agg-{i}-column").strip()
        if func or column not in ("", "*"):
            aggregates.append(Aggregate(func, None if column in ("", "*") else column))
            prefixes.append(f"agg-{i}")
    return aggregates, prefixes


def _form_order(form: dict[str, list[str]]) -> bool:
    order = _one(form, "order").strip().lower()
    if order not in ("", "desc", "asc"):
        raise BuilderError("bad_order", field="order", order=order)
    return order != "asc"


def _form_limit(form: dict[str, list[str]]) -> int:
    text = _one(form, "limit").strip()
    if not text:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"\d{1,7}", text):
        raise BuilderError("bad_limit", field="limit", min=1, max=MAX_LIMIT)
    return int(text)


def parse_builder_form(schema: Schema, form: dict[str, list[str]]) -> BuilderRequest:
    """A checked request from the builder form; errors name the form's own field."""
    filters, filter_fields = _form_filters(form)
    aggregates, agg_fields = _form_aggregates(form)
    group_fields = [f"group-{i}" for i in _indexes(form, "group")
                    if _one(form, f"group-{i}").strip()]
    request = BuilderRequest(
        table=_one(form, "table").strip(), filters=tuple(filters),
        group_by=tuple(_one(form, field).strip() for field in group_fields),
        aggregates=tuple(aggregates), order_by=_one(form, "order_by").strip() or None,
        descending=_form_order(form), limit=_form_limit(form))
    _build(schema, request, _Fields(tuple(filter_fields), tuple(group_fields),
                                    tuple(agg_fields)))
    return request


def build_browse_queries(schema: Schema, table: str, filters: tuple[Filter, ...],
                         sort: str | None, descending: bool, page: int,
                         per_page: int) -> tuple[str, str]:
    """(one page of rows, the count of all matching rows) for the workspace's table view.

    Rows are ordered by the sort column and then by rowid, so that pages never
    overlap or skip rows when sort values repeat.
    """
    columns = _columns(schema, table)
    request = BuilderRequest(table, filters=tuple(filters))
    where = _where(columns, request.filters, _Fields.positional(request))
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
