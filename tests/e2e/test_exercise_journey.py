"""A cadre works through the grid-incident exercise in the browser: filters the table,
runs SQL, builds a grouped chart without code, answers every task, submits and reads
the feedback; a second cadre gets other numbers."""

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course, OrgUnit, Quiz, User
from app.services.learning.plans.assigning import PlanInput, create_training_plan
from app.services.people.accounts import find_user_by_username
from tests.e2e.quiz_helpers import attempt_snapshot
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e
COUNT_BY_STREET = ("SELECT trim(street) AS street, count(*) AS n FROM incidents "
                   "GROUP BY 1 ORDER BY n DESC, 1")


@pytest.fixture
def gv210_assigned(live_app):
    """HR assigns GV210 (the grid-incident exercise) to 渝中区; returns a second cadre there."""
    with live_app.app_context():
        course = db.session.scalar(select(Course).where(Course.code == "GV210"))
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103"))
        create_training_plan(PlanInput("基层智治专题", date.today().year, unit, [], [], [course],
                                       date(date.today().year, 12, 31)),
                             actor=find_user_by_username("hr"))
        db.session.commit()
        other = db.session.scalar(
            select(User.username).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(OrgUnit.path.startswith(unit.path), User.username != "cadre",
                   User.username.not_in(("trainer", "hr", "admin", "superadmin")))
            .order_by(User.username))
        exercise = db.session.scalar(select(Quiz.title).where(Quiz.code == "GV210/grid-overdue"))
        return {"other": other, "title": exercise}


def _start_exercise(page, title) -> int:
    page.goto("/courses/GV210")
    page.locator("#quiz-list").get_by_role("link", name=title).click()
    page.locator("#start-attempt").click()
    page.wait_for_selector("#data-table")
    return int(page.url.split("#")[0].rstrip("/").split("/")[-1])


def _run_sql(page, sql) -> list[list[str]]:
    page.locator("#tab-sql").click()
    page.locator("#sql").fill(sql)
    page.locator("#run-sql").click()
    page.wait_for_selector("#result-table")
    return [row.locator("td").all_inner_texts()
            for row in page.locator("#result-table tbody tr").all()]


def _answer(page, position, item):
    box = page.locator(f"#question-{position}")
    kind, expected = item["type"], item["expected"]
    if kind == "numeric":
        box.locator("input").fill(f"{expected:.4f}")
    elif kind == "choice":
        box.locator("select").select_option(expected)
    elif kind == "sql":
        box.locator("textarea").fill(item["reference_sql"])
    elif kind == "rows":
        box.locator("textarea").fill("\n".join(expected))
    else:
        for column in expected:
            box.locator(f'input[value="{column}"]').check()
    box.locator(".save-state", has_text="已保存").wait_for()


def test_grid_exercise_from_table_to_feedback(browser, live_server, live_app, gv210_assigned):
    page = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    page.set_default_timeout(20000)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "cadre")
    attempt_id = _start_exercise(page, gv210_assigned["title"])
    assert "任务说明" in page.locator("#brief").inner_text()

    # Filter the table on the server: only 渝中区 rows, and the count says how many.
    page.locator("#filter-0-column").select_option("district")
    page.locator("#filter-0-op").select_option("eq")
    page.locator("#filter-0-value").fill("渝中区")
    page.locator("#apply-filter").click()
    page.wait_for_url("**filter-0-value=**")
    districts = page.locator("#data-table tbody tr td:nth-child(2)").all_inner_texts()
    assert districts and set(districts) == {"渝中区"}
    assert "共" in page.locator("#table-count").inner_text()

    # A SQL query, and a refused one with a plain message.
    mine = _run_sql(page, COUNT_BY_STREET)
    assert len(mine) > 5 and int(mine[0][1]) >= int(mine[-1][1])
    page.locator("#sql").fill("DELETE FROM incidents")
    page.locator("#run-sql").click()
    page.locator("#query-error", has_text="只允许查询语句").wait_for()

    # The no-code builder: overdue incidents counted per street, as a bar chart.
    page.locator("#tab-builder").click()
    page.locator("#b-filter-0-column").fill("status")
    page.locator("#b-filter-0-op").select_option("eq")
    page.locator("#b-filter-0-value").fill("已超期")
    page.locator("#b-group-0").fill("street")
    page.locator("#b-measure-0-func").select_option("count")
    page.locator("#builder-chart").select_option("bar")
    page.locator("#run-builder").click()
    page.wait_for_selector("#result-chart svg")
    assert page.locator("#result-chart svg rect.bar").count() >= 5
    assert "GROUP BY" in page.locator(".result-sql").inner_text()

    # Every task answered (autosaved), then submitted; the review explains each one.
    snapshot = attempt_snapshot(live_app, attempt_id)
    for position, item in enumerate(snapshot):
        _answer(page, position, item)
    page.locator("#submit-button").click()
    page.wait_for_url(f"**/attempts/{attempt_id}/review")
    score = page.locator("#attempt-score").inner_text()
    total = sum(item["points"] for item in snapshot)
    assert score.startswith(f"{total:f}".rstrip("0").rstrip(".") + " / ")  # no ".00" noise
    assert page.locator(".reference-sql").count() >= len(snapshot) - 1
    assert page.locator(".task-detail").count() >= 2  # the SQL task and the record picking

    # Another cadre of the same district gets other numbers for the same question.
    other = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    other.set_default_timeout(20000)
    sign_in(other, gv210_assigned["other"])
    other_attempt = _start_exercise(other, gv210_assigned["title"])
    theirs = _run_sql(other, COUNT_BY_STREET)
    assert theirs != mine
    assert [i["expected"] for i in attempt_snapshot(live_app, other_attempt)] != \
        [i["expected"] for i in snapshot]
