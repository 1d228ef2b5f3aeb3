"""The exercise workspace: a cadre's own tables, browsed, queried, analysed and downloaded.

Everything here runs in the SQL sandbox on the attempt's variant (an in-memory copy
per query), never on the application's database. A cadre may run at most
``MAX_RUNNING`` queries at once, so one person's slow queries cannot take every
worker thread (each query is also stopped after its time limit).
"""

import csv
import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from app.domain.analysis.browse import Filter, build_browse_queries
from app.domain.charts import ChartError, ScreenSvg, chart_from_result, render_chart_for_screens
from app.domain.markdown import render_markdown
from app.domain.query_builder import BuilderError
from app.domain.spreadsheet import safe_cell
from app.domain.vocabulary import QuizKind
from app.extensions import db
from app.models import Attempt, User
from app.services.core.audit import clip, record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.exercises.datasets import ExerciseData, TableInfo, attempt_data
from app.services.exercises.sandbox import QueryResult, SandboxError, run_query

MAX_RUNNING = 2
PER_PAGE = 50
CONSOLE_ROW_CAP = 1000
CSV_ROW_CAP = 100_000
#: Refusals that are not audited: an empty console, a typo, or a query that failed at run
#: time (e.g. a wrong column) are ordinary mistakes; the rest are the sandbox's guards.
UNAUDITED_REFUSALS = frozenset({"empty", "syntax", "query_failed"})

__all__ = ["BuilderError", "ChartError", "Filter", "TablePage", "WorkspaceBusy",
           "audited_refusal", "brief_html", "browse_table", "chart_svg",
           "find_workspace_attempt", "query_slot", "run_console_query", "table_csv"]


class WorkspaceBusy(ServiceError):
    """The cadre already has MAX_RUNNING queries running."""


_running: dict[int, int] = {}
_lock = threading.Lock()


@contextmanager
def query_slot(user: User):
    with _lock:
        if _running.get(user.id, 0) >= MAX_RUNNING:
            raise WorkspaceBusy("busy")
        _running[user.id] = _running.get(user.id, 0) + 1
    try:
        yield
    finally:
        with _lock:
            _running[user.id] -= 1
            if not _running[user.id]:
                del _running[user.id]


def find_workspace_attempt(attempt_id: int, *, actor: User) -> Attempt:
    """The actor's own exercise attempt (in progress or done); anything else is missing."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != actor.id \
            or attempt.quiz.kind is not QuizKind.EXERCISE:
        raise NotFound(str(attempt_id))
    return attempt


@dataclass(frozen=True)
class TablePage:
    table: TableInfo
    columns: list[str]
    rows: list[tuple]
    total: int
    page: int
    per_page: int
    sql: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def browse_table(attempt: Attempt, table: str, *, filters: tuple[Filter, ...] = (),
                 sort: str | None = None, descending: bool = False, page: int = 1,
                 actor: User) -> TablePage:
    """One page of a table, filtered and sorted on the server."""
    data = attempt_data(attempt)
    info = _table(data, table)
    rows_sql, count_sql = build_browse_queries(data.schema, info.name, filters, sort,
                                               descending, max(page, 1), PER_PAGE)
    with query_slot(actor):
        total = run_query(data.variant, count_sql).rows[0][0]
        result = run_query(data.variant, rows_sql, row_cap=PER_PAGE)
    return TablePage(info, result.columns, result.rows, total, max(page, 1), PER_PAGE, rows_sql)


def run_console_query(attempt: Attempt, sql: str | bytes, *, actor: User) -> QueryResult:
    """A cadre's own SELECT on their variant (SandboxError says what was refused)."""
    data = attempt_data(attempt)
    with query_slot(actor), audited_refusal(attempt, sql, actor):
        return run_query(data.variant, sql, row_cap=CONSOLE_ROW_CAP)


@contextmanager
def audited_refusal(attempt: Attempt, sql: str | bytes, actor: User):
    """Record ``sandbox.refused`` (reason and the start of the query) and re-raise."""
    try:
        yield
    except SandboxError as error:
        if error.code not in UNAUDITED_REFUSALS:
            text = sql.decode("utf-8", "replace") if isinstance(sql, bytes) else sql
            record_event("sandbox.refused", actor=actor, target=f"attempt:{attempt.id}",
                         details={"code": error.code, "reason": clip(error.message_en),
                                  "sql": clip(text)})
        raise


def table_csv(attempt: Attempt, table: str, *, actor: User) -> tuple[str, bytes]:
    """(file name, bytes) of a whole table as CSV, UTF-8 with a BOM so Excel reads Chinese."""
    data = attempt_data(attempt)
    info = _table(data, table)
    with query_slot(actor):
        result = run_query(data.variant, f'SELECT * FROM "{info.name}"',  # noqa: S608
                           time_limit=10.0, row_cap=CSV_ROW_CAP)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label for _name, _kind, label in info.columns])
    for row in result.rows:
        # Text starting with = + - @ would run as a formula in Excel; numbers stay numbers.
        writer.writerow([value if isinstance(value, int | float) else safe_cell(value)
                         for value in row])
    return f"{info.name}.csv", ("\ufeff" + out.getvalue()).encode("utf-8")


def _table(data: ExerciseData, name: str) -> TableInfo:
    info = data.table(name)
    if info is None:
        raise NotFound(name)
    return info


def chart_svg(result: QueryResult, kind: str) -> ScreenSvg:
    """A bar or line chart of a result as SVG, for wide screens and for phones (ChartError
    when it has nothing to draw)."""
    labels, series = chart_from_result(result.columns, result.rows)
    return render_chart_for_screens(kind, labels, series)


def brief_html(attempt: Attempt) -> str:
    return render_markdown(attempt.quiz.exercise.brief)
