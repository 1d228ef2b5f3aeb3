"""On a 390 px phone, with the keyboard only, a cadre builds a group-by with a filter in the
analysis builder, reads the steps and the result, undoes and redoes, and opens the SQL in
the console."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OrgUnit, User
from tests.e2e.signing import sign_in
from tests.e2e.test_exercise_journey import _start_exercise, gv210_assigned  # noqa: F401

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def third_cadre(live_app, gv210_assigned):  # noqa: F811
    """A cadre of 渝中区 whom the exercise journey does not use (it takes the first two)."""
    with live_app.app_context():
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103"))
        return db.session.scalars(
            select(User.username).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(OrgUnit.path.startswith(unit.path),
                   User.username.not_in(("cadre", gv210_assigned["other"], "trainer", "hr",
                                         "admin", "superadmin")))
            .order_by(User.username.desc())).first()


def _wait_rows(page, n: int) -> None:
    page.locator("#result-table tbody tr").nth(n - 1).wait_for()
    page.locator("#result-table tbody tr").nth(n).wait_for(state="detached")


def _focus(page, selector: str, most: int = 400) -> None:
    """Tab (never click) until the element has the focus."""
    for _ in range(most):
        if page.evaluate(f"document.activeElement === document.querySelector('{selector}')"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with Tab")


def _type(page, selector: str, text: str) -> None:
    _focus(page, selector)
    page.keyboard.type(text)


def _rows(page) -> list[list[str]]:
    return [row.locator("td").all_inner_texts()
            for row in page.locator("#result-table tbody tr").all()]


def test_a_group_by_with_a_filter_by_keyboard_on_a_phone(
        browser, live_server, gv210_assigned, third_cadre):  # noqa: F811
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20000)
    sign_in(page, third_cadre)
    _start_exercise(page, gv210_assigned["title"])
    page.locator("#tab-builder").focus()
    page.keyboard.press("Enter")
    page.locator("#tool-builder.active").wait_for()

    _type(page, "#b-filter-0-column", "status")
    _type(page, "#b-filter-0-value", "已超期")
    _type(page, "#b-group-0", "street")
    _focus(page, "#b-measure-0-func")
    page.keyboard.press("ArrowDown")  # the first figure: 计数
    _type(page, "#b-measure-0-name", "事件数")
    box = page.locator("#b-measure-0-name").bounding_box()
    assert box["width"] <= 390  # the rows stack on a phone
    page.keyboard.press("Enter")
    page.locator("#result-steps").wait_for()
    steps = page.locator("#result-steps .step-sentence").all_inner_texts()
    assert "筛选：状态 等于 已超期" in steps
    assert "按 街道 分组，统计 事件数" in steps
    first = _rows(page)
    assert len(first) >= 3 and int(first[0][1]) >= int(first[-1][1])
    assert page.locator("#result-table th").all_inner_texts() == ["街道", "事件数"]

    # A second run, then undo brings the first analysis back and redo the second.
    _focus(page, "#b-limit")
    page.keyboard.press("Control+a")
    page.keyboard.type("2")
    page.keyboard.press("Enter")
    _wait_rows(page, 2)
    _focus(page, "#builder-undo")
    page.keyboard.press("Enter")
    _wait_rows(page, len(first))
    assert page.locator("#b-limit").input_value() == "100"
    page.locator("#builder-undo").press("Control+Shift+Z")
    _wait_rows(page, 2)
    assert page.locator("#b-limit").input_value() == "2"

    # The SQL task (T2) takes the result on screen as its answer, no query typed.
    _focus(page, 'button.use-result-sql[data-target="q1-value"]', most=800)
    page.keyboard.press("Enter")
    assert "GROUP BY" in page.locator("#q1-value").input_value()
    assert "评分时按它" in page.locator("#q1-value-used").inner_text()

    _focus(page, "#result button.open-in-console", most=800)
    page.keyboard.press("Enter")
    page.locator("#tool-sql.active").wait_for()
    assert "GROUP BY" in page.locator("#sql").input_value()
    assert page.evaluate("document.activeElement.id") == "sql"
    context.close()
