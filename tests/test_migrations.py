"""The migrations build exactly the schema the models describe (like `flask db check`)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


# SQLite's reflection cannot read an index on an expression (upper(username)); alembic then
# leaves that index out of the comparison, which PostgreSQL's run still makes.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping")
def test_models_and_migrations_agree(app):
    # The session fixture built this database by running the migrations.
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_migration_downgrades_and_upgrades_again(tmp_path):
    """Down to an empty database and back up, on a file of its own (SQLite's batch copies)."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import create_engine, inspect

    from app import create_app
    from config import TestingConfig

    url = f"sqlite:///{tmp_path / 'roundtrip.db'}"

    class RoundTripConfig(TestingConfig):
        @classmethod
        def apply_environment(cls, config: dict) -> None:
            config["SQLALCHEMY_DATABASE_URI"] = url

    scratch = create_app(RoundTripConfig)
    with scratch.app_context():
        upgrade()
        downgrade(revision="base")
        assert inspect(create_engine(url)).get_table_names() == ["alembic_version"]
        upgrade()
        assert "exercise" in inspect(create_engine(url)).get_table_names()


def test_roster_username_case_upgrade_refuses_accounts_differing_only_in_case(tmp_path, caplog):
    """Finding 17.2: old data with hx1001 and HX1001 stops the upgrade, naming them, before
    the unique index on upper(username) would fail obscurely."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from app import create_app
    from config import TestingConfig

    url = f"sqlite:///{tmp_path / 'clash.db'}"

    class ClashConfig(TestingConfig):
        @classmethod
        def apply_environment(cls, config: dict) -> None:
            config["SQLALCHEMY_DATABASE_URI"] = url

    scratch = create_app(ClashConfig)
    with scratch.app_context():
        upgrade(revision="8d3f2a6c4e10")  # the revision before the 工号 index
        with create_engine(url).begin() as connection:
            for username in ("hx1001", "HX1001"):
                connection.execute(text(
                    "INSERT INTO user_account (username, name, org_unit_id, rank, category, "
                    "active, password_hash, must_change_password, session_version, "
                    "created_at) VALUES (:u, '李娜', 1, 'staff', "
                    "'administration', 1, 'x', 0, 1, '2026-01-01 00:00:00')"), {"u": username})
        with pytest.raises(SystemExit):  # flask db upgrade: "Error: …" and exit status 1
            upgrade()
        assert "differ only in upper/lower case" in caplog.text
        assert "HX1001 (2 accounts)" in caplog.text
