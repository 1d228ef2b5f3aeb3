"""Issue #17, finding 9, in a browser: an open quiz keeps its session alive past the idle
timeout by its heartbeat (static/js/keepalive.js), while a page without an exam signs out.

Both clocks are the test's: the server's idle stamps read app.web.sessions._now (the live
server runs in this process), and Playwright's clock drives the page's timers, so half an
hour of idleness takes no time. The idle timeout is the configured 30 minutes; the page
beats every 5 minutes (the smaller of 300 s and 20 s per idle minute).
"""

import pytest
from sqlalchemy import select

from app.domain.demo_study import GENERATED_PREFIX
from app.extensions import db
from app.models import User
from app.web import sessions
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e
MINUTE = 60
BEAT_MS = 300 * 1000


@pytest.fixture
def server_clock(monkeypatch):
    """The server's clock for idle stamps, moved on by the test."""
    moment = {"now": 1_900_000_000}
    monkeypatch.setattr(sessions, "_now", lambda: moment["now"])
    return moment


@pytest.fixture
def timed_page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.clock.install()
    yield page
    context.close()


def _generated_cadre(live_app) -> str:
    """A generated cadre no other browser test signs in as (they take the first ones)."""
    with live_app.app_context():
        return db.session.scalar(select(User.username).where(
            User.username.like(f"{GENERATED_PREFIX}%")).order_by(User.username.desc()))


def test_finding_9_an_open_quiz_keeps_the_session_alive_past_the_idle_timeout(
        timed_page, live_app, server_clock):
    page = timed_page
    sign_in(page, _generated_cadre(live_app))
    page.goto("/courses/DC101")
    page.locator("#quiz-list a").first.click()
    page.locator("#start-attempt, #resume-attempt").first.click()
    page.wait_for_url("**/attempts/*")
    attempt = page.url
    for _beat in range(3):  # 20 minutes without a click, then the heartbeat, three times
        server_clock["now"] += 20 * MINUTE
        with page.expect_response("**/auth/keepalive") as beat:
            page.clock.run_for(BEAT_MS)
        assert beat.value.status == 200  # signed in: a signed-out beat gets a 401
    # An hour since the cadre last did anything on the page, and still signed in.
    page.reload()
    assert page.url == attempt and "/auth/login" not in page.url


def test_finding_9_a_page_without_an_exam_signs_out_after_the_idle_timeout(
        timed_page, live_app, server_clock):
    page = timed_page
    beats = []
    page.on("request", lambda request: beats.append(request.url)
            if "/auth/keepalive" in request.url else None)
    sign_in(page, _generated_cadre(live_app))
    page.goto("/records/me")
    server_clock["now"] += 31 * MINUTE
    page.clock.run_for(2 * BEAT_MS)  # no heartbeat on this page
    assert beats == []
    page.reload()
    assert page.url.endswith("/auth/login?next=/records/me")
    assert "分钟无操作，已自动退出" in page.locator("main").inner_text()
