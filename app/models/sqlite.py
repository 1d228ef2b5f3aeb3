"""SQLite connection settings: WAL for concurrent readers, a busy timeout, enforced foreign keys."""

import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 5000


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite" or getattr(engine, "_academy_configured", False):
        return
    engine._academy_configured = True
    in_memory = engine.url.database in (None, "", ":memory:")
    if not in_memory:
        Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
    event.listen(engine, "connect", lambda conn, _record: _on_connect(conn, in_memory))


def _on_connect(connection: sqlite3.Connection, in_memory: bool) -> None:
    cursor = connection.cursor()
    if not in_memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
