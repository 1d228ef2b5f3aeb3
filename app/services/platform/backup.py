"""Backups while the app runs, restores into an empty database, and per-table checksums.

SQLite: SQLite's online backup API copies the database in one step under one read
transaction, so the copy is a consistent snapshot even while other connections write
(WAL lets them go on). PostgreSQL: ``pg_dump -Fc`` on a snapshot exported by our own
REPEATABLE READ transaction, which also computes the counts and checksums, so the figures
printed describe exactly what was dumped. Restores go into an empty database only.

A table's checksum is the SHA-256 of its rows ordered by primary key, each row written
as canonical JSON of the typed values (datetimes in UTC ISO form, decimals normalised,
JSON with sorted keys), so the same data gives the same checksum on SQLite and PostgreSQL.
"""

import enum
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, func, inspect, select
from sqlalchemy import text as sql_text
from sqlalchemy.exc import OperationalError

from app.domain.learning import CITY_TIMEZONE
from app.extensions import db
from app.services.core.errors import ServiceError

#: Rows read per round trip while checksumming.
CHECKSUM_BATCH = 2000


class BackupError(ServiceError):
    """A backup or restore that cannot proceed; the message says why and what to do."""


@dataclass(frozen=True)
class TableSummary:
    table: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: list[TableSummary]

    def by_table(self) -> dict[str, TableSummary]:
        return {summary.table: summary for summary in self.tables}


def default_backup_path(backup_dir: Path, engine: Engine, now: datetime) -> Path:
    """BACKUP_DIR/academy-YYYYmmdd-HHMMSS.db (.dump on PostgreSQL), in the city's local time."""
    suffix = ".db" if engine.dialect.name == "sqlite" else ".dump"
    return Path(backup_dir) / f"academy-{now.astimezone(CITY_TIMEZONE):%Y%m%d-%H%M%S}{suffix}"


def create_backup(engine: Engine, dest: Path) -> BackupReport:
    """Copy the live database to ``dest`` (a new file) and describe what was copied."""
    dest = Path(dest)
    if dest.exists():
        raise BackupError(f"{dest} already exists; choose a new file name")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _reachable(engine):
        if engine.dialect.name == "sqlite":
            return _sqlite_backup(engine, dest)
        if engine.dialect.name == "postgresql":
            return _postgres_backup(engine, dest)
    raise BackupError(f"backups of {engine.dialect.name} databases are not supported")


def restore_backup(engine: Engine, source: Path) -> BackupReport:
    """Load a backup made by ``create_backup`` into ``engine``'s database, which must be empty."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist or is not a file")
    with _reachable(engine):
        if engine.dialect.name == "sqlite":
            return _sqlite_restore(engine, source)
        if engine.dialect.name == "postgresql":
            return _postgres_restore(engine, source)
    raise BackupError(f"restores into {engine.dialect.name} databases are not supported")


# --- checksums -------------------------------------------------------------------------------


def table_checksums(connection: Connection) -> list[TableSummary]:
    """Row count and SHA-256 of every table in the database, by table name."""
    names = sorted(inspect(connection).get_table_names())
    return [_table_checksum(connection, _table(connection, name)) for name in names]


def _table(connection: Connection, name: str) -> Table:
    # The models' tables give typed values (aware datetimes, dicts, Decimals) on every
    # backend; anything else (alembic_version) is reflected.
    known = db.metadata.tables.get(name)
    return known if known is not None else Table(name, MetaData(), autoload_with=connection)


def _table_checksum(connection: Connection, table: Table) -> TableSummary:
    order = list(table.primary_key.columns) or list(table.columns)
    digest = hashlib.sha256()
    rows = 0
    result = connection.execution_options(yield_per=CHECKSUM_BATCH).execute(
        select(*table.columns).order_by(*order))
    for row in result:
        digest.update(json.dumps([_canonical(value) for value in row], ensure_ascii=False,
                                 sort_keys=True, separators=(",", ":")).encode())
        digest.update(b"\n")
        rows += 1
    return TableSummary(table.name, rows, digest.hexdigest())


def _canonical(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    return str(value)


# --- SQLite ----------------------------------------------------------------------------------


def _sqlite_backup(engine: Engine, dest: Path) -> BackupReport:
    raw = engine.raw_connection()
    try:
        target = sqlite3.connect(dest)
        try:
            # pages=-1: the whole database in one step, under one read transaction.
            raw.driver_connection.backup(target, pages=-1)
        finally:
            target.close()
    finally:
        raw.close()
    return BackupReport(dest, describe_sqlite_file(dest))


def describe_sqlite_file(path: Path) -> list[TableSummary]:
    file_engine = create_engine(f"sqlite:///{path}")
    try:
        with file_engine.connect() as connection:
            return table_checksums(connection)
    finally:
        file_engine.dispose()


def _sqlite_restore(engine: Engine, source: Path) -> BackupReport:
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            problems = backup.execute("PRAGMA quick_check").fetchall()
        finally:
            backup.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not an SQLite backup: {error}") from None
    if problems != [("ok",)]:
        raise BackupError(f"{source} is damaged: {problems[0][0]}")
    _ensure_empty(engine)
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    raw = engine.raw_connection()
    try:
        backup.backup(raw.driver_connection, pages=-1)
    finally:
        raw.close()
        backup.close()
    with engine.connect() as connection:
        return BackupReport(source, table_checksums(connection))


# --- PostgreSQL ------------------------------------------------------------------------------


def _postgres_backup(engine: Engine, dest: Path) -> BackupReport:
    pg_dump = _tool("pg_dump")
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection, \
            connection.begin():
        snapshot = connection.scalar(sql_text("SELECT pg_export_snapshot()"))
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dest}",
              *_connection_args(engine)], engine)
        tables = table_checksums(connection)
    return BackupReport(dest, tables)


def _postgres_restore(engine: Engine, source: Path) -> BackupReport:
    pg_restore = _tool("pg_restore")
    _ensure_empty(engine, tables_allowed=False)
    _run([pg_restore, "--no-owner", "--single-transaction", "--exit-on-error",
          *_connection_args(engine), str(source)], engine)
    engine.dispose()
    with engine.connect() as connection:
        return BackupReport(source, table_checksums(connection))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client tools "
                          "(Debian/Ubuntu package postgresql-client) and try again")
    return path


def _connection_args(engine: Engine) -> list[str]:
    url = engine.url
    args = [f"--dbname={url.database}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    return [*args, "--no-password"]


def _run(command: list[str], engine: Engine) -> None:
    env = dict(os.environ)
    if engine.url.password:
        env["PGPASSWORD"] = engine.url.password  # never on the command line (ps shows it)
    for key, value in engine.url.query.items():
        if key in {"sslmode", "sslrootcert", "sslcert", "sslkey"}:
            env[f"PG{key.upper()}"] = value if isinstance(value, str) else value[0]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{Path(command[0]).name} failed: " + " | ".join(tail))


# --- shared ----------------------------------------------------------------------------------


@contextmanager
def _reachable(engine: Engine):
    """A database that cannot be opened is a one-line message, not a traceback."""
    try:
        yield
    except OperationalError as error:
        where = engine.url.render_as_string(hide_password=True)
        raise BackupError(f"cannot open the database {where}: {error.orig}") from None


def _ensure_empty(engine: Engine, *, tables_allowed: bool = True) -> None:
    with engine.connect() as connection:
        names = inspect(connection).get_table_names()
        if "alembic_version" in names:
            raise BackupError("the target database is not empty (it has been migrated: "
                              "alembic_version exists); restore only into a new, empty "
                              "database")
        for name in sorted(names):
            table = Table(name, MetaData(), autoload_with=connection)
            rows = connection.scalar(select(func.count()).select_from(table))
            if rows:
                raise BackupError(f"the target database is not empty: table {name} has "
                                  f"{rows} rows; restore only into a new, empty database")
        if names and not tables_allowed:
            raise BackupError("the target database already has tables ("
                              + ", ".join(sorted(names)[:5]) + "); create a new, empty "
                              "database and restore into it")

