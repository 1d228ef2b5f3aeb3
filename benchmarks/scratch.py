"""The scratch database every benchmark runs on: emptied, then built by the real migrations."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from config import TestingConfig


@contextmanager
def scratch_app(database: str | None, *, prefix: str, in_memory: bool = False) -> Iterator[Flask]:
    """An app context on ``database`` (a SQLAlchemy URL, **emptied first**) or, without one,
    on a temporary SQLite file (SQLite in memory with ``in_memory``)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        url = database or (None if in_memory else f"sqlite:///{folder}/bench.sqlite")

        class BenchConfig(TestingConfig):
            @classmethod
            def apply_environment(cls, config):
                super().apply_environment(config)
                if url:
                    config["SQLALCHEMY_DATABASE_URI"] = url
                    config["SQLALCHEMY_ENGINE_OPTIONS"] = {}

        app = create_app(BenchConfig)
        with app.app_context():
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
            upgrade()
            yield app
