"""`flask backup create|restore`: files, printed figures, refusals without tracebacks."""

import re

import pytest
from sqlalchemy import select

from app.models import AuditEvent
from tests.backup_apps import app_on, seed_some_data

LINE = re.compile(r"^(\w+)\s+(\d+)\s+([0-9a-f]{64})$", re.MULTILINE)


def _figures(output: str) -> dict[str, tuple[str, str]]:
    return {table: (rows, digest) for table, rows, digest in LINE.findall(output)}


def test_create_writes_the_default_file_and_prints_counts_and_checksums(app, runner, db,
                                                                        tmp_path, monkeypatch):
    seed_some_data()
    monkeypatch.setitem(app.config, "BACKUP_DIR", tmp_path / "backups")
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    [written] = list((tmp_path / "backups").iterdir())
    suffix = ".db" if db.engine.dialect.name == "sqlite" else ".dump"
    assert re.fullmatch(r"academy-\d{8}-\d{6}" + re.escape(suffix), written.name)
    figures = _figures(result.output)
    assert figures["user_account"][0] == "17" and "alembic_version" in figures
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "backup.created"))
    assert event is not None and event.details["tables"] == len(figures)


def test_restore_into_an_empty_sqlite_file_prints_the_same_figures(runner, db, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("restoring a pg_dump file into SQLite is not a thing")
    seed_some_data()
    created = runner.invoke(args=["backup", "create", str(tmp_path / "b.db")])
    assert created.exit_code == 0, created.output
    other = app_on(f"sqlite:///{tmp_path / 'fresh.db'}")
    with other.app_context():  # the CLI runs in the current app context: the other app's
        restored = other.test_cli_runner().invoke(
            args=["backup", "restore", str(tmp_path / "b.db")])
        db.engine.dispose()
    assert restored.exit_code == 0, restored.output
    assert _figures(restored.output) == _figures(created.output)


def test_restore_refuses_a_database_in_use(runner, db, tmp_path):
    created = runner.invoke(args=["backup", "create", str(tmp_path / "b.bak")])
    assert created.exit_code == 0, created.output
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.bak")])
    assert result.exit_code == 1
    assert "not empty" in result.output and "Traceback" not in result.output


def test_bad_arguments_get_one_clear_line(runner, tmp_path):
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "nothing.db")])
    assert result.exit_code == 1 and "does not exist" in result.output
    (tmp_path / "taken.db").write_bytes(b"")
    result = runner.invoke(args=["backup", "create", str(tmp_path / "taken.db")])
    assert result.exit_code == 1 and "already exists" in result.output


def test_without_pg_dump_create_exits_1_naming_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr("app.services.platform.backup.shutil.which", lambda name: None)
    other = app_on("postgresql+psycopg://academy@127.0.0.1:1/academy")
    with other.app_context():
        result = other.test_cli_runner().invoke(
            args=["backup", "create", str(tmp_path / "a.dump")])
    assert result.exit_code == 1
    assert "postgresql-client" in result.output and "Traceback" not in result.output
