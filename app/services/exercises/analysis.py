"""The no-code analysis builder on the workspace page: a model run in the sandbox.

Same rules as the SQL console: the cadre's own attempt, at most MAX_RUNNING queries at
once, refusals by the sandbox audited, at most CONSOLE_ROW_CAP rows. A pivot first reads
the distinct values of its column (one query more), and refuses a column with more than
MAX_PIVOT_COLUMNS values, saying how many it has.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from app.domain.analysis import AnalysisError, AnalysisModel, Measure, SortKey, compile_model
from app.domain.analysis.join_keys import join_candidates, match_share_sql
from app.domain.analysis.model import Schema
from app.domain.analysis.pivoting import MAX_PIVOT_COLUMNS
from app.models import Attempt, User
from app.services.exercises.datasets import attempt_data, image_digest
from app.services.exercises.sandbox import QueryResult, run_query
from app.services.exercises.workspace import CONSOLE_ROW_CAP, audited_refusal, query_slot

__all__ = ["AnalysisError", "JoinSuggestion", "Notice", "join_suggestions", "run_analysis"]


@dataclass(frozen=True)
class JoinSuggestion:
    """A key the builder proposes: ``column`` in ``table`` and ``other``, with the share of
    the first table's filled values that the second table has."""

    table: str
    other: str
    column: str
    percent: int


def join_suggestions(attempt: Attempt) -> list[JoinSuggestion]:
    """Same-named columns of the cadre's tables whose values match, best first; computed
    once per dataset (the variant is immutable), one small query per candidate."""
    variant = attempt_data(attempt).variant
    key = image_digest(variant)
    if key not in _suggested:
        found = []
        for candidate in join_candidates({n: list(c) for n, c in variant.tables.items()}):
            filled, matched = run_query(variant, match_share_sql(candidate), row_cap=1).rows[0]
            if filled and matched:
                found.append(JoinSuggestion(candidate.table, candidate.other, candidate.column,
                                            100 * matched // filled))  # 100 % only if all
        if len(_suggested) >= 64:
            _suggested.clear()
        _suggested[key] = sorted(found, key=lambda s: (-s.percent, s.table, s.other))
    return _suggested[key]


_suggested: dict[str, list[JoinSuggestion]] = {}


@dataclass(frozen=True)
class Notice:
    """Something the cadre should know about a result that ran: ``code`` and details."""

    code: str  # "empty_ratio": rows of a ratio or percentage whose denominator was 0 or empty
    column: str
    count: int


def _values_model(model: AnalysisModel, measure: Measure, limit: int) -> AnalysisModel:
    """The pivot's filtered rows summarised over its column, for its values or their count."""
    column = model.pivot.columns
    grouped = measure.func == "count"
    return replace(model, pivot=None, columns=(), having=(), calculations=(),
                   group_by=(column,) if grouped else (), measures=(measure,),
                   sort=(SortKey(column, descending=False),) if grouped else (), limit=limit)


def _pivot_values(schema: Schema, run: Callable[[str], QueryResult],
                  model: AnalysisModel) -> list:
    compile_model(schema, model)  # every step checked before the extra query
    values = [row[0] for row in run(compile_model(schema, _values_model(
        model, Measure("count"), MAX_PIVOT_COLUMNS + 1))).rows]
    if len(values) <= MAX_PIVOT_COLUMNS:
        return values
    count = run(compile_model(schema, _values_model(
        model, Measure("count_distinct", model.pivot.columns), 1))).rows[0][0]
    raise AnalysisError("pivot_too_wide", field="pivot-columns", column=model.pivot.columns,
                        count=max(count, len(values)), max=MAX_PIVOT_COLUMNS)


def _ratio_columns(model: AnalysisModel) -> set[str]:
    """The result's columns that divide: percentages and ratios (empty when dividing by 0)."""
    names = {c.name for c in model.calculations if c.op in ("ratio", "percent")}
    if not model.summarises and model.pivot is None:
        names |= {d.name for d in model.derived if d.func == "ratio"}
    return names


def empty_ratio_notices(model: AnalysisModel, result: QueryResult) -> list[Notice]:
    notices = []
    for position, name in enumerate(result.columns):
        if name in _ratio_columns(model):
            empty = sum(1 for row in result.rows if row[position] is None)
            if empty:
                notices.append(Notice("empty_ratio", name, empty))
    return notices


def run_analysis(attempt: Attempt, model: AnalysisModel, *,
                 actor: User) -> tuple[str, QueryResult, list[Notice]]:
    """The model's SQL (shown to the cadre), its result and notices about the result."""
    data = attempt_data(attempt)

    def run(sql: str) -> QueryResult:
        with audited_refusal(attempt, sql, actor):
            return run_query(data.variant, sql, row_cap=CONSOLE_ROW_CAP)

    with query_slot(actor):
        values = _pivot_values(data.schema, run, model) if model.pivot is not None else None
        sql = compile_model(data.schema, model, pivot_values=values)
        result = run(sql)
    return sql, result, empty_ratio_notices(model, result)
