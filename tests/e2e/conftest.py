"""A live server on a free loopback port and Debian's Chromium driven by Playwright.

The browser is the system package (/usr/bin/chromium, or CHROMIUM_PATH); no
browser is ever downloaded. Without it these tests skip with a one-line reason.
"""

import os
import shutil
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.services.platform.demo.seeding import seed_demo
from config import TestingConfig

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") \
        or shutil.which("chromium-browser")
    return candidate if candidate and os.access(candidate, os.X_OK) else None


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the browser talks to, on its own SQLite file with the demo data."""
    database = tmp_path_factory.mktemp("e2e") / "academy.db"

    class E2EConfig(TestingConfig):
        WTF_CSRF_ENABLED = True  # a real browser sends real forms

        @classmethod
        def apply_environment(cls, config):
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"

    app = create_app(E2EConfig)
    app.config["VIDEO_DIR"] = tmp_path_factory.mktemp("e2e-video")  # never the instance folder
    with app.app_context():
        upgrade()
        seed_demo(people=20, courses_dir=app.config["COURSES_DIR"])
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_path()
    if executable is None:
        reason = "Chromium not installed (apt-get install chromium); browser tests skipped"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason.replace("skipped", "required by REQUIRE_BROWSER"))
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
