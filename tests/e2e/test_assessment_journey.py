"""A cadre takes a quiz with an essay, loses nothing on reload, a trainer grades the essay,
the cadre appeals a question and sees the regrade."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course, OrgUnit
from app.services.learning.plans.assigning import PlanInput, create_training_plan
from app.services.people.accounts import find_user_by_username
from tests.e2e.quiz_helpers import answer, attempt_snapshot, submit
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def gv320_assigned(live_app):
    """HR assigns GV320 (its quiz has an essay) to 渝中区, where the demo cadre works."""
    with live_app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == "GV320"))
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103"))
        create_training_plan(PlanInput("流程再造专题", date.today().year, unit, [], [], [course],
                                       date(date.today().year, 12, 31)),
                             actor=find_user_by_username("hr"))
        db.session.commit()


def test_quiz_reload_essay_grading_and_appeal(browser, live_server, live_app, gv320_assigned):
    learner = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    learner.set_default_timeout(15000)
    sign_in(learner, "cadre")
    learner.goto("/courses/GV320")
    learner.locator("#quiz-list a").first.click()
    learner.locator("#start-attempt").click()
    attempt_id = int(learner.url.rstrip("/").split("/")[-1])
    snapshot = attempt_snapshot(live_app, attempt_id)
    half = len(snapshot) // 2
    wrong = next(i for i, item in enumerate(snapshot) if item["type"] == "single")
    for position in range(half):
        answer(learner, position, snapshot[position], correct=position != wrong)

    learner.reload()  # closing the tab and coming back keeps every saved answer
    for position in range(half):
        box = learner.locator(f'fieldset[data-position="{position}"]')
        kept = (box.locator("input:checked").count() + sum(
            1 for field in box.locator("input[type=text], input:not([type]), textarea").all()
            if field.input_value()) + sum(
            1 for field in box.locator("select").all() if field.input_value()))
        assert kept > 0, f"question {position + 1} lost its answer"
    for position in range(half, len(snapshot)):
        answer(learner, position, snapshot[position], correct=position != wrong)
    submit(learner)
    assert learner.locator("#attempt-pending").is_visible()  # the essay waits for a trainer

    trainer = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    trainer.set_default_timeout(15000)
    sign_in(trainer, "trainer")
    trainer.goto("/teaching/essays")
    trainer.locator("#essay-queue a", has_text="评分").first.click()
    trainer.get_by_label("分数").fill("8")
    trainer.get_by_label("给学员的评语").fill("结合实际，思路清楚。")
    trainer.locator("#save-grade").click()
    assert trainer.get_by_text("评分已保存").is_visible()

    learner.reload()
    before = learner.locator("#attempt-score").inner_text()
    assert "思路清楚" in learner.content()
    review = learner.locator(f"#review-{wrong}")
    review.locator("summary").click()
    review.locator("textarea").fill("该选项在本区实践中同样成立。")
    review.get_by_role("button", name="提交申诉").click()
    assert learner.get_by_text("申诉已提交给课程教员").is_visible()

    trainer.goto("/teaching/appeals")
    trainer.locator("#appeal-queue a", has_text="处理").first.click()
    trainer.get_by_label("支持：本题给该学员满分").check()
    trainer.get_by_label("答复学员").fill("理由成立，本题给满分。")
    trainer.locator("#decide-appeal").click()
    assert trainer.get_by_text("处理决定已记录").is_visible()

    learner.reload()
    after = learner.locator("#attempt-score").inner_text()
    assert "已支持" in learner.locator(f"#review-{wrong}").inner_text()
    assert float(after.split("/")[0]) > float(before.split("/")[0])
