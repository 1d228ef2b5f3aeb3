"""Run one learner query on a variant: checked, locked down, timed, capped."""

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from app.services.exercises.sandbox.database_image import Variant
from app.services.exercises.sandbox.errors import SandboxError, refusal, too_complex
from app.services.exercises.sandbox.policy import VALUE_LIMIT, Guard, open_copy
from app.services.exercises.sandbox.sqltext import MAX_SQL_CHARS, checked_statement

#: Characters (str and bytes lengths; 8 for a number) one result may hold in all.
RESULT_LIMIT = 2_000_000
MAX_TIME_LIMIT = 30.0
MAX_ROW_CAP = 100_000


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]
    truncated: bool  # more rows than row_cap were produced; the rest were not fetched
    elapsed_ms: float


def run_query(
    variant: Variant, sql: str | bytes, *, time_limit: float = 2.0, row_cap: int = 1000
) -> QueryResult:
    """Run ``sql`` on a private copy of ``variant``; raise SandboxError for any refusal."""
    if not 0 < time_limit <= MAX_TIME_LIMIT:
        raise ValueError(f"time_limit must be in (0, {MAX_TIME_LIMIT}]")
    if not 0 < row_cap <= MAX_ROW_CAP:
        raise ValueError(f"row_cap must be in [1, {MAX_ROW_CAP}]")
    return run_statement(variant, checked_statement(sql), time_limit=time_limit, row_cap=row_cap)


def run_statement(
    variant: Variant, statement: str, *, time_limit: float, row_cap: int
) -> QueryResult:
    """Run a statement without the text checks; the connection's own guards still apply.

    Only run_query and the tests (which show the guards hold on their own) call this.
    """
    guard = Guard(variant.table_names)
    conn = open_copy(variant.image, guard)
    try:
        started = time.perf_counter()
        guard.start_clock(time_limit)
        try:
            cursor = conn.execute(statement)
            columns = [d[0] for d in cursor.description or ()]
            rows, truncated = _fetch(cursor, row_cap)
        except (sqlite3.Error, MemoryError) as exc:
            raise _translate(exc, guard, time_limit) from exc
        elapsed_ms = (time.perf_counter() - started) * 1000
    finally:
        conn.close()
    return QueryResult(columns, rows, truncated, elapsed_ms)


def _fetch(cursor: sqlite3.Cursor, row_cap: int) -> tuple[list[tuple], bool]:
    """At most row_cap rows, one at a time so that a huge result stops early."""
    rows: list[tuple] = []
    size = 0
    while len(rows) <= row_cap:
        row = cursor.fetchone()
        if row is None:
            return rows, False
        size += sum(len(v) if isinstance(v, str | bytes) else 8 for v in row)
        if size > RESULT_LIMIT:
            raise _too_big()
        rows.append(row)
    return rows[:row_cap], True


def _too_big() -> SandboxError:
    return refusal("too_big", value_limit=VALUE_LIMIT, result_limit=RESULT_LIMIT)


# SQLite message fragment -> refusal, for errors no guard recorded a reason for.
_RULES: list[tuple[str, Callable[[], SandboxError]]] = [
    ("parser stack overflow", lambda: refusal("too_deep")),
    ("expression tree is too large", lambda: refusal("too_deep")),
    ("too many terms in compound select", lambda: too_complex("compound")),
    ("too many columns", lambda: too_complex("columns")),
    ("tables in a join", lambda: too_complex("joins")),
    ("too many references to", lambda: too_complex("program")),  # CTEs that double up
    ("too many arguments on function", lambda: too_complex("arguments")),
    ("like or glob pattern too complex", lambda: too_complex("pattern")),
    ("string or blob too big", _too_big),
    ("statement too long", lambda: refusal("too_long", limit=MAX_SQL_CHARS)),
    ("one statement at a time", lambda: refusal("multiple_statements")),
    ("not authorized", lambda: refusal("not_select")),
    ("readonly database", lambda: refusal("not_select")),
    ("attached databases", lambda: refusal("not_select")),
]
_RUNTIME = ("integer overflow", "user-defined function raised exception", "unable to open")


def _translate(exc: BaseException, guard: Guard, time_limit: float) -> SandboxError:
    if guard.refused is not None:
        return guard.refused
    if guard.timed_out:
        return refusal("too_slow", seconds=f"{time_limit:g}")
    if guard.value_too_big:
        return _too_big()
    if isinstance(exc, MemoryError):  # SQLite reports SQLITE_LIMIT_VDBE_OP as out of memory
        return too_complex("program")
    message = str(exc)
    lowered = message.lower()
    for fragment, make in _RULES:
        if fragment in lowered:
            return make()
    if any(fragment in lowered for fragment in _RUNTIME):
        return refusal("query_failed", detail=message)
    return refusal("syntax", detail=message)
