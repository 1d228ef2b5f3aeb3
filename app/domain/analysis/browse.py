"""The workspace's table view: one page of a table's rows, filtered and sorted, and the
count of all matching rows. Its filters are the analysis builder's row filters."""

from dataclasses import dataclass

from app.domain.analysis.columns import Column
from app.domain.analysis.conditions import condition_sql
from app.domain.analysis.model import Condition, Schema
from app.domain.query_builder import BuilderError, quote_identifier

#: The table view offers the simple comparisons (the builder has more).
OPS = ("eq", "ne", "gt", "ge", "lt", "le", "contains", "starts_with", "is_empty", "not_empty")
MAX_FILTERS, MAX_PER_PAGE, MAX_PAGE = 8, 200, 1_000_000


@dataclass(frozen=True)
class Filter:
    column: str
    op: str
    value: str = ""


def _check_range(number: object, top: int, code: str, field: str) -> None:
    """Whole numbers only (not True, not 2.0), from 1 to ``top``."""
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= top:
        raise BuilderError(code, field=field, min=1, max=top)


def build_browse_queries(schema: Schema, table: str, filters: tuple[Filter, ...],
                         sort: str | None, descending: bool, page: int,
                         per_page: int) -> tuple[str, str]:
    """(one page of rows, the count of all matching rows).

    Rows are ordered by the sort column and then by rowid, so that pages never
    overlap or skip rows when sort values repeat.
    """
    if table not in schema:
        raise BuilderError("unknown_table", field="table", table=table)
    columns = {name: Column(name, kind.upper(), quote_identifier(name), "table")
               for name, kind in schema[table]}
    if len(filters) > MAX_FILTERS:
        raise BuilderError("too_many_filters", field=f"filter-{MAX_FILTERS}-column",
                           max=MAX_FILTERS)
    where = [condition_sql(columns, Condition(rule.column, rule.op, rule.value), f"filter-{i}",
                           ops=OPS) for i, rule in enumerate(filters)]
    if sort is not None and sort not in columns:
        raise BuilderError("unknown_column", field="sort", column=sort)
    _check_range(page, MAX_PAGE, "bad_page", "page")
    _check_range(per_page, MAX_PER_PAGE, "bad_per_page", "per_page")
    rowid = next((name for name in ("rowid", "_rowid_", "oid") if name not in columns), "rowid")
    order = f"{quote_identifier(sort)} {'DESC' if descending else 'ASC'}, " if sort else ""
    source = f"FROM {quote_identifier(table)}" + (f" WHERE {' AND '.join(where)}" if where else "")
    rows = (f"SELECT * {source} ORDER BY {order}{rowid} "  # noqa: S608 - quoted names only
            f"LIMIT {per_page} OFFSET {(page - 1) * per_page}")
    return rows, f"SELECT count(*) {source}"  # noqa: S608
