"""Shared fixtures: app, db, client, runner, login_as, count_queries.

The suite runs on SQLite in memory by default and on PostgreSQL when
TEST_DATABASE_URL is set. The schema is built once per run by the real
migrations (so every run exercises them), the first time a test asks for the app.

A test pays only for what it names: one that asks for ``app`` (or for ``db``,
``client``, ``runner``, ``tree``, ``login_as``, ``count_queries``... which all
take it) runs in an app context of its own and leaves the database empty; a pure
test (the domain's, the config's) asks for none of them and pays for neither.
"""

import contextlib

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from app import create_app
from app.domain.vocabulary import RoleName
from app.extensions import db as _db
from app.extensions import limiter
from app.services.learning.catalog import forget_published_courses
from config import TestingConfig
from tests import factories


class IsolatedClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``.

    Tests hold an app context open, and Flask reuses it for requests, so values
    that extensions cache on ``g`` (the signed-in user, the locale) would leak
    from one request, or one client, into the next. In production each request
    has its own app context; this restores that.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def _migrated_app(tmp_path_factory):
    """The app of the whole run, on a schema the migrations built."""
    app = create_app(TestingConfig)
    app.config["VIDEO_DIR"] = tmp_path_factory.mktemp("video")
    app.test_client_class = IsolatedClient
    with app.app_context():
        _drop_everything()
        upgrade()
    return app


def _drop_everything():
    _db.drop_all()
    with _db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def app(_migrated_app):
    """The app, in an app context of the test's own; the database is emptied afterwards."""
    forget_published_courses()  # ids are reused after the tables are emptied
    with _migrated_app.app_context():
        yield _migrated_app
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def tree(app):
    """A small Chongqing tree: city → 渝中区 (two streets) and 江北区 (one street)."""
    return factories.make_tree()


@pytest.fixture
def login_as(client, tree):
    """Create a user holding ``role`` (HR scoped to the city unless told) and sign them in."""

    def login(role: RoleName | str | None = RoleName.CADRE, *, user=None, scope=None, unit=None):
        if user is None:
            role = RoleName(role) if role else None
            user = factories.make_user(
                unit=unit or tree["jiefangbei"],
                roles=[role] if role and role is not RoleName.CADRE else [],
                scope=scope or (tree["city"] if role is RoleName.HR else None),
            )
            _db.session.commit()
        response = client.post("/auth/login", data={"username": user.username,
                                                    "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: ...`` then ``counter.count``.

    ``count_queries(own_context=True)`` runs the block in an app context of its own, with
    its own ``g`` and database session, as each request has in production (what the test
    wrote must be committed first). A request counted without it shares the test's
    session, whose identity map holds objects only weakly: whether the signed-in user is
    still in it (no statement), was dropped by the garbage collector (one) or is there but
    expired (two) depends on what the test holds and on when the collector last ran.
    """

    @contextlib.contextmanager
    def counting(*, own_context: bool = False):
        counter = QueryCounter()

        def before_execute(conn, cursor, statement, parameters, context, executemany):
            counter.statements.append(statement)

        event.listen(_db.engine, "before_cursor_execute", before_execute)
        try:
            with app.app_context() if own_context else contextlib.nullcontext():
                yield counter
        finally:
            event.remove(_db.engine, "before_cursor_execute", before_execute)

    return counting


@pytest.fixture
def report_queue(app, monkeypatch):
    """A report queue of this test's own on the machine's Redis (skips without one):
    the app is pointed at it, and (connection, Queue) is given; nothing is left behind."""
    import uuid

    from rq import Queue

    from tests.local_redis import LOCAL_REDIS_URL, local_redis

    connection = local_redis()
    if connection is None:
        pytest.skip(f"Redis is not reachable at {LOCAL_REDIS_URL}")

    queue = Queue(f"reports-test-{uuid.uuid4().hex[:8]}", connection=connection)
    monkeypatch.setitem(app.config, "REDIS_URL", LOCAL_REDIS_URL)
    monkeypatch.setitem(app.config, "REPORT_QUEUE", queue.name)
    yield connection, queue
    queue.delete(delete_jobs=True)
    connection.delete(queue.finished_job_registry.key)  # left behind by delete()


@pytest.fixture
def listening_worker(report_queue):
    """Registers a worker on the test's queue as `flask reports worker` does on starting."""
    from rq import SimpleWorker

    connection, queue = report_queue

    @contextlib.contextmanager
    def listening():
        worker = SimpleWorker([queue], connection=connection)
        worker.register_birth()
        try:
            yield worker
        finally:
            worker.register_death()
            connection.delete(worker.key)

    return listening
