"""The summary steps: measures per group (optionally over the rows meeting conditions),
calculations from two measures, and filters on the groups (HAVING)."""

from dataclasses import dataclass

from app.domain.analysis.columns import MAX_NAME, NUMERIC, Column, check_name
from app.domain.analysis.conditions import GROUP_OPS, condition_sql
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import AnalysisModel, Measure

MEASURE_FUNCS = ("count", "count_distinct", "sum", "avg", "min", "max", "share")
CALCULATION_OPS = ("ratio", "percent", "difference")


@dataclass(frozen=True)
class Output:
    """One figure of a group: its name, SQL, kind and whether the result shows it."""

    name: str
    sql: str
    kind: str
    shown: bool = True


def _rows_meeting(columns: dict[str, Column], measure: Measure, field: str) -> str | None:
    if not measure.where:
        return None
    if measure.func == "share":
        raise AnalysisError("share_with_conditions", field=f"{field}-where-0-column")
    return " AND ".join(condition_sql(columns, rule, f"{field}-where-{i}")
                        for i, rule in enumerate(measure.where))


def measure_output(columns: dict[str, Column], measure: Measure, field: str) -> Output:
    """One measure, e.g. ``count(CASE WHEN "status" = '已超期' THEN 1 END)``."""
    if measure.func not in MEASURE_FUNCS:
        raise AnalysisError("unknown_func", field=f"{field}-func", func=measure.func)
    when = _rows_meeting(columns, measure, field)
    if measure.column is None:
        if measure.func not in ("count", "share"):
            raise AnalysisError("column_required", field=f"{field}-column", func=measure.func)
        rows = f"CASE WHEN {when} THEN 1 END" if when else "*"
        sql = (f"count({rows})" if measure.func == "count"
               else "round(100.0 * count(*) / sum(count(*)) OVER (), 2)")
        return Output(_name(measure, measure.func, field), sql, "INTEGER", measure.shown)
    column = columns.get(measure.column)
    if column is None:
        raise AnalysisError("unknown_column", field=f"{field}-column", column=measure.column)
    if measure.func in ("sum", "avg", "share") and column.kind not in NUMERIC:
        raise AnalysisError("not_numeric", field=f"{field}-column", column=column.name)
    x = column.sql if not when else f"CASE WHEN {when} THEN {column.sql} END"
    sql = {"count_distinct": f"count(DISTINCT {x})", "avg": f"round(avg({x}), 2)",
           "share": f"round(100.0 * sum({x}) / sum(sum({x})) OVER (), 2)",
           }.get(measure.func, f"{measure.func}({x})")
    kind = column.kind if measure.func in ("min", "max") else "REAL"
    return Output(_name(measure, f"{measure.func}_{column.name}", field), sql, kind,
                  measure.shown)


def _name(measure: Measure, default: str, field: str) -> str:
    if measure.name is None or not measure.name.strip():
        return default
    return check_name(measure.name, f"{field}-name")


def summary_outputs(columns: dict[str, Column], model: AnalysisModel) -> list[Output]:
    """Group columns, then measures, then calculations; every name used once."""
    outputs = []
    for i, name in enumerate(model.group_by):
        if name not in columns:
            raise AnalysisError("unknown_column", field=f"group-{i}", column=name)
        outputs.append(Output(name, columns[name].sql, columns[name].kind))
    measures = [measure_output(columns, m, f"measure-{i}") for i, m in enumerate(model.measures)]
    if not any(m.shown for m in measures):
        measures.append(Output("count", "count(*)", "INTEGER"))
    _add_unique(outputs, measures, "measure", "func")
    calculated = [_calculation(outputs, i, model) for i in range(len(model.calculations))]
    _add_unique(outputs, calculated, "calc", "name")
    return outputs


def _add_unique(outputs: list[Output], new: list[Output], kind: str, part: str) -> None:
    for i, output in enumerate(new):
        if any(output.name == other.name for other in outputs):
            field = "group" if kind == "group" else f"{kind}-{i}-{part}"
            raise AnalysisError("duplicate_output", field=field, column=output.name)
        outputs.append(output)


def _calculation(outputs: list[Output], i: int, model: AnalysisModel) -> Output:
    calc = model.calculations[i]
    field = f"calc-{i}"
    if calc.op not in CALCULATION_OPS:
        raise AnalysisError("unknown_op", field=f"{field}-op", op=calc.op)
    by_name = {o.name: o for o in outputs}
    sides = []
    for side, name in (("left", calc.left), ("right", calc.right)):
        output = by_name.get(name)
        if output is None or output.kind not in NUMERIC:
            raise AnalysisError("unknown_column", field=f"{field}-{side}", column=name)
        sides.append(output.sql)
    if isinstance(calc.digits, bool) or not isinstance(calc.digits, int) \
            or not 0 <= calc.digits <= 6:
        raise AnalysisError("bad_integer", field=f"{field}-digits", min=0, max=6)
    left, right = sides
    sql = {"ratio": f"round(1.0 * {left} / nullif({right}, 0), {calc.digits})",
           "percent": f"round(100.0 * {left} / nullif({right}, 0), {calc.digits})",
           "difference": f"round({left} - {right}, {calc.digits})"}[calc.op]
    return Output(check_name(calc.name, f"{field}-name"), sql, "REAL")


def having_lines(model: AnalysisModel, outputs: list[Output]) -> list[str]:
    """Filters on groups, on a group column, a measure or a calculation (by its SQL)."""
    targets = {o.name: Column(o.name, o.kind, o.sql, "output") for o in outputs}
    lines = []
    for i, rule in enumerate(model.having):
        if "OVER ()" in getattr(targets.get(rule.column), "sql", ""):
            # A share is known only once every group is: it cannot filter the groups.
            raise AnalysisError("having_on_share", field=f"having-{i}-column", column=rule.column)
        sql = condition_sql(targets, rule, f"having-{i}", ops=GROUP_OPS)
        lines.append(("HAVING " if i == 0 else "   AND ") + sql)
    return lines


__all__ = ["MAX_NAME", "Output", "having_lines", "measure_output", "summary_outputs"]
