"""One readable SELECT for an analysis model, which the page shows and the sandbox runs.

With a join or derived columns the rows are first prepared in a ``data`` step, and with
"remove duplicates" reduced in a ``unique_rows`` step (WITH clauses), so that every later
step names columns as the cadre sees them:

    WITH data AS (
      SELECT "incidents".*,
             replace("incidents"."street", ' ', '') AS "街道"
      FROM "incidents"
    ),
    unique_rows AS (SELECT DISTINCT "id", "街道", "status" FROM data)
    SELECT "街道", count(*) AS count,
           count(CASE WHEN "status" = '已超期' THEN 1 END) AS "超期"
    FROM unique_rows
    GROUP BY "街道"
    ORDER BY count DESC, "街道"
    LIMIT 100

Identifiers come only from the schema (double-quoted), values become checked literals, so
nothing typed can change the statement's shape.
"""

from dataclasses import replace

from app.domain.analysis.columns import NUMERIC, Column, base_columns, derive_columns
from app.domain.analysis.conditions import condition_sql
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import (
    MAX_CALCULATIONS,
    MAX_FILTERS,
    MAX_GROUPS,
    MAX_HAVING,
    MAX_LIMIT,
    MAX_MEASURES,
    MAX_SORT,
    AnalysisModel,
    Schema,
)
from app.domain.analysis.pivoting import pivot_select
from app.domain.analysis.summary import having_lines, summary_outputs
from app.domain.query_builder import quote_identifier


def _prepared_columns(schema: Schema, model: AnalysisModel) -> dict[str, Column]:
    """The main, joined and derived columns, the join's key checked."""
    columns = derive_columns(base_columns(schema, model), model.derived)
    _join_key(schema, columns, model)
    return columns


def model_columns(schema: Schema, model: AnalysisModel) -> dict[str, Column]:
    """Every column the model's filters, groups and listing may use (after the data step
    and the removal of duplicates)."""
    return _kept(_prepared_columns(schema, model), model)


def _kept(columns: dict[str, Column], model: AnalysisModel) -> dict[str, Column]:
    if not model.distinct:
        return columns
    for name in model.distinct:
        if name not in columns:
            raise AnalysisError("unknown_column", field="distinct", column=name)
    return {name: columns[name] for name in dict.fromkeys(model.distinct)}


def _join_key(schema: Schema, columns: dict[str, Column], model: AnalysisModel) -> Column | None:
    """The main table's side of the join: a column of it, or a column derived from its
    columns only (e.g. a plate with its spaces removed)."""
    if model.join is None:
        return None
    left = columns.get(model.join.left)
    joined = quote_identifier(model.join.table) + "."
    if left is None or left.origin == "joined" or joined in left.sql:
        raise AnalysisError("unknown_column", field="join-left", column=model.join.left)
    right_kind = dict(schema[model.join.table])[model.join.right].upper()
    if (left.kind in NUMERIC) != (right_kind in NUMERIC):
        raise AnalysisError("join_types", field="join-right", left=model.join.left,
                            right=model.join.right)
    return left


def _limits(model: AnalysisModel) -> None:
    counts = (("filter", model.filters, MAX_FILTERS), ("group", model.group_by, MAX_GROUPS),
              ("measure", model.measures, MAX_MEASURES), ("having", model.having, MAX_HAVING),
              ("calc", model.calculations, MAX_CALCULATIONS), ("sort", model.sort, MAX_SORT))
    for kind, items, most in counts:
        if len(items) > most:
            raise AnalysisError(f"too_many_{kind}s", field=f"{kind}-{most}", max=most)
    if isinstance(model.limit, bool) or not isinstance(model.limit, int) \
            or not 1 <= model.limit <= MAX_LIMIT:
        raise AnalysisError("bad_limit", field="limit", min=1, max=MAX_LIMIT)
    if model.pivot is not None and (model.group_by or model.measures or model.having
                                    or model.calculations):
        raise AnalysisError("pivot_alone", field="pivot-rows")
    if (model.having or model.calculations) and not model.summarises:
        raise AnalysisError("having_needs_groups",
                            field="having-0-column" if model.having else "calc-0-left")


def _prepared(model: AnalysisModel, columns: dict[str, Column]) -> list[str]:
    """The WITH clause's data step (join, derived columns) and unique_rows step."""
    steps = []
    if model.join is not None or model.derived:
        steps.append(_data_step(model, columns))
    if model.distinct:
        source = "data" if steps else quote_identifier(model.table)
        names = ", ".join(quote_identifier(n) for n in dict.fromkeys(model.distinct))
        steps.append(f"unique_rows AS (SELECT DISTINCT {names} FROM {source})")  # noqa: S608
    return ["WITH " + ",\n".join(steps)] if steps else []


def _data_step(model: AnalysisModel, columns: dict[str, Column]) -> str:
    table = quote_identifier(model.table)
    picks = [f"{table}.*"] if model.join is not None else ["*"]
    for column in columns.values():
        if column.origin == "table":
            continue
        name = quote_identifier(column.name)
        plain = column.origin == "joined" and column.sql.endswith("." + name)
        picks.append(column.sql if plain else f"{column.sql} AS {name}")
    lines = ["data AS (", "  SELECT " + ",\n         ".join(picks), f"  FROM {table}"]
    if model.join is not None:
        join, left = model.join, columns[model.join.left]
        other = quote_identifier(join.table)
        kind = "LEFT JOIN" if join.keep_unmatched else "JOIN"
        lines.append(f"  {kind} {other} ON {other}.{quote_identifier(join.right)} = {left.sql}")
    return "\n".join([*lines, ")"])


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


def _alias(name: str) -> str:
    return name if name.isascii() and name.isidentifier() and name.islower() \
        else quote_identifier(name)


def compile_model(schema: Schema, model: AnalysisModel, *,
                  pivot_values: list | None = None) -> str:
    """The SELECT for the model; AnalysisError names the step and field at fault.

    A pivot needs the distinct values of its column first (``pivot_values``, read by the
    service); without them the pivot has only its total column."""
    _limits(model)
    prepared = _prepared_columns(schema, model)
    full = _kept(prepared, model)
    lines = _prepared(model, prepared)
    source = ("unique_rows" if model.distinct else "data" if lines
              else quote_identifier(model.table))
    columns = {n: replace(c, sql=quote_identifier(n)) for n, c in full.items()} if lines \
        else full
    where = _where(model, columns)
    if model.pivot is not None:
        select, group, order = pivot_select(columns, model.pivot, pivot_values or [])
        outputs = {model.pivot.rows: quote_identifier(model.pivot.rows)}
        return "\n".join([*lines, select, f"FROM {source}", *where, group,
                          *_order(model, outputs, [order]), f"LIMIT {model.limit}"])
    if not model.summarises:
        return "\n".join([*lines, *_listing(model, columns, source, where)])
    return "\n".join([*lines, *_summary(model, columns, source, where)])


def _summary(model, columns, source, where) -> list[str]:
    outputs = summary_outputs(columns, model)
    groups = [quote_identifier(name) for name in model.group_by]
    figures = [o for o in outputs[len(groups):] if o.shown]
    picks = [*groups, *(f"{o.sql} AS {_alias(o.name)}" for o in figures)]
    lines = ["SELECT " + ",\n       ".join(picks) if len(picks) > 3 else
             f"SELECT {', '.join(picks)}", f"FROM {source}", *where]
    if groups:
        lines.append(f"GROUP BY {', '.join(groups)}")
    lines += having_lines(model, outputs)
    order_by = {o.name: (_alias(o.name) if o.shown and o.name not in model.group_by
                         else o.sql) for o in outputs}
    default = [f"{_alias(figures[0].name)} DESC", *groups] if groups and figures else []
    return [*lines, *_order(model, order_by, default), f"LIMIT {model.limit}"]


def _listing(model, columns, source, where) -> list[str]:
    for name in model.columns:
        if name not in columns:
            raise AnalysisError("unknown_column", field="columns", column=name)
    picks = ", ".join(quote_identifier(name) for name in model.columns) or "*"
    outputs = {name: quote_identifier(name) for name in columns}
    return [f"SELECT {picks}", f"FROM {source}", *where, *_order(model, outputs, []),
            f"LIMIT {model.limit}"]
