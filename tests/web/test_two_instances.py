"""Two real app processes share one database (and Redis when there is one) and nothing else:
an upload previewed on instance A is confirmed on instance B.

The database is a SQLite file of this test's own, or the suite's PostgreSQL database when
TEST_DATABASE_URL is set. Each instance is gunicorn started in the checkout, so it also
shows that gunicorn.conf.py gives each instance a control socket of its own.
"""

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import PendingUpload, Question, User
from tests import factories
from tests.backup_apps import app_on
from tests.fixtures.roster.files import person, roster_csv
from tests.local_redis import local_redis
from tests.web.instances import (
    Browser,
    free_port,
    start_instance,
    stop,
    upload_token,
    wait_until_serving,
)
from tests.web.test_authoring_questions import HEADER, _row, _xlsx


@pytest.fixture
def shared_app(app, tmp_path):
    """An app on the database both instances use, for the test's own writes and reads."""
    if os.environ.get("TEST_DATABASE_URL"):
        return app  # the suite's database, emptied after the test as every test's is
    own = app_on(f"sqlite:///{tmp_path / 'shared.db'}")
    with own.app_context():
        upgrade()
    return own


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the shared Redis (None without Redis); its keys
    are deleted afterwards."""
    connection = local_redis()
    if connection is None:
        yield None
        return
    prefix = f"two-instances-{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


@pytest.fixture
def instances(shared_app, tmp_path, redis_prefix):
    """Base URLs of instances A and B; the control sockets' folder is a short one (a Unix
    socket path has at most 107 bytes), so also yielded."""
    sockets = Path(tempfile.mkdtemp(prefix="ctl-"))
    env = {**os.environ, "TEST_DATABASE_URL": shared_app.config["SQLALCHEMY_DATABASE_URI"],
           "XDG_RUNTIME_DIR": str(sockets), "REDIS_URL": "", "LIMIT_PREFIX": ""}
    if redis_prefix:
        env.update(REDIS_URL="redis://127.0.0.1:6379/0", LIMIT_PREFIX=redis_prefix,
                   REPORT_QUEUE=redis_prefix)
    started = []
    try:
        for name in ("a", "b"):
            port, log = free_port(), tmp_path / f"instance-{name}.log"
            folder = tmp_path / f"instance-{name}"
            folder.mkdir()
            started.append((f"http://127.0.0.1:{port}",
                            start_instance(port, {**env, "INSTANCE_PATH": str(folder)}, log),
                            log))
        for base, process, log in started:
            wait_until_serving(base, process, log)
        yield [base for base, _process, _log in started], sockets
    finally:
        for _base, process, _log in started:
            stop(process)
        shutil.rmtree(sockets, ignore_errors=True)


@pytest.fixture
def admin(shared_app):
    with shared_app.app_context():
        tree = factories.make_tree()
        user = factories.make_user(unit=tree["city"], username="ADMIN1", roles=[RoleName.ADMIN])
        factories.make_course("DA110")
        db.session.commit()
        return user.username


def _count(shared_app, statement) -> int:
    with shared_app.app_context():
        return db.session.scalar(statement)


def test_a_roster_previewed_on_one_instance_is_confirmed_on_the_other(shared_app, admin,
                                                                       instances):
    (a, b), sockets = instances
    browser = Browser()
    browser.sign_in(a, admin, factories.PASSWORD)
    csrf = browser.csrf_token(f"{a}/admin/roster/")
    status, preview = browser.post(f"{a}/admin/roster/", {"csrf_token": csrf}, file=(
        "file", "roster.csv", roster_csv([person("CQ1", "张三"), person("CQ2", "李四")])))
    assert status == 200 and 'id="roster-confirm"' in preview
    token = upload_token(preview)

    status, done = browser.post(f"{b}/admin/roster/confirm", {"token": token, "csrf_token": csrf})
    assert status == 200 and 'id="roster-passwords"' in done
    assert _count(shared_app, select(func.count()).select_from(User)
                  .where(User.username.in_(["CQ1", "CQ2"]))) == 2
    assert _count(shared_app, select(func.count()).select_from(PendingUpload)) == 0
    # Each gunicorn took a control socket of its own (gunicorn.conf.py).
    assert sorted(path.name for path in sockets.iterdir()) == sorted(
        f"academy-127.0.0.1-{base.rsplit(':', 1)[1]}.ctl" for base in (a, b))


def test_a_question_workbook_previewed_on_one_instance_is_imported_on_the_other(
        shared_app, admin, instances):
    (a, b), _sockets = instances
    browser = Browser()
    browser.sign_in(b, admin, factories.PASSWORD)  # signed in on B, previewing on A
    url = "/teaching/courses/DA110/questions/import"
    csrf = browser.csrf_token(f"{a}{url}")
    workbook = _xlsx([HEADER, _row(prompt="一"), _row(prompt="二", answer="错")])
    status, preview = browser.post(f"{a}{url}", {"csrf_token": csrf},
                                   file=("file", "questions.xlsx", workbook))
    assert status == 200, preview
    status, _page = browser.post(f"{b}{url}/confirm", {"token": upload_token(preview),
                                                       "csrf_token": csrf})
    assert status == 302
    assert _count(shared_app, select(func.count()).select_from(Question)) == 2
