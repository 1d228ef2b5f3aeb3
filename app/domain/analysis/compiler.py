"""One readable SELECT for an analysis model, which the page shows and the sandbox runs.

With a join or derived columns the rows are first prepared in a ``data`` step (a WITH
clause) so that every later step names columns as the cadre sees them:

    WITH data AS (
      SELECT "incidents".*, "streets"."population"
      FROM "incidents"
      LEFT JOIN "streets" ON "streets"."street" = "incidents"."street"
    )
    SELECT "street", count(*) AS count
    FROM data
    WHERE …
    GROUP BY "street"
    HAVING count(*) >= 10
    ORDER BY count DESC
    LIMIT 10

Identifiers come only from the schema (double-quoted), values become checked literals, so
nothing typed can change the statement's shape.
"""

from dataclasses import replace

from app.domain.analysis.columns import NUMERIC, Column, base_columns, derive_columns
from app.domain.analysis.conditions import GROUP_OPS, condition_sql
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import (
    MAX_FILTERS,
    MAX_GROUPS,
    MAX_HAVING,
    MAX_LIMIT,
    MAX_MEASURES,
    MAX_SORT,
    AnalysisModel,
    Measure,
    Schema,
)
from app.domain.analysis.pivoting import pivot_select
from app.domain.query_builder import quote_identifier

MEASURE_FUNCS = ("count", "count_distinct", "sum", "avg", "min", "max", "share")


def model_columns(schema: Schema, model: AnalysisModel) -> dict[str, Column]:
    """Every column the model's filters, groups and listing may use."""
    return derive_columns(base_columns(schema, model), model.derived)


def measure_sql(columns: dict[str, Column], measure: Measure, field: str) -> tuple[str, str]:
    """(expression, output name) of one measure, e.g. ('round(avg("hours"), 2)', 'avg_hours')."""
    if measure.func not in MEASURE_FUNCS:
        raise AnalysisError("unknown_func", field=f"{field}-func", func=measure.func)
    if measure.column is None:
        if measure.func == "count":
            return "count(*)", "count"
        if measure.func == "share":
            return "round(100.0 * count(*) / sum(count(*)) OVER (), 2)", "share"
        raise AnalysisError("column_required", field=f"{field}-column", func=measure.func)
    column = columns.get(measure.column)
    if column is None:
        raise AnalysisError("unknown_column", field=f"{field}-column", column=measure.column)
    if measure.func in ("sum", "avg", "share") and column.kind not in NUMERIC:
        raise AnalysisError("not_numeric", field=f"{field}-column", column=column.name)
    x = quote_identifier(column.name)
    expression = {"count_distinct": f"count(DISTINCT {x})", "avg": f"round(avg({x}), 2)",
                  "share": f"round(100.0 * sum({x}) / sum(sum({x})) OVER (), 2)",
                  }.get(measure.func, f"{measure.func}({x})")
    return expression, f"{measure.func}_{column.name}"


def _alias(name: str) -> str:
    return name if name.isidentifier() and name.isascii() and name.islower() \
        else quote_identifier(name)


def _outputs(columns, model):
    """The summary's group columns and measures as (SQL, name) pairs, names unique."""
    for i, name in enumerate(model.group_by):
        if name not in columns:
            raise AnalysisError("unknown_column", field=f"group-{i}", column=name)
        if name in model.group_by[:i]:
            raise AnalysisError("duplicate_group", field=f"group-{i}", column=name)
    measures = [measure_sql(columns, m, f"measure-{i}") for i, m in enumerate(model.measures)]
    measures = measures or [("count(*)", "count")]
    names = list(model.group_by)
    for i, (_sql, name) in enumerate(measures):
        if name in names:
            raise AnalysisError("duplicate_output", field=f"measure-{i}-func", column=name)
        names.append(name)
    return measures


def _limits(model: AnalysisModel) -> None:
    counts = (("filter", model.filters, MAX_FILTERS), ("group", model.group_by, MAX_GROUPS),
              ("measure", model.measures, MAX_MEASURES), ("having", model.having, MAX_HAVING),
              ("sort", model.sort, MAX_SORT))
    for kind, items, most in counts:
        if len(items) > most:
            raise AnalysisError(f"too_many_{kind}s", field=f"{kind}-{most}", max=most)
    if isinstance(model.limit, bool) or not isinstance(model.limit, int) \
            or not 1 <= model.limit <= MAX_LIMIT:
        raise AnalysisError("bad_limit", field="limit", min=1, max=MAX_LIMIT)
    if model.pivot is not None and (model.group_by or model.measures or model.having):
        raise AnalysisError("pivot_alone", field="pivot-rows")
    if model.having and not model.summarises:
        raise AnalysisError("having_needs_groups", field="having-0-column")


def _data_step(model: AnalysisModel, columns: dict[str, Column]) -> list[str]:
    """The WITH clause preparing joined and derived columns, or nothing when not needed."""
    if model.join is None and not model.derived:
        return []
    table = quote_identifier(model.table)
    picks = [f"{table}.*"] if model.join is not None else ["*"]
    for column in columns.values():
        if column.origin == "table":
            continue
        name = quote_identifier(column.name)
        plain = column.origin == "joined" and column.sql.endswith("." + name)
        picks.append(column.sql if plain else f"{column.sql} AS {name}")
    lines = ["WITH data AS (", "  SELECT " + ",\n         ".join(picks), f"  FROM {table}"]
    if model.join is not None:
        join = model.join
        other = quote_identifier(join.table)
        kind = "LEFT JOIN" if join.keep_unmatched else "JOIN"
        lines.append(f"  {kind} {other} ON {other}.{quote_identifier(join.right)}"
                     f" = {table}.{quote_identifier(join.left)}")
    return [*lines, ")"]


def _plain(columns: dict[str, Column]) -> dict[str, Column]:
    """After the data step every column is read by its own name."""
    return {name: replace(column, sql=quote_identifier(name)) for name, column in columns.items()}


def _where(model: AnalysisModel, columns: dict[str, Column]) -> list[str]:
    conditions = [condition_sql(columns, rule, f"filter-{i}")
                  for i, rule in enumerate(model.filters)]
    return [("WHERE " if i == 0 else "  AND ") + sql for i, sql in enumerate(conditions)]


def _order(model: AnalysisModel, outputs: dict[str, str], default: list[str]) -> list[str]:
    terms = []
    for i, key in enumerate(model.sort):
        if key.column not in outputs:
            raise AnalysisError("unknown_order", field=f"sort-{i}", column=key.column)
        terms.append(f"{outputs[key.column]} {'DESC' if key.descending else 'ASC'}")
    terms = terms or default
    return [f"ORDER BY {', '.join(terms)}"] if terms else []


def compile_model(schema: Schema, model: AnalysisModel, *,
                  pivot_values: list | None = None) -> str:
    """The SELECT for the model; AnalysisError names the step and field at fault.

    A pivot needs the distinct values of its column first (``pivot_values``, read by the
    service with ``pivot_values_sql``); without them the pivot compiles with none."""
    _limits(model)
    columns = model_columns(schema, model)
    data = _data_step(model, columns)
    if data:
        columns = _plain(columns)
    source = "data" if data else quote_identifier(model.table)
    lines = [*data]
    where = _where(model, columns)
    if model.pivot is not None:
        select, group, order = pivot_select(columns, model.pivot, pivot_values or [])
        body = [select, f"FROM {source}", *where, group]
        outputs = {model.pivot.rows: quote_identifier(model.pivot.rows)}
        return "\n".join([*lines, *body, *_order(model, outputs, [order]),
                          f"LIMIT {model.limit}"])
    if not model.summarises:
        return "\n".join([*lines, *_listing(model, columns, source, where)])
    measures = _outputs(columns, model)
    groups = [quote_identifier(name) for name in model.group_by]
    picks = [*groups, *(f"{sql} AS {_alias(name)}" for sql, name in measures)]
    body = [f"SELECT {', '.join(picks)}", f"FROM {source}", *where]
    if groups:
        body.append(f"GROUP BY {', '.join(groups)}")
    having = _having(model, columns, dict((name, sql) for sql, name in measures))
    outputs = {name: quote_identifier(name) for name in model.group_by}
    outputs.update({name: _alias(name) for _sql, name in measures})
    default = [f"{_alias(measures[0][1])} DESC", *groups] if groups else []
    return "\n".join([*lines, *body, *having, *_order(model, outputs, default),
                      f"LIMIT {model.limit}"])


def _listing(model, columns, source, where) -> list[str]:
    for name in model.columns:
        if name not in columns:
            raise AnalysisError("unknown_column", field="columns", column=name)
    picks = ", ".join(quote_identifier(name) for name in model.columns) or "*"
    outputs = {name: quote_identifier(name) for name in columns}
    return [f"SELECT {picks}", f"FROM {source}", *where, *_order(model, outputs, []),
            f"LIMIT {model.limit}"]


def _having(model, columns, measures: dict[str, str]) -> list[str]:
    """Filters on groups: on a measure (by its expression) or a group column."""
    targets = {name: Column(name, columns[name].kind, quote_identifier(name), "group")
               for name in model.group_by}
    targets.update({name: Column(name, "REAL", sql, "measure") for name, sql in measures.items()})
    for i, rule in enumerate(model.having):
        if "OVER ()" in measures.get(rule.column, ""):  # a share is known after grouping only
            raise AnalysisError("having_on_share", field=f"having-{i}-column", column=rule.column)
    conditions = [condition_sql(targets, rule, f"having-{i}", ops=GROUP_OPS)
                  for i, rule in enumerate(model.having)]
    return [("HAVING " if i == 0 else "   AND ") + sql for i, sql in enumerate(conditions)]
