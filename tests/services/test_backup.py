"""Backups under concurrent writes, restores into empty databases, per-table checksums."""

import shutil
import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.services.platform.backup import (
    BackupError,
    create_backup,
    default_backup_path,
    describe_sqlite_file,
    restore_backup,
    table_checksums,
)
from tests.backup_apps import seeded_sqlite_app


class Writer(threading.Thread):
    """Inserts audit events, one commit each, through its own connection, until stopped."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path, self.stop, self.inserted = path, threading.Event(), 0

    def run(self):
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            while not self.stop.is_set():
                connection.execute("INSERT INTO audit_event (created_at, action, details) "
                                   "VALUES (datetime('now'), 'writer.tick', '{}')")
                connection.commit()
                self.inserted += 1
        finally:
            connection.close()

    def wait_for(self, count):
        deadline = time.monotonic() + 30
        while self.inserted < count and time.monotonic() < deadline:
            time.sleep(0.005)
        assert self.inserted >= count


def _ticks(path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT count(*) FROM audit_event WHERE action = 'writer.tick'").fetchone()[0]


def test_a_backup_under_concurrent_writes_is_a_consistent_snapshot_that_restores(tmp_path):
    live = tmp_path / "live.db"
    app = seeded_sqlite_app(live)
    writer = Writer(live)
    writer.start()
    try:
        writer.wait_for(20)
        before = writer.inserted
        with app.app_context():
            from app.extensions import db

            report = create_backup(db.engine, tmp_path / "copies" / "backup.db")
        during = writer.inserted
        writer.wait_for(during + 20)  # the writer went on after the snapshot
    finally:
        writer.stop.set()
        writer.join()

    copy = report.path
    assert before <= _ticks(copy) <= during < _ticks(live)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    tables = report.by_table()
    assert tables["user_account"].rows == 17 and tables["enrollment"].rows >= 8
    assert tables["audit_event"].rows > _ticks(copy)
    assert report.tables == describe_sqlite_file(copy)  # the printed figures are the file's

    restored = create_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        assert restore_backup(restored, copy).tables == report.tables
        with restored.begin() as connection:
            connection.execute(text("UPDATE user_account SET name = '改' WHERE id = 1"))
        changed = {t.table: t for t in describe_sqlite_file(tmp_path / "restored.db")}
        assert changed["user_account"].sha256 != tables["user_account"].sha256
        assert changed["org_unit"] == tables["org_unit"]
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(restored, copy)
    finally:
        restored.dispose()
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()


def test_finding_19_the_certificate_seal_is_backed_up_and_restored_byte_for_byte(tmp_path):
    app = seeded_sqlite_app(tmp_path / "live.db")
    with app.app_context():
        from app.extensions import db
        from app.services.certificates.seal import seal_png

        seal = seal_png()
        report = create_backup(db.engine, tmp_path / "backup.db")
        db.engine.dispose()
    assert seal and report.by_table()["certificate_seal"].rows == 1
    restored = create_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        restore_backup(restored, report.path)
        with restored.connect() as connection:
            assert connection.execute(text("SELECT png FROM certificate_seal")).scalar() == seal
    finally:
        restored.dispose()


def test_restore_refuses_files_that_are_not_backups(tmp_path):
    target = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(BackupError, match="not an SQLite backup"):
        restore_backup(target, junk)
    with pytest.raises(BackupError, match="does not exist"):
        restore_backup(target, tmp_path / "missing.db")
    target.dispose()


def test_the_default_file_is_named_by_local_time(tmp_path):
    sqlite = create_engine("sqlite://")
    postgres = create_engine("postgresql+psycopg://academy@127.0.0.1:1/academy")
    now = datetime(2026, 1, 1, 16, 30, 5, tzinfo=UTC)  # 2 January 00:30:05 in Chongqing
    assert default_backup_path(tmp_path, sqlite, now) == tmp_path / "academy-20260102-003005.db"
    assert default_backup_path(tmp_path, postgres, now).name == "academy-20260102-003005.dump"


def test_an_unreachable_database_is_one_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr("app.services.platform.backup.shutil.which",
                        lambda name: f"/usr/bin/{name}")
    (tmp_path / "b.dump").write_bytes(b"PGDMP")
    server_down = create_engine("postgresql+psycopg://academy:secret@127.0.0.1:1/academy")
    with pytest.raises(BackupError, match="cannot open the database") as refused:
        restore_backup(server_down, tmp_path / "b.dump")
    assert "secret" not in str(refused.value)
    nowhere = create_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    (tmp_path / "b.db").write_bytes(b"")
    with pytest.raises(BackupError, match="cannot open the database"):
        restore_backup(nowhere, tmp_path / "b.db")


def test_create_refuses_to_overwrite_a_file(tmp_path, db):
    existing = tmp_path / "there.db"
    existing.write_bytes(b"")
    with pytest.raises(BackupError, match="already exists"):
        create_backup(db.engine, existing)


def test_without_pg_dump_the_message_names_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr("app.services.platform.backup.shutil.which", lambda name: None)
    engine = create_engine("postgresql+psycopg://academy@127.0.0.1:1/academy")
    with pytest.raises(BackupError, match="pg_dump was not found.*postgresql-client"):
        create_backup(engine, tmp_path / "x.dump")
    with pytest.raises(BackupError, match="pg_restore was not found.*postgresql-client"):
        (tmp_path / "x.dump").write_bytes(b"PGDMP")
        restore_backup(engine, tmp_path / "x.dump")


def test_postgresql_backup_restores_into_a_fresh_database(tmp_path, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL backup: run with TEST_DATABASE_URL=postgresql+psycopg://…")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump / pg_restore are not installed (package postgresql-client)")
    from tests.backup_apps import seed_some_data

    seed_some_data()
    report = create_backup(db.engine, tmp_path / "academy.dump")
    assert report.by_table()["user_account"].rows == 17
    assert report.by_table()["certificate_seal"].rows == 1  # finding 19: the seal's image

    url = make_url(db.engine.url).set(database=f"{db.engine.url.database}_restore")
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}"'))
        connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    target = create_engine(url)
    try:
        restored = restore_backup(target, report.path)
        assert restored.tables == report.tables
        with target.connect() as connection:
            assert table_checksums(connection) == report.tables
        with pytest.raises(BackupError, match="not empty"):
            restore_backup(target, report.path)
    finally:
        target.dispose()
