"""Four managers finish the same class at the same moment: one finishes it, three find it
finished (PostgreSQL only: SQLite refuses a second writer instead of making it wait)."""


import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import HourCredit, TrainingClass, User
from app.models.certificate import Certificate
from app.services.training.finishing import finish_class
from tests.concurrency import run_at_once
from tests.factories import make_tree
from tests.services.test_concurrent_submit import file_app  # noqa: F401 - a fixture
from tests.services.training.completion_setup import AFTER, make_scene, populate


def test_concurrent_finishes_credit_and_certify_once(file_app):  # noqa: F811
    if not file_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("concurrent writers need PostgreSQL")
    with file_app.app_context():
        tree = make_tree()
        scene = populate(make_scene(tree), tree)
        class_id, creator_id = scene.training_class.id, scene.creator.id

    def finish():
        training_class = db.session.get(TrainingClass, class_id)
        actor = db.session.get(User, creator_id)
        return lambda: finish_class(training_class, actor=actor, now=AFTER)

    outcomes, errors = run_at_once(file_app, finish, threads=4)
    with file_app.app_context():
        assert errors == []
        assert sorted(o.already for o in outcomes) == [False, True, True, True]
        count = db.session.scalar(select(func.count()).select_from(HourCredit))
        assert count == 2
        numbers = sorted(db.session.scalars(select(Certificate.number)))
        assert numbers == [1, 2]
