"""A model's steps in order, each with what it does (kind and params, put into words by
the page) and the SQL fragment it produced, so a cadre reads the query step by step.

Fragments come from the same functions the compiler uses, so they are what the whole SQL
contains; ``describe_steps`` is called only for a model that compiled.
"""

from dataclasses import dataclass, field

from app.domain.analysis.columns import base_columns, derive_columns
from app.domain.analysis.compiler import model_columns
from app.domain.analysis.conditions import condition_sql
from app.domain.analysis.model import AnalysisModel, Schema
from app.domain.analysis.summary import having_lines, summary_outputs
from app.domain.query_builder import quote_identifier


@dataclass(frozen=True)
class Step:
    kind: str  # table, join, derive, distinct, filter, columns, group, calc, having, pivot,
    #            sort, limit
    params: dict = field(default_factory=dict)
    sql: str = ""


def _label(labels: dict[str, str], name: str) -> str:
    return labels.get(name, name)


def _prepare_steps(schema: Schema, model: AnalysisModel, labels: dict[str, str]) -> list[Step]:
    steps = [Step("table", {"table": model.table}, f"FROM {quote_identifier(model.table)}")]
    columns = derive_columns(base_columns(schema, model), model.derived)
    if model.join is not None:
        join = model.join
        other = quote_identifier(join.table)
        kind = "LEFT JOIN" if join.keep_unmatched else "JOIN"
        steps.append(Step("join", {"table": join.table, "left": _label(labels, join.left),
                                   "right": _label(labels, join.right),
                                   "keep": join.keep_unmatched},
                          f"{kind} {other} ON {other}.{quote_identifier(join.right)} = "
                          f"{columns[join.left].sql}"))
    for spec in model.derived:
        name = spec.name.strip()
        steps.append(Step("derive", {
            "name": name, "func": spec.func, "column": _label(labels, spec.column),
            "other": _label(labels, spec.other or ""), "args": list(spec.args)},
            f"{columns[name].sql} AS {quote_identifier(name)}"))
    if model.distinct:
        names = ", ".join(quote_identifier(n) for n in dict.fromkeys(model.distinct))
        steps.append(Step("distinct", {"columns": [_label(labels, n) for n in model.distinct]},
                          f"SELECT DISTINCT {names}"))
    return steps


def _condition_params(rule, labels: dict[str, str]) -> dict:
    return {"column": _label(labels, rule.column), "op": rule.op, "value": rule.value,
            "value2": rule.value2, "other": _label(labels, rule.other or "")}


def describe_steps(schema: Schema, model: AnalysisModel,
                   labels: dict[str, str]) -> list[Step]:
    """The steps of a model that compiles; ``labels`` names columns as the page does."""
    steps = _prepare_steps(schema, model, labels)
    columns = model_columns(schema, model)
    if model.join is not None or model.derived or model.distinct:
        columns = {n: type(c)(c.name, c.kind, quote_identifier(n), c.origin)
                   for n, c in columns.items()}
    for rule in model.filters:
        steps.append(Step("filter", _condition_params(rule, labels),
                          condition_sql(columns, rule, "filter")))
    if model.pivot is not None:
        pivot = model.pivot
        steps.append(Step("pivot", {"rows": _label(labels, pivot.rows),
                                    "columns": _label(labels, pivot.columns),
                                    "func": pivot.measure.func,
                                    "column": _label(labels, pivot.measure.column or "")},
                          f"GROUP BY {quote_identifier(pivot.rows)}"))
    elif model.summarises:
        steps += _summary_steps(columns, model, labels)
    elif model.columns:
        steps.append(Step("columns", {"columns": [_label(labels, n) for n in model.columns]},
                          "SELECT " + ", ".join(quote_identifier(n) for n in model.columns)))
    for key in model.sort:
        steps.append(Step("sort", {"column": _label(labels, key.column),
                                   "descending": key.descending},
                          f"ORDER BY {quote_identifier(key.column)} "
                          f"{'DESC' if key.descending else 'ASC'}"))
    steps.append(Step("limit", {"limit": model.limit}, f"LIMIT {model.limit}"))
    return steps


def _summary_steps(columns, model: AnalysisModel, labels: dict[str, str]) -> list[Step]:
    outputs = summary_outputs(columns, model)
    groups = len(model.group_by)
    measures = outputs[groups:groups + max(len(model.measures), 1)]
    picks = [f"{o.sql} AS {quote_identifier(o.name)}" for o in measures]
    group_sql = "GROUP BY " + ", ".join(quote_identifier(g) for g in model.group_by)
    steps = [Step("group", {"groups": [_label(labels, g) for g in model.group_by],
                            "measures": [o.name for o in measures if o.shown],
                            "hidden": [o.name for o in measures if not o.shown]},
                  "\n".join(["SELECT " + ", ".join(picks),
                             *([group_sql] if model.group_by else [])]))]
    by_name = {o.name: o for o in outputs}
    for calc in model.calculations:
        name = calc.name.strip()
        steps.append(Step("calc", {"name": name, "op": calc.op, "left": calc.left,
                                   "right": calc.right, "digits": calc.digits},
                          f"{by_name[name].sql} AS {quote_identifier(name)}"))
    for rule, line in zip(model.having, having_lines(model, outputs), strict=True):
        steps.append(Step("having", _condition_params(rule, labels), line.strip()))
    return steps
