"""Twenty threads submit one attempt at once, each in its own session: exactly one grades it.

Uses its own app on its own database (a SQLite file in WAL mode, or a throwaway
database on the PostgreSQL server) so the threads really hold separate connections.
"""

import contextlib
import uuid

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, func, make_url, select, text

from app import create_app
from app.extensions import db
from app.models import Attempt, QuizResult, User
from app.services.assessment.attempts import start_attempt, submit_attempt
from app.services.learning.enrollment import enroll_in_course
from config import TestingConfig
from tests import factories
from tests.concurrency import run_at_once


@contextlib.contextmanager
def _scratch_database(main_url: str, tmp_path):
    """A database of its own: a SQLite file, or a throwaway database on the PostgreSQL server."""
    if not main_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'concurrent.db'}"
        return
    name = f"academy_concurrent_{uuid.uuid4().hex[:12]}"
    server = create_engine(make_url(main_url).set(database="postgres"),
                           isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(main_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture
def file_app(tmp_path, app):
    with _scratch_database(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as url:

        class FileConfig(TestingConfig):
            @classmethod
            def apply_environment(cls, config):
                config["SQLALCHEMY_DATABASE_URI"] = url
                # One connection per thread: the default pool (5 + 10) would queue some.
                config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_size": 25, "max_overflow": 0}

        other = create_app(FileConfig)
        with other.app_context():
            upgrade()
        yield other
        with other.app_context():
            db.engine.dispose()


def test_twenty_concurrent_submits_grade_once(file_app):
    with file_app.app_context():
        tree = factories.make_tree()
        course = factories.make_course("CC101", lessons=1)
        quiz = factories.make_quiz(course, [factories.make_question("CC101-Q01", course=course)])
        cadre = factories.make_user(unit=tree["jiefangbei"])
        enroll_in_course(course, actor=cadre)
        attempt_id = start_attempt(quiz, actor=cadre).id
        db.session.commit()

    def submit():
        attempt = db.session.get(Attempt, attempt_id)
        user = db.session.get(User, attempt.user_id)
        return lambda: submit_attempt(attempt, actor=user)

    outcomes, errors = run_at_once(file_app, submit, threads=20)
    with file_app.app_context():
        assert errors == []
        assert outcomes.count(True) == 1 and len(outcomes) == 20
        assert db.session.scalar(select(func.count(QuizResult.id))) == 1
        assert db.session.get(Attempt, attempt_id).state.value == "graded"
