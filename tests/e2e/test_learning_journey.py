"""A cadre finds a foundation course, enrolls, reads every lesson and sees the hours credited."""

import pytest

from tests.e2e.quiz_helpers import answer, attempt_snapshot, submit
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e


def test_cadre_completes_a_foundation_course(page, live_app, tmp_path):
    sign_in(page)
    assert page.locator("#in-progress-courses").is_visible()  # the demo city plan
    # Other journeys may have credited this year's hours already (the certificate one does).
    hours_before = float(page.locator("#hours-total").inner_text())
    page.get_by_role("link", name="课程", exact=True).click()
    page.get_by_label("层级").select_option("foundation")
    page.get_by_role("button", name="筛选").click()
    card = page.locator('.course-card[data-code="DA110"]')
    assert "未报名" in card.inner_text()
    card.get_by_role("link").click()

    page.get_by_role("button", name="报名学习").click()
    assert page.get_by_text("报名成功").is_visible()
    # Reading writes nothing; the lesson page reports the place to resume by itself.
    with page.expect_response("**/courses/DA110/lessons/3/opened") as beacon:
        page.goto("/courses/DA110/lessons/3")
    assert beacon.value.status == 204 and beacon.value.request.method == "POST"
    page.goto("/courses/DA110")
    continue_link = page.get_by_role("link", name="继续学习")
    assert continue_link.get_attribute("href").endswith("/courses/DA110/lessons/3")
    with page.expect_response("**/courses/DA110/lessons/1/opened"):
        page.goto("/courses/DA110/lessons/1")
    page.goto("/courses/DA110")
    page.get_by_role("link", name="继续学习").click()
    page.wait_for_url("**/courses/DA110/lessons/1")

    lesson_count = page.locator("aside ol li").count()
    assert lesson_count == 5
    seen = []
    for _ in range(lesson_count):
        page.locator("#complete-button").click()
        page.wait_for_load_state()
        bar = page.locator(".progress[role=progressbar]").first
        seen.append(int(bar.get_attribute("aria-valuenow")))
    # Five lessons and the graded quiz are six requirements (finding 12 of issue #17): the
    # bar moves lesson by lesson and stops short of 100 % while the quiz is left.
    assert seen == sorted(seen) and seen[0] == 16 and seen[-1] == 83

    # Every lesson is read, but completing the course also needs its graded quiz.
    page.goto("/courses/DA110")
    assert "已于" not in page.locator("#course-state").inner_text()
    page.locator("#quiz-list a").first.click()
    page.locator("#start-attempt").click()
    attempt_id = int(page.url.rstrip("/").split("/")[-1])
    for position, item in enumerate(attempt_snapshot(live_app, attempt_id)):
        answer(page, position, item)
    submit(page)
    assert " · 100% " in page.locator("#attempt-score").inner_text() + " "  # no ".00" noise
    page.goto("/courses/DA110")
    assert "已于" in page.locator("#course-state").inner_text()

    page.get_by_role("link", name="我的学习").first.click()
    assert float(page.locator("#hours-total").inner_text()) == hours_before + 5.0
    assert "选修 5.0" in page.locator("#learning-heading + .card").inner_text()
    assert "用数据说话" in page.locator("#completed-courses").inner_text()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)


def test_lesson_tables_render_in_the_reader(page):
    sign_in(page)
    page.goto("/courses/DC101/lessons/1")  # assigned by the demo plan
    assert page.locator(".lesson-body table").count() >= 1
    assert page.locator(".lesson-body h2").count() >= 2
