"""A cadre opens a graded hint in the desensitisation exercise (SE220, assigned city-wide):
the page states its cost and asks first, the text appears only once opened, and after
submitting the review shows the hint used and what it cost."""

import html
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course, Enrollment, OrgUnit, Quiz, User
from tests.e2e.quiz_helpers import attempt_snapshot
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e
NAMED = ("cadre", "trainer", "hr", "hr_yuzhong", "admin", "superadmin")


@pytest.fixture
def se220_cadre(live_app):
    """A generated cadre enrolled in SE220 (the city-wide plan) with no attempt at its
    exercise, and the exercise's title."""
    with live_app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == "SE220"))
        username = db.session.scalar(
            select(User.username).join(Enrollment, Enrollment.user_id == User.id)
            .join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(Enrollment.course_id == course.id, User.username.not_in(NAMED))
            .order_by(User.username.desc()))
        title = db.session.scalar(select(Quiz.title).where(
            Quiz.code == "SE220/health-desensitize"))
        return {"username": username, "title": title}


def test_a_hint_is_opened_after_its_cost_is_shown_and_charged_in_the_review(
        browser, live_server, live_app, se220_cadre):
    page = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    page.set_default_timeout(20000)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, se220_cadre["username"])
    page.goto("/courses/SE220")
    page.locator("#quiz-list").get_by_role("link", name=se220_cadre["title"]).click()
    page.locator("#start-attempt").click()
    page.wait_for_selector("#data-table")
    attempt_id = int(page.url.split("#")[0].rstrip("/").split("/")[-1])
    snapshot = attempt_snapshot(live_app, attempt_id)
    position = next(i for i, item in enumerate(snapshot) if item["type"] == "numeric"
                    and item.get("hints"))
    item = snapshot[position]
    cost = item["hints"][0]["cost_percent"]
    hint = page.locator(f"#hint-{position}-1")

    # Before opening: the cost, never the text.
    summary = hint.locator("summary")
    assert summary.inner_text() == f"提示 1（使用后扣本题 {cost}% 分值）"
    assert page.locator(".task-hint").count() == 0
    assert item["hints"][0]["html"] not in page.content()

    # The answer typed first is kept; the hint opens after the confirm step.
    box = page.locator(f"#question-{position}")
    box.locator("input").fill(f"{item['expected']:g}")
    summary.click()
    assert f"扣除 {cost}% 分值" in hint.inner_text()
    hint.get_by_role("button", name="确定打开提示 1").click()
    page.wait_for_url(f"**/attempts/{attempt_id}#question-{position}")
    opened = page.locator(f"#hint-{position}-1.task-hint")
    opened.wait_for()
    assert f"已打开，扣本题 {cost}% 分值" in opened.inner_text()
    plain = html.unescape(re.sub(r"<[^>]+>", "", item["hints"][0]["html"])).strip()
    assert opened.locator(".hint-text").inner_text().strip() == plain
    assert box.locator("input").input_value() == f"{item['expected']:g}"

    page.locator("#submit-button").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/review")
    task = page.locator(f"#review-{position}")
    assert f"使用提示 1 个，扣本题 {cost}% 分值" in task.inner_text()
    left = item["points"] * (100 - cost) / 100
    assert f"· {left:g} / {item['points']:g}" in task.locator("h2").inner_text()
