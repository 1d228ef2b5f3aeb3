"""Twenty threads submit one attempt at once, each in its own session: exactly one grades it.

Uses its own app on a file database (SQLite in WAL mode, or the PostgreSQL test
database) so the threads really hold separate connections.
"""

import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Attempt, QuizResult, User
from app.services.attempts import start_attempt, submit_attempt
from app.services.learning import enroll_in_course
from config import TestingConfig
from tests import factories


@pytest.fixture
def file_app(tmp_path, app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the PostgreSQL run shares one database with the main app fixture")

    class FileConfig(TestingConfig):
        @classmethod
        def apply_environment(cls, config):
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'concurrent.db'}"
            # One connection per thread: the default pool (5 + 10) would queue some of them.
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

    outcomes, errors = [], []
    barrier = threading.Barrier(20, timeout=30)

    def submit():
        with file_app.app_context():
            try:
                attempt = db.session.get(Attempt, attempt_id)
                user = db.session.get(User, attempt.user_id)
                barrier.wait()
                outcomes.append(submit_attempt(attempt, actor=user))
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - collected and asserted below
                errors.append(error)
                db.session.rollback()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    with file_app.app_context():
        assert errors == []
        assert outcomes.count(True) == 1 and len(outcomes) == 20
        assert db.session.scalar(select(func.count(QuizResult.id))) == 1
        assert db.session.get(Attempt, attempt_id).state.value == "graded"
