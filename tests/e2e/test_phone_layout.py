"""Finding 18 of issue #17: on a 390 px phone, tables keep their words on a line and scroll
sideways instead of wrapping every Chinese character; lesson headings stay below the title."""

import pytest
from sqlalchemy import select

from app.domain.demo_study import GENERATED_PREFIX
from app.extensions import db
from app.models import User
from app.services.platform.demo.activity import study_as_demo_cadres
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


# Charts on a phone. Every <text> of a chart is measured on the screen: its size is the
# computed font size times the scale the SVG is drawn at (a chart drawn 480 wide and shown
# 330 wide shrinks its text by a third); its box is the text's own box mapped through that
# scale and any rotation, one em tall (a line's box is taller than its letters, and stacked
# lines may touch), so slanted axis labels are compared as the slanted boxes they are.
CHART_TEXTS = """(selector) => {
    const shown = el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const words = t => [...t.childNodes].filter(n => n.nodeName !== 'title')
        .map(n => n.textContent).join('').trim();
    return [...document.querySelectorAll(selector)].filter(shown).map(svg => {
        const frame = svg.getBoundingClientRect();
        const texts = [...svg.querySelectorAll('text')].filter(t => words(t) && shown(t));
        return {
            frame: [frame.left, frame.top, frame.right, frame.bottom],
            texts: texts.map(t => {
                const b = t.getBBox(), m = t.getScreenCTM();
                const size = parseFloat(getComputedStyle(t).fontSize);
                const middle = b.y + b.height / 2, top = middle - size / 2;
                const corners = [[b.x, top], [b.x + b.width, top],
                                 [b.x + b.width, top + size], [b.x, top + size]];
                return {
                    text: words(t),
                    px: size * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c)),
                    corners: corners.map(([x, y]) => [m.a * x + m.c * y + m.e,
                                                      m.b * x + m.d * y + m.f]),
                };
            }),
        };
    });
}"""
SMALLEST_TEXT_PX = 11


def _separated(first, second) -> bool:
    """Whether two convex quadrilaterals do not overlap (more than half a pixel): some edge
    direction of one of them separates their projections (the separating axis theorem)."""
    for corners in (first, second):
        for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True):
            axis = (y1 - y2, x2 - x1)
            length = (axis[0] ** 2 + axis[1] ** 2) ** 0.5 or 1.0
            a = [(x * axis[0] + y * axis[1]) / length for x, y in first]
            b = [(x * axis[0] + y * axis[1]) / length for x, y in second]
            if max(a) <= min(b) + 0.5 or max(b) <= min(a) + 0.5:
                return True
    return False


def _chart_problems(page, selector: str) -> list[str]:
    """What makes the page's charts hard to read on this screen, in words (none: legible)."""
    charts = page.evaluate(CHART_TEXTS, selector)
    assert charts, f"no chart shown at {selector}"
    width, problems = page.viewport_size["width"], []
    for number, chart in enumerate(charts):
        left, top, right, bottom = chart["frame"]
        if left < 0 or right > width + 0.5:
            problems.append(f"chart {number} spans {left:.0f}..{right:.0f} px of {width}")
        texts = chart["texts"]
        for text in texts:
            xs, ys = [x for x, _y in text["corners"]], [y for _x, y in text["corners"]]
            if text["px"] < SMALLEST_TEXT_PX:
                problems.append(f"chart {number}: {text['text']!r} is {text['px']:.1f} px")
            if min(xs) < left - 1 or max(xs) > right + 1 or min(ys) < top - 1 \
                    or max(ys) > bottom + 1:
                problems.append(f"chart {number}: {text['text']!r} is cut off")
        problems += [f"chart {number}: {a['text']!r} overlaps {b['text']!r}"
                     for i, a in enumerate(texts) for b in texts[i + 1:]
                     if not _separated(a["corners"], b["corners"])]
    return problems


@pytest.fixture(scope="module")
def studied(live_app):
    """The generated cadres study as the demo has them do (courses, quizzes, retakes), so the
    dashboard's charts have units, scores and areas to draw; returns one of them (id,
    username)."""
    with live_app.app_context():
        people = list(db.session.scalars(select(User).where(
            User.username.like(f"{GENERATED_PREFIX}%")).order_by(User.username)))
        study_as_demo_cadres(people)
        db.session.commit()
        return people[0].id, people[0].username


@pytest.fixture
def sharp_phone(browser, live_server):
    """A 390 px phone with a three-times screen, as the finding was seen on."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport=PHONE,
                                  device_scale_factor=3)
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def test_finding_18_dashboard_charts_are_legible_on_a_phone(sharp_phone, studied):
    sign_in(sharp_phone, "hr")
    sharp_phone.goto("/hr/dashboard/")
    assert _chart_problems(sharp_phone, "#dashboard-charts svg") == []


def test_finding_18_the_competency_radar_is_legible_on_a_phone(sharp_phone, studied):
    sign_in(sharp_phone, "hr")
    sharp_phone.goto(f"/records/{studied[0]}")
    assert _chart_problems(sharp_phone, "#radar svg") == []


@pytest.mark.parametrize(("sql", "kind"), [
    # two series (a legend) over short labels
    ("SELECT district, count(*) AS 人次, sum(amount_yuan) AS 金额 FROM claims GROUP BY 1",
     "bar"),
    # long labels (hospital names), slanted
    ("SELECT hospital, count(*) AS n FROM claims GROUP BY 1", "bar"),
    # many labels (years): only some are written
    ("SELECT birth_year, count(*) AS n FROM claims GROUP BY 1 ORDER BY 1", "line"),
])
def test_finding_18_query_charts_are_legible_on_a_phone(sharp_phone, studied, sql, kind):
    sign_in(sharp_phone, studied[1])
    sharp_phone.goto("/courses/SE220")
    exercise = sharp_phone.locator("#quiz-list li", has=sharp_phone.locator(".badge.text-bg-info"))
    exercise.get_by_role("link").click()
    sharp_phone.locator("#start-attempt, #resume-attempt").first.click()
    sharp_phone.wait_for_selector("#data-table")
    sharp_phone.locator("#tab-sql").click()
    sharp_phone.locator("#sql").fill(sql)
    sharp_phone.locator("#sql-chart").select_option(kind)
    sharp_phone.locator("#run-sql").click()
    sharp_phone.wait_for_selector("#result-chart")
    assert _chart_problems(sharp_phone, "#result-chart svg") == []
