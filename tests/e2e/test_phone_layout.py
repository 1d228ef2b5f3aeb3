"""Finding 18 of issue #17: on a 390 px phone, tables keep their words on a line and scroll
sideways instead of wrapping every Chinese character; lesson headings stay below the title."""

import pytest

from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE)
    yield context.new_page()
    context.close()


def _tallest_header(page, table: str) -> tuple[float, float]:
    """(the tallest header cell's height, one line's height) of a table, in px."""
    return page.evaluate("""(selector) => {
        const cells = [...document.querySelectorAll(selector + ' th')];
        const line = parseFloat(getComputedStyle(cells[0]).lineHeight) || 24;
        return [Math.max(...cells.map(c => c.getBoundingClientRect().height)), line];
    }""", table)


@pytest.mark.parametrize(("user", "url", "table"), [
    ("hr", "/hr/dashboard/", "#dashboard-units"),
    ("hr", "/hr/plans/", "main table.table"),
])
def test_finding_18_tables_on_a_phone_scroll_instead_of_wrapping_each_character(
        phone, user, url, table):
    sign_in(phone, user)
    phone.goto(url)
    tallest, line = _tallest_header(phone, table)
    assert tallest < 2.5 * line, (tallest, line)  # one line of text, plus padding
    box = phone.locator(table).bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]  # the table scrolls within the screen


def test_finding_18_lesson_headings_are_smaller_than_the_lesson_title(phone):
    sign_in(phone, "cadre")
    phone.goto("/courses/")
    phone.locator("a[href^='/courses/DC101']").first.click()
    phone.wait_for_url("**/courses/DC101")
    phone.locator("a[href*='/lessons/']").first.click()
    phone.wait_for_url("**/lessons/*")
    sizes = phone.evaluate("""() => {
        const size = el => parseFloat(getComputedStyle(el).fontSize);
        const title = document.querySelector('main h1');
        const heads = [...document.querySelectorAll('.lesson-text h1, .lesson-text h2')];
        return [size(title), Math.max(0, ...heads.map(size))];
    }""")
    assert sizes[1] < sizes[0], sizes
