"""A trainer builds a course in the browser — lessons, a question bank from the Excel
template, a drawn quiz, a grid-incident data exercise — previews the exercise as a learner
(nothing recorded), publishes it; then a cadre finds it, takes it and completes it."""

import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Attempt, OrgUnit, Role, User
from app.services.platform.demo.seeding import DEMO_ACCOUNTS
from tests.e2e.quiz_helpers import answer, attempt_snapshot
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e

CODE = "DX901"
TITLE = "数据驱动的基层治理实务"
QUIZ_TITLE = "课程测验：数据驱动的基层治理"
EXERCISE_TITLE = "网格事件超期分析"
OVERDUE_SQL = "SELECT count(*) FROM incidents WHERE status = '已超期'"
DISTRICTS_SQL = "SELECT DISTINCT district FROM incidents ORDER BY 1"
BUSIEST_SQL = ("SELECT district FROM incidents GROUP BY district "
               "ORDER BY count(*) DESC, 1 LIMIT 1")
LESSONS = [
    ("第一课 读懂网格事件数据", "## 学习目标\n\n- 说出事件表的**字段**含义。\n\n"
                              "| 字段 | 含义 |\n|---|---|\n| status | 状态 |\n"),
    ("第二课 用分组统计找问题", "## 分组统计\n\n按街道统计超期事件，找出**最突出**的街道。\n"),
]


@pytest.fixture
def learner(live_app) -> str:
    """A generated cadre outside 渝中区. Not the demo `cadre`: the e2e tests share one
    database, and test_learning_journey counts the demo cadre's credit hours this year."""
    with live_app.app_context():
        yuzhong = db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == "500103"))
        return db.session.scalar(
            select(User.username).join(Role, Role.user_id == User.id)
            .join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(Role.name == RoleName.CADRE, ~OrgUnit.path.startswith(yuzhong),
                   User.username.not_in([account.username for account in DEMO_ACCOUNTS]))
            .order_by(User.username.desc()))


def _new_page(browser, live_server):
    page = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    page.set_default_timeout(20000)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _attempt_count(live_app) -> int:
    with live_app.app_context():
        return db.session.scalar(select(func.count(Attempt.id)))


def _run_console(page, sql) -> list[list[str]]:
    """Run `sql` in the page's SQL console and wait for its own result (not an older one)."""
    page.locator("#sql").fill(sql)
    page.locator("#run-sql").click()
    page.locator("#result .result-sql", has_text=sql).wait_for(state="attached")
    return [row.locator("td").all_inner_texts()
            for row in page.locator("#result-table tbody tr").all()]


def _create_course(page):
    page.locator("#menu-teaching").click()
    page.locator("#nav-authoring").click()
    page.wait_for_url("**/teaching/courses")
    page.locator("#new-course").click()
    form = page.locator("#course-form")
    form.locator("#code").fill(CODE)
    form.locator("#title").fill(TITLE)
    form.locator("#summary").fill("学会用网格事件数据发现并分析基层治理中的突出问题。")
    form.locator("#tier").select_option("foundation")
    form.locator('input[name="areas"][value="data"]').check()
    form.locator("#hours").fill("2")
    form.locator('input[name="kind"][value="elective"]').check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/lessons")
    assert page.locator("#course-status").inner_text() == "草稿"


def _add_lessons(page):
    for number, (title, body) in enumerate(LESSONS, start=1):
        page.goto(f"/teaching/courses/{CODE}/lessons")
        page.locator("#new-lesson").click()
        page.locator("#title").fill(title)
        page.locator("#minutes").fill("20")
        page.locator("#body").fill(body)
        # The live preview renders the Markdown with the learners' renderer.
        heading = body.splitlines()[0].removeprefix("## ")
        page.locator("#markdown-preview h2", has_text=heading).wait_for()
        page.locator("#markdown-preview strong").first.wait_for()
        page.locator('#lesson-form button[name="action"][value="save"]').click()
        page.wait_for_url(f"**/teaching/courses/{CODE}/lessons/{number}/edit")
    page.goto(f"/teaching/courses/{CODE}/lessons")
    titles = page.locator("#lesson-list tbody tr td:nth-child(2)").all_inner_texts()
    assert titles == [title for title, _body in LESSONS]


def _fill_question_sheet(path):
    """20 questions of area 数据素养与决策 in the template's 题目 sheet: 12 single choice,
    8 true/false, difficulty 1 or 2."""
    workbook = load_workbook(path)
    sheet = workbook["题目"]
    columns = {cell.value: cell.column for cell in sheet[1] if cell.value}
    for index in range(20):
        row = index + 2
        values = {"能力领域": "数据素养与决策", "难度": 1 + index % 2, "分值": 2,
                  "解析": f"第 {index + 1} 题的解析。"}
        if index < 12:
            values.update({"题型": "单选题",
                           "题干": f"网格事件数据中，第 {index + 1} 个问题选哪项？",
                           "选项A": f"选项甲{index}", "选项B": f"选项乙{index}",
                           "选项C": f"选项丙{index}", "正确答案": "ABC"[index % 3]})
        else:
            values.update({"题型": "判断题", "题干": f"判断：网格事件第 {index + 1} 条说法正确。",
                           "正确答案": "对" if index % 2 else "错"})
        for header, value in values.items():
            sheet.cell(row=row, column=columns[header], value=value)
    workbook.save(path)


def _import_questions(page, tmp_path):
    page.locator("#course-tabs a", has_text="题库").click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/questions")
    with page.expect_download() as download_info:
        page.locator(f'a[href="/teaching/courses/{CODE}/questions/template.xlsx"]').first.click()
    template = tmp_path / "questions.xlsx"
    download_info.value.save_as(template)
    _fill_question_sheet(template)

    page.goto(f"/teaching/courses/{CODE}/questions/import")
    page.locator("#file").set_input_files(str(template))
    page.locator("#import-form button[type=submit]").click()
    page.locator("#import-confirm").wait_for()
    assert "新增 20" in page.locator("#import-summary").inner_text()
    assert page.locator("#import-rows tbody tr").count() == 20
    assert page.locator("#import-problems").count() == 0
    page.locator("#import-confirm button[type=submit]").click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/questions")
    assert page.locator("h2 .badge").inner_text() == "20"
    assert page.locator("#question-list tbody tr").count() == 20


def _build_quiz(page):
    page.locator("#course-tabs a", has_text="测验").click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/assessments")
    page.locator("#new-quiz").click()
    form = page.locator("#quiz-form")
    form.locator("#title").fill(QUIZ_TITLE)
    form.locator("#slug").fill("final")
    form.locator("#pass_mark").fill("60")
    form.locator('input[name="mode"][value="draw"]').check()
    page.locator("#draw-rules").wait_for()
    page.locator("#draw-0-bank").select_option("course")
    page.locator("#draw-0-area").select_option("data")
    page.locator("#draw-0-count").fill("10")
    # The count of questions the rule can draw, live beside it.
    page.locator("#rule-0 .draw-available", has_text="可用 20 道").wait_for()
    page.locator("#save-quiz").click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/assessments")
    row = page.locator("#assessment-list tr", has_text=QUIZ_TITLE)
    assert "10" in row.inner_text() and "60%" in row.inner_text()


def _add_task(page, kind, prompt, reference_sql, options_sql=None):
    page.locator("#add-task").click()
    page.locator(f'#tasks .dropdown-menu a[href$="type={kind}"]').click()
    page.wait_for_url(f"**/tasks/new?type={kind}")
    page.locator("#prompt").fill(prompt)
    page.locator("#area").select_option("data")
    if options_sql:
        page.locator("#options_sql").fill(options_sql)
    page.locator("#reference_sql").fill(reference_sql)
    page.locator("#save-task").click()
    page.wait_for_url(re.compile(r".*/exercises/\d+/edit#tasks$"))


def _create_exercise(page):
    page.goto(f"/teaching/courses/{CODE}/assessments")
    page.locator("#new-exercise").click()
    form = page.locator("#exercise-form")
    form.locator("#title").fill(EXERCISE_TITLE)
    form.locator("#slug").fill("grid-overdue")
    form.locator("#brief").fill("## 任务说明\n\n区城运中心请你分析上半年的网格事件，找出超期问题。")
    form.locator('input[name="source"][value="scenario"]').check()
    page.locator("#scenario-choice").select_option("grid_incidents")
    page.locator("#param-grid_incidents-rows").fill("400")
    page.locator("#create-exercise").click()
    page.wait_for_url(re.compile(r".*/teaching/exercises/\d+/edit$"))
    assert page.locator("#no-tasks").is_visible()

    # The console on the sample data, before writing the tasks.
    counts = _run_console(page, "SELECT status, count(*) AS n FROM incidents "
                                "GROUP BY status ORDER BY n DESC")
    assert counts and "已超期" in [row[0] for row in counts]

    _add_task(page, "numeric", "统计状态为“已超期”的事件有多少件。", OVERDUE_SQL)
    _add_task(page, "choice", "哪个区县上报的事件最多？", BUSIEST_SQL, DISTRICTS_SQL)
    assert page.locator("#task-list li").count() == 2


def _preview_exercise(page, live_app):
    before = _attempt_count(live_app)
    page.locator("#preview-exercise").click()
    page.wait_for_url(re.compile(r".*/teaching/quizzes/\d+/preview/\d+$"))
    assert page.locator("#preview-banner").is_visible()
    assert "区城运中心" in page.locator("#brief").inner_text()
    assert page.locator("#data-table tbody tr").count() > 5
    assert page.locator("#question-0").is_visible() and page.locator("#question-1").is_visible()

    overdue = _run_console(page, OVERDUE_SQL)[0][0]
    busiest = _run_console(page, BUSIEST_SQL)[0][0]
    page.locator("#q0-value").fill(overdue)
    page.locator("#q1-value").select_option(busiest)
    page.locator("#check-button").click()
    page.locator("#preview-score").wait_for()
    score = page.locator("#preview-score").inner_text()
    assert "100" in score and "已通过" in score, score
    assert _attempt_count(live_app) == before  # graded in memory: nothing recorded


def _publish(page):
    page.goto(f"/teaching/courses/{CODE}/publish")
    assert page.locator("#publish-problems").count() == 0
    assert page.locator("#publish-ready").is_visible()
    page.locator("#publish-button").click()
    page.locator("#course-status", has_text="已发布").wait_for()
    assert page.locator("#publish-button").count() == 0


def _answer_task(page, position, item):
    box = page.locator(f"#question-{position}")
    if item["type"] == "numeric":
        box.locator("input").fill(f"{item['expected']:g}")
    else:
        box.locator("select").select_option(item["expected"])
    box.locator(".save-state", has_text="已保存").wait_for()


def _start(page, title) -> int:
    page.goto(f"/courses/{CODE}")
    page.locator("#quiz-list").get_by_role("link", name=title).click()
    page.locator("#start-attempt").click()
    page.wait_for_url(re.compile(r".*/attempts/\d+/?(#.*)?$"))
    return int(page.url.split("#")[0].rstrip("/").split("/")[-1])


def _submit(page, attempt_id) -> str:
    page.locator("#submit-button").click()  # the confirm dialog is accepted
    page.wait_for_url(f"**/attempts/{attempt_id}/review")
    return page.locator("#attempt-score").inner_text()


def _cadre_takes_the_course(page, live_app):
    page.goto("/courses")
    page.locator("#q").fill(CODE)
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(rf".*/courses/?\?q={CODE}.*"))
    page.locator(f'.course-card[data-code="{CODE}"]').get_by_role("link").first.click()
    page.wait_for_url(f"**/courses/{CODE}")
    page.locator("#enroll-button").click()
    page.locator("#course-state").wait_for()

    for number in (1, 2):
        page.goto(f"/courses/{CODE}/lessons/{number}")
        assert page.locator(".lesson-body h2").count() >= 1
        page.locator("#complete-button").click()
        page.wait_for_url(f"**/courses/{CODE}/lessons/2")  # on to the next lesson, if any
    page.locator("#lesson-done").wait_for()
    page.goto(f"/courses/{CODE}")
    assert page.locator("#lesson-list .badge").count() == 2
    assert "已于" not in page.locator("#course-state").inner_text()  # quizzes still to pass

    attempt_id = _start(page, QUIZ_TITLE)
    snapshot = attempt_snapshot(live_app, attempt_id)
    assert len(snapshot) == 10
    for position, item in enumerate(snapshot):
        answer(page, position, item)
    assert _submit(page, attempt_id).startswith("20 / 20 · 100%")

    attempt_id = _start(page, EXERCISE_TITLE)
    page.locator("#data-table").wait_for()
    snapshot = attempt_snapshot(live_app, attempt_id)
    for position, item in enumerate(snapshot):
        _answer_task(page, position, item)
    total = sum(item["points"] for item in snapshot)
    plain = f"{total:f}".rstrip("0").rstrip(".")
    assert _submit(page, attempt_id).startswith(f"{plain} / {plain} · 100%")

    page.goto(f"/courses/{CODE}")
    assert "已于" in page.locator("#course-state").inner_text()
    assert page.locator("#quiz-list .badge.text-bg-success").count() == 2
    page.goto("/")
    assert TITLE in page.locator("#completed-courses").inner_text()


def test_trainer_builds_and_publishes_a_course_a_cadre_completes(
        browser, live_server, live_app, learner, tmp_path):
    trainer = _new_page(browser, live_server)
    cadre = _new_page(browser, live_server)
    try:
        sign_in(trainer, "trainer")
        _create_course(trainer)
        _add_lessons(trainer)
        _import_questions(trainer, tmp_path)
        _build_quiz(trainer)
        _create_exercise(trainer)
        _preview_exercise(trainer, live_app)
        _publish(trainer)

        sign_in(cadre, learner)
        _cadre_takes_the_course(cadre, live_app)
    finally:
        trainer.context.close()
        cadre.context.close()
