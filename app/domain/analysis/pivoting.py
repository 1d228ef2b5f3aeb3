"""The pivot (cross table): one row per value of ``rows``, one column per value of
``columns``, each cell the measure of the rows having both values.

SQLite has no PIVOT, so each output column is a conditional aggregate:
``count(CASE WHEN "status" = '已超期' THEN 1 END) AS "已超期"``. The values come from the
data first (the service runs pivot_values_sql); more than MAX_PIVOT_COLUMNS is refused
with the count, so a pivot over ten thousand ids gets a message, not a 10,000-column table.
"""

from app.domain.analysis.columns import NUMERIC, Column
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import Pivot
from app.domain.query_builder import number_literal, quote_identifier, quote_text

MAX_PIVOT_COLUMNS = 30
EMPTY_LABEL = "(空)"
TOTAL_LABEL = "合计"


def _value_literal(column: Column, value) -> str:
    if column.kind in NUMERIC and isinstance(value, int | float) and not isinstance(value, bool):
        return number_literal(repr(value) if isinstance(value, float) else str(value), "pivot")
    return quote_text(str(value))


def _cell(pivot: Pivot, columns: dict[str, Column], when: str) -> str:
    measure = pivot.measure
    if measure.func == "count" and measure.column is None:
        return f"count(CASE WHEN {when} THEN 1 END)"
    column = columns.get(measure.column or "")
    if column is None:
        raise AnalysisError("unknown_column", field="pivot-column", column=measure.column or "")
    if measure.func in ("sum", "avg") and column.kind not in NUMERIC:
        raise AnalysisError("not_numeric", field="pivot-column", column=column.name)
    value = f"CASE WHEN {when} THEN {column.sql} END"
    if measure.func == "count_distinct":
        return f"count(DISTINCT {value})"
    if measure.func == "avg":
        return f"round(avg({value}), 2)"
    if measure.func in ("count", "sum", "min", "max"):
        return f"{measure.func}({value})"
    raise AnalysisError("unknown_func", field="pivot-func", func=measure.func)


def _total(pivot: Pivot, columns: dict[str, Column]) -> str:
    """The row's measure over all its values (the last column)."""
    measure = pivot.measure
    if measure.column is None:
        return "count(*)"
    x = columns[measure.column].sql
    return {"count_distinct": f"count(DISTINCT {x})", "avg": f"round(avg({x}), 2)"}.get(
        measure.func, f"{measure.func}({x})")


def pivot_select(columns: dict[str, Column], pivot: Pivot, values: list
                 ) -> tuple[str, str, str]:
    """(SELECT line, GROUP BY line, default ORDER BY term) of the pivot."""
    for field, name in (("pivot-rows", pivot.rows), ("pivot-columns", pivot.columns)):
        if name not in columns:
            raise AnalysisError("unknown_column", field=field, column=name)
    if pivot.rows == pivot.columns:
        raise AnalysisError("pivot_same_column", field="pivot-columns", column=pivot.rows)
    if len(values) > MAX_PIVOT_COLUMNS:
        raise AnalysisError("pivot_too_wide", field="pivot-columns", column=pivot.columns,
                            count=len(values), max=MAX_PIVOT_COLUMNS)
    across = columns[pivot.columns]
    rows = quote_identifier(pivot.rows)
    cells, names = [], {pivot.rows}
    for value in values:
        when = (f"{across.sql} IS NULL" if value is None
                else f"{across.sql} = {_value_literal(across, value)}")
        name = EMPTY_LABEL if value is None else str(value)
        if name in names:
            continue  # 1 and 1.0, or a value equal to the rows column's name
        names.add(name)
        cells.append(f"{_cell(pivot, columns, when)} AS {quote_identifier(name)}")
    total = _total(pivot, columns)
    cells.append(f"{total} AS {quote_identifier(TOTAL_LABEL)}")
    return (f"SELECT {rows}, {', '.join(cells)}", f"GROUP BY {rows}", f"{rows} ASC")


def pivot_values_sql(source: str, where: list[str], column: Column) -> str:
    """The distinct values of the pivot's column, one more than allowed (to notice)."""
    return "\n".join([f"SELECT DISTINCT {column.sql}", f"FROM {source}", *where,
                      f"ORDER BY 1 LIMIT {MAX_PIVOT_COLUMNS + 1}"])
