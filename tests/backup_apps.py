"""Apps on their own databases for the backup tests (the suite's app uses SQLite in memory)."""

from pathlib import Path

from flask_migrate import upgrade

from app import create_app
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.services.learning.enrollment import enroll_in_course
from config import TestingConfig
from tests import factories


def app_on(url: str):
    """An app whose database is ``url``, whatever TEST_DATABASE_URL says."""

    class OwnDatabase(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS: dict = {}

        @classmethod
        def apply_environment(cls, config: dict) -> None:
            pass

    return create_app(OwnDatabase)


def seeded_sqlite_app(path: Path):
    """A migrated SQLite file with a tree, people, a course, enrollments and the seal."""
    app = app_on(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        seed_some_data()
    return app


def seed_some_data() -> None:
    tree = factories.make_tree()
    course = factories.make_course("BK101", lessons=3)
    factories.make_plan(unit=tree["city"], courses=[course])
    people = [factories.make_user(unit=tree[unit], name=f"学员{i}")
              for i, unit in enumerate(["jiefangbei", "chaotianmen", "guanyinqiao"] * 5)]
    factories.make_user(unit=tree["city"], roles=[RoleName.ADMIN], name="管理员")
    for person in people[:8]:
        enroll_in_course(course, actor=person)
    factories.make_seal()  # a file kept in the database, like course images
    db.session.commit()
