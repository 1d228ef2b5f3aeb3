"""What a learner's query may do, enforced on each per-query SQLite connection.

Every query gets its own in-memory copy of the variant (``open_copy``), set up and
then locked down, in this order: query_only on and trusted_schema off (PRAGMAs run
by this code, before the authorizer exists), ``setlimit`` on sizes, depth and attached
databases, linear-time replacements for the text functions whose built-in versions
take quadratic time, the allowlisting authorizer, and the progress-handler clock.

The authorizer allows only SELECT, RECURSIVE, READ of the variant's own tables (and
sqlite_master / sqlite_schema, so learners can list the tables) and calls of the
functions in ALLOWED_FUNCTIONS. Everything else is denied while the statement is
compiled, before it runs: ATTACH (also run internally by VACUUM INTO), PRAGMA and
the pragma_* / json_each table-valued functions, every kind of write, CREATE of
any kind including TEMP, DROP, ALTER, ANALYZE, REINDEX, transactions, savepoints.
"""

import math
import sqlite3
import threading
import time

from app.services.exercises.sandbox.errors import (
    SandboxError,
    forbidden_function,
    forbidden_table,
    refusal,
    table_valued_function,
    too_complex,
)
from app.services.exercises.sandbox.sqltext import MAX_SQL_CHARS

#: SQLITE_LIMIT_LENGTH: the longest string or blob a query may make, in bytes. Kept
#: small because one LIKE/GLOB call, which the clock cannot interrupt, can take time
#: growing with value length x pattern length (8 ms at 64 KB, 2 ms at 32 KB).
VALUE_LIMIT = 50_000
#: At most this many LIKE/GLOB/instr/replace/trim calls written in one query.
MAX_TEXT_SEARCH_CALLS = 20
#: The clock is read every PROGRESS_STEPS virtual-machine instructions. Each look
#: costs a Python call: 100 halved throughput, 250 stops hostile queries within
#: about 60 ms of the limit, 1000 let one overrun by 0.8 s (see benchmarks/).
PROGRESS_STEPS = 250

LIMITS: dict[int, int] = {
    sqlite3.SQLITE_LIMIT_LENGTH: VALUE_LIMIT,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: MAX_SQL_CHARS * 4,  # bytes; the text check counts chars
    sqlite3.SQLITE_LIMIT_COLUMN: 200,
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 100,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 10,
    sqlite3.SQLITE_LIMIT_VDBE_OP: 25_000,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 16,
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 50,
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 0,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 1,
    sqlite3.SQLITE_LIMIT_WORKER_THREADS: 0,
}

ALLOWED_FUNCTIONS = frozenset({
    # aggregates (also usable as window functions)
    "count", "sum", "total", "avg", "min", "max", "group_concat",
    # window functions
    "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile",
    "lag", "lead", "first_value", "last_value", "nth_value",
    # NULL handling and conditions
    "coalesce", "ifnull", "nullif", "iif",
    # text (LIKE and GLOB reach the authorizer as the functions like() and glob())
    "length", "lower", "upper", "substr", "substring", "trim", "ltrim", "rtrim",
    "replace", "instr", "like", "glob",
    # numbers
    "abs", "round", "sign", "floor", "ceil", "ceiling", "trunc", "sqrt", "pow", "power",
    "mod", "exp", "ln", "log", "log10", "log2", "random",
    # types, dates and times
    "typeof", "date", "time", "datetime", "julianday", "strftime", "unixepoch",
    "current_date", "current_time", "current_timestamp",
})

#: Functions whose cost grows with the length of two texts; calls are counted.
TEXT_SEARCH_FUNCTIONS = frozenset({"like", "glob", "instr", "replace", "trim", "ltrim", "rtrim"})

#: Tables every variant has and a learner may read besides its own.
SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema"})


class Guard:
    """Per-query state shared by the authorizer, the progress handler and the overrides."""

    def __init__(self, tables: frozenset[str]):
        self.tables = tables | SCHEMA_TABLES
        self.refused: SandboxError | None = None
        self.text_search_calls = 0
        self.deadline = math.inf
        self.timed_out = False
        self.value_too_big = False

    def start_clock(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def progress(self) -> int:
        if time.monotonic() > self.deadline:
            self.timed_out = True
            return 1  # non-zero: SQLite stops the statement ("interrupted")
        return 0

    def authorize(self, action: int, arg1, arg2, db_name, _inner) -> int:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            return self._read(arg1, arg2, db_name)
        if action == sqlite3.SQLITE_FUNCTION:
            return self._call(arg2)
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master" and db_name == "main":
            # What SELECT * FROM pragma_table_info(..) / json_each(..) asks first, to set
            # up the table-valued function; SQLite asks nothing more after a denial.
            return self._deny(table_valued_function())
        return self._deny(refusal("not_select"))

    def _read(self, table: str | None, column: str | None, db_name: str | None) -> int:
        name = (table or "").lower()
        if db_name in (None, "main") and (name in self.tables or column == ""):
            # column "" is SQLite's "table named but no column read" notice (count(*)
            # FROM c); the name is as written and may be a CTE's. It reads nothing.
            return sqlite3.SQLITE_OK
        shown = name if db_name in (None, "main") else f"{db_name}.{name}"
        return self._deny(forbidden_table(shown))

    def _call(self, function: str | None) -> int:
        name = (function or "").lower()
        if name not in ALLOWED_FUNCTIONS:
            return self._deny(forbidden_function(name))
        if name in TEXT_SEARCH_FUNCTIONS:
            self.text_search_calls += 1
            if self.text_search_calls > MAX_TEXT_SEARCH_CALLS:
                return self._deny(too_complex("text_search"))
        return sqlite3.SQLITE_OK

    def _deny(self, error: SandboxError) -> int:
        if self.refused is None:  # the first reason is the one to report
            self.refused = error
        return sqlite3.SQLITE_DENY


# --- Linear-time text functions -------------------------------------------------
# SQLite's instr() and replace() compare at every position (length x length) and
# trim(X, Y) compares each character of X with every character of Y: with 100 KB
# values one call takes from 20 ms to over a second, and a statement can make many
# calls between two looks at the clock. These replacements, registered under the
# same names for the same argument counts, give SQLite's results in linear time.

_local = threading.local()


class _ValueTooBig(Exception):
    pass


def _text(value) -> str:
    """A value as SQLite's sqlite3_value_text() would give it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float):
        return _real_as_text(value)
    return str(value)


def _real_as_text(value: float) -> str:
    # SQLite's own REAL-to-text rounding is not Python's; ask a plain private
    # connection (one per thread, used for nothing else).
    helper = getattr(_local, "helper", None)
    if helper is None:
        helper = _local.helper = sqlite3.connect(":memory:")
    return helper.execute("SELECT CAST(? AS TEXT)", (value,)).fetchone()[0]


def _instr(haystack, needle):
    if haystack is None or needle is None:
        return None
    if isinstance(haystack, bytes) and isinstance(needle, bytes):
        return haystack.find(needle) + 1
    return _text(haystack).find(_text(needle)) + 1


def _replacer(guard: Guard):
    def replace(value, old, new):
        if value is None or old is None:
            return None
        old_text = _text(old)
        if old_text == "":  # SQLite returns the first argument, a blob made text
            return _text(value) if isinstance(value, bytes) else value
        if new is None:
            return None
        text, new_text = _text(value), _text(new)
        count = text.count(old_text)
        growth = len(new_text.encode()) - len(old_text.encode())
        if count and growth > 0 and len(text.encode()) + count * growth > VALUE_LIMIT:
            guard.value_too_big = True
            raise _ValueTooBig
        return text.replace(old_text, new_text)

    return replace


def _trimmer(left: bool, right: bool):
    def trim(value, characters):
        if value is None or characters is None:
            return None
        text, strip = _text(value), set(_text(characters))
        start, end = 0, len(text)
        while left and start < end and text[start] in strip:
            start += 1
        while right and end > start and text[end - 1] in strip:
            end -= 1
        return text[start:end]

    return trim


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _install_text_functions(conn: sqlite3.Connection, guard: Guard) -> None:
    conn.create_function("instr", 2, _instr, deterministic=True)
    conn.create_function("replace", 3, _replacer(guard), deterministic=True)
    conn.create_function("trim", 2, _trimmer(True, True), deterministic=True)
    conn.create_function("ltrim", 2, _trimmer(True, False), deterministic=True)
    conn.create_function("rtrim", 2, _trimmer(False, True), deterministic=True)


def open_copy(image: bytes, guard: Guard) -> sqlite3.Connection:
    """A private, locked-down in-memory copy of a variant's database image."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.deserialize(image)  # copies the bytes into memory owned by this connection
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        for category, value in LIMITS.items():
            conn.setlimit(category, value)
        if hasattr(conn, "enable_load_extension"):  # absent when Python was built without
            conn.enable_load_extension(False)
        conn.text_factory = _lenient_text  # text that is not UTF-8 (CAST(x'ff' AS TEXT))
        _install_text_functions(conn, guard)
        conn.set_authorizer(guard.authorize)
        conn.set_progress_handler(guard.progress, PROGRESS_STEPS)
    except BaseException:
        conn.close()
        raise
    return conn
