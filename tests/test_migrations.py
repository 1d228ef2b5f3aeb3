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
