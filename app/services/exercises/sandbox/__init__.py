"""The SQL sandbox: learners' SELECT queries on their own small dataset (DESIGN.md §6).

Each query runs on a private in-memory SQLite copy of the learner's variant, never on
the application's database, behind an allowlisting authorizer, size and depth limits,
a time limit and a row cap. Every refusal is a SandboxError with a code and a plain
message in Chinese and English. Plain Python and the standard sqlite3 module only.

    variant = build_variant([TableData("people", [("id", "INTEGER"), ...], rows)])
    result = run_query(variant, "SELECT count(*) FROM people")
"""

from app.services.exercises.sandbox.database_image import TableData, Variant, build_variant
from app.services.exercises.sandbox.errors import SandboxError, explain_error
from app.services.exercises.sandbox.policy import ALLOWED_FUNCTIONS
from app.services.exercises.sandbox.runner import QueryResult, run_query

__all__ = [
    "ALLOWED_FUNCTIONS",
    "QueryResult",
    "SandboxError",
    "TableData",
    "Variant",
    "build_variant",
    "explain_error",
    "run_query",
]
