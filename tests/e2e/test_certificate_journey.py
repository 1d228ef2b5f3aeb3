"""`cadre` completes DC101, downloads the certificate and verifies it on the public page."""

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.domain.certificates import mask_name
from app.extensions import db
from app.models import User
from tests.e2e.quiz_helpers import answer, attempt_snapshot, submit
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e


def _learner(live_app) -> User:
    with live_app.app_context():
        return db.session.scalar(select(User).where(User.username == "cadre"))


def test_cadre_earns_downloads_and_verifies_a_certificate(page, live_app, tmp_path):
    learner = _learner(live_app)
    sign_in(page, learner.username)
    page.goto("/courses/DC101")  # assigned to every cadre by the demo city plan
    page.get_by_role("link", name="继续学习").click()
    for _ in range(page.locator("aside ol li").count()):
        page.locator("#complete-button").click()
        page.wait_for_load_state()
    page.goto("/courses/DC101")
    page.locator("#quiz-list a").first.click()
    page.locator("#start-attempt").click()
    attempt_id = int(page.url.rstrip("/").split("/")[-1])
    for position, item in enumerate(attempt_snapshot(live_app, attempt_id)):
        answer(page, position, item)
    submit(page)

    page.locator("#nav-certificates").click()
    row = page.locator("#certificates tbody tr", has_text="数字中国")
    assert row.locator(".badge.text-bg-success").count() == 1  # valid
    row.locator("a.font-monospace").click()
    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    data = open(download.value.path(), "rb").read()  # noqa: SIM115 - read once
    assert data.startswith(b"%PDF") and len(data) > 5_000

    link = urlsplit(page.locator("#verify-link").get_attribute("href"))
    page.goto(f"{link.path}?{link.query}")  # the printed host is PUBLIC_BASE_URL
    assert page.locator("#verify-result .text-bg-success").count() == 1
    assert page.locator("#masked-name").inner_text() == mask_name(learner.name)
    assert learner.name not in page.locator("#main").inner_text()  # the header shows it
    page.screenshot(path=str(tmp_path / "verify.png"), full_page=True)
