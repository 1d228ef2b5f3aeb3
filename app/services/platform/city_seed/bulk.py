"""Writing many rows fast, inside the session's transaction.

PostgreSQL: ``COPY … FROM STDIN`` through psycopg 3 (hundreds of thousands of rows a second).
Elsewhere (SQLite, for tests and small runs): ``executemany`` in chunks. Rows are tuples of
database values: naive UTC datetimes (what UTCDateTime stores), enum values as strings, JSON
already serialized. Ids are given explicitly, so rows can refer to each other before they
are written; ``advance_sequences`` then moves PostgreSQL's id sequences past them.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.extensions import db

SQLITE_CHUNK = 5_000


class BulkWriter:
    def __init__(self, session: Session):
        self.connection = session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"
        self._next_ids: dict[str, int] = {}
        if self.postgres:
            # lz4 compresses the attempts' question snapshots several times faster than
            # pglz; reading them back is transparent (PostgreSQL 14+).
            self.connection.exec_driver_sql("SET LOCAL default_toast_compression = 'lz4'")
            if self._may_skip_triggers():
                # Foreign-key checks are triggers: skipped here they halve the time of the
                # COPYs. The rows are generated consistent (tests check every relation with
                # the checks on); unique and check constraints still apply.
                self.connection.exec_driver_sql("SET LOCAL session_replication_role = replica")

    def _may_skip_triggers(self) -> bool:
        """Only a superuser may change session_replication_role; others keep the checks."""
        return bool(self.connection.execute(text(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar())

    def peek_id(self, table: str) -> int:
        """The next id take_ids would give, without taking it."""
        return self.take_ids(table, 0)

    def take_ids(self, table: str, count: int) -> int:
        """The first of ``count`` fresh ids for the table (they follow the largest id)."""
        if table not in self._next_ids:
            id_column = db.metadata.tables[table].c.id
            largest = self.connection.execute(select(func.max(id_column))).scalar()
            self._next_ids[table] = (largest or 0) + 1
        first = self._next_ids[table]
        self._next_ids[table] = first + count
        return first

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        _check_names(table, columns)  # they go into SQL text below
        if self.postgres:
            return self._copy(table, columns, rows)
        return self._insert_many(table, columns, rows)

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        raw = self.connection.connection.driver_connection
        written = 0
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def _insert_many(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        statement = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - checked
                     f"VALUES ({', '.join('?' for _ in columns)})")
        chunk, written = [], 0
        for row in rows:
            chunk.append(tuple(_sqlite_value(value) for value in row))
            if len(chunk) == SQLITE_CHUNK:
                written += self._flush_chunk(statement, chunk)
        return written + self._flush_chunk(statement, chunk)

    def _flush_chunk(self, statement: str, chunk: list[tuple]) -> int:
        if chunk:
            self.connection.exec_driver_sql(statement, list(chunk))
        count = len(chunk)
        chunk.clear()
        return count

    def advance_sequences(self) -> None:
        """PostgreSQL: the next id a use case takes must follow the ids written here."""
        if not self.postgres:
            return  # SQLite's INTEGER PRIMARY KEY takes max(id) + 1 by itself
        for table in self._next_ids:
            id_column = db.metadata.tables[table].c.id
            largest = self.connection.execute(select(func.max(id_column))).scalar()
            self.connection.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                                    {"t": table, "n": largest or 1})


def _check_names(table: str, columns: Sequence[str]) -> None:
    """Only the model's own table and column names ever reach the SQL text."""
    known = db.metadata.tables[table].c
    unknown = [column for column in columns if column not in known]
    if unknown:
        raise ValueError(f"{table}: no columns {unknown}")


def _sqlite_value(value):
    """The stored form SQLAlchemy's SQLite types use (datetimes as text with microseconds)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
