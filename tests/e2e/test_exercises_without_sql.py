"""Issue 18, part 2's proof: every shipped data exercise can be passed without typing SQL.

For each exercise a cadre who has not touched it enrolls, starts an attempt and answers
from what the page shows only: the data table's filter and its row count, the analysis
builder's result table (and chart), and the task forms. An SQL task is answered by
building its ``builder_solution`` in the builder and pressing "用当前分析结果作答" (or, for
a twin, by the number the builder shows). The console is never used: no request reaches
its address, and its box stays empty. Prerequisite courses are completed through the
services beforehand: that is setup, not the answering path."""

from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from app.domain.vocabulary import QuizKind, RoleName
from app.extensions import db
from app.models import Course, OrgUnit, Quiz, Role, User
from app.services.assessment.attempts import save_answers, start_attempt, submit_attempt
from app.services.exercises.tasks import is_task
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.platform.demo.answers import demo_response, demo_task_response
from app.services.platform.demo.seeding import DEMO_ACCOUNTS
from tests.e2e.builder_helpers import (
    analyse,
    answer_choice,
    answer_columns,
    answer_number,
    answer_rows,
    answer_with_result,
    table_cells,
    table_count,
)
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e
COURSES = Path(__file__).resolve().parents[2] / "courses"


def solution(path: str, task_id: str) -> dict:
    """The builder model the course file ships for an SQL task."""
    tasks = yaml.safe_load((COURSES / path).read_text(encoding="utf-8"))["tasks"]
    return next(task["builder_solution"] for task in tasks if task["id"] == task_id)


def number(cell: str) -> float:
    return float(cell.replace(",", ""))


def eq(column: str, value: str) -> dict:
    return {"column": column, "op": "eq", "value": value}


# --- the grid incidents (GV210) -------------------------------------------------------------

CLEAN_STREET = [{"name": "去半角空格", "func": "replace", "column": "street", "args": [" ", ""]},
                {"name": "街道", "func": "replace", "column": "去半角空格", "args": ["　", ""]}]


def grid_overdue(page, url) -> set[int]:
    overdue = analyse(page, url, {"table": "incidents", "filters": [eq("status", "已超期")],
                                  "measures": [{"func": "count_distinct", "column": "id"}]})
    answer_number(page, 0, overdue[0][0])

    streets = analyse(page, url, solution("GV210/exercises/grid-overdue.yaml", "T2"))
    answer_with_result(page, 1)
    worst = max(streets, key=lambda row: number(row[3]))[0]  # 街道, 总数, 超期数, 超期率
    answer_choice(page, 2, worst)

    done = [eq("status", "已办结"), {"column": "handling_hours", "op": "ge", "value": "0"}]
    mine, others = [{"column": "街道", "op": "eq", "value": worst}], \
        [{"column": "街道", "op": "ne", "value": worst}]
    hours = analyse(page, url, {
        "table": "incidents", "derived": CLEAN_STREET,
        "distinct": ["id", "街道", "status", "handling_hours"], "filters": done,
        "measures": [{"func": "sum", "column": "handling_hours", "name": "本街道", "where": mine},
                     {"func": "count", "name": "本街道件数", "where": mine},
                     {"func": "sum", "column": "handling_hours", "name": "其余", "where": others},
                     {"func": "count", "name": "其余件数", "where": others}]})[0]
    ratio = (number(hours[0]) / number(hours[1])) / (number(hours[2]) / number(hours[3]))
    answer_number(page, 3, f"{ratio:.2f}")

    negative = analyse(page, url, {
        "table": "incidents", "filters": [{"column": "handling_hours", "op": "lt", "value": "0"}],
        "group_by": ["id"], "measures": [{"func": "count", "name": "记录数"}], "limit": 1000})
    answer_rows(page, 4, [row[0] for row in negative])

    monthly = analyse(page, url, {
        "table": "incidents",
        "derived": [{"name": "月份", "func": "year_month", "column": "reported_at"}],
        "distinct": ["id", "category", "月份"], "group_by": ["category", "月份"],
        "measures": [{"func": "count", "name": "件数"}], "limit": 1000})
    answer_choice(page, 5, _biggest_spike(monthly))
    return {0, 1, 2, 3, 4, 5}


def _biggest_spike(monthly: list[list[str]]) -> str:
    """The category whose top month is the most above the average of its other months."""
    counts: dict[str, list[float]] = {}
    for category, _month, n in monthly:
        counts.setdefault(category, []).append(number(n))

    def spike(values: list[float]) -> float:
        top = max(values)
        rest = sorted(values)[:-1]
        return top / (sum(rest) / len(rest))
    return max(counts, key=lambda category: spike(counts[category]))


# --- the community requests (DA100) ---------------------------------------------------------

def community_month(page, url) -> set[int]:
    answer_number(page, 0, table_count(page, url, "requests", "status", "eq", "处置中"))
    by_count = [{"column": "件数", "descending": True}]
    count = [{"func": "count", "name": "件数"}]

    kinds = analyse(page, url, {"table": "requests", "group_by": ["category"],
                                "measures": count, "sort": by_count})
    answer_choice(page, 1, kinds[0][0])

    lifts = analyse(page, url, {"table": "requests", "filters": [eq("category", "电梯故障")],
                                "group_by": ["building"], "measures": count, "sort": by_count})
    building = lifts[0][0]
    assert number(lifts[0][1]) > number(lifts[1][1])  # one building stands out
    answer_choice(page, 2, building)

    late = analyse(page, url, {"table": "requests", "filters": [
        eq("category", "电梯故障"),
        {"column": "reported_at", "op": "ge", "value": "2025-09-24 00:00:00"}],
        "group_by": ["building"], "measures": count})
    answer_number(page, 3, next(row[1] for row in late if row[0] == building))

    noise = analyse(page, url, {"table": "requests", "filters": [eq("category", "噪音扰民")],
                                "group_by": ["weekday"], "measures": count, "sort": by_count},
                    chart="bar")
    # The chart is drawn wide and for phones; the one on screen has a bar per row.
    assert page.locator("#result-chart svg:visible rect.bar").count() == len(noise)
    answer_choice(page, 4, noise[0][0])

    unfinished = analyse(page, url, {"table": "requests", "filters": [
        eq("status", "已办结"), {"column": "closed_at", "op": "is_empty"}], "columns": ["id"]})
    answer_rows(page, 5, [row[0] for row in unfinished])
    return {0, 1, 2, 3, 4, 5}


# --- the health claims (SE220) --------------------------------------------------------------

def health_desensitize(page, url) -> set[int]:
    # Judgement, not computation: the direct identifiers and the diagnosis this study
    # does not need (the task's text says what the data is for).
    answer_columns(page, 0, ["name", "id_number", "phone", "diagnosis"])

    lonely = analyse(page, url, solution("SE220/exercises/health-desensitize.yaml", "T3"))
    answer_with_result(page, 2)
    answer_number(page, 1, len(lonely))  # one row per class with a single person

    # The records of those classes: list the claims of their birth years, keep the rows
    # whose year, gender and district make one of the classes read above.
    classes = {tuple(row[:3]) for row in lonely}
    listed = analyse(page, url, {
        "table": "claims", "columns": ["record_id", "birth_year", "gender", "district"],
        "filters": [{"column": "birth_year", "op": "in",
                     "value": ",".join(sorted({year for year, _, _ in classes}))}],
        "limit": 1000})
    answer_rows(page, 3, [row[0] for row in listed if tuple(row[1:]) in classes])

    requests_found = table_count(page, url, "sharing_requests", "purpose", "contains", "营销")
    assert requests_found == 1
    answer_choice(page, 4, table_cells(page, 1)[0])

    lower_x = analyse(page, url, {
        "table": "claims",
        "derived": [{"name": "末位", "func": "substr", "column": "id_number", "args": [18, 1]}],
        "filters": [eq("末位", "x")],
        "measures": [{"func": "count_distinct", "column": "id_number", "name": "人数"}]})
    answer_number(page, 5, lower_x[0][0])
    return {0, 1, 2, 3, 4, 5}


# --- the one-thing services (GV320) ---------------------------------------------------------

def one_thing_reform(page, url) -> set[int]:
    after = [eq("period", "改革后")]
    rate = analyse(page, url, {
        "table": "applications", "filters": after,
        "measures": [{"func": "sum", "column": "satisfied", "name": "满意"},
                     {"func": "count", "column": "satisfied", "name": "已评价"}],
        "calculations": [{"name": "满意率", "op": "percent", "left": "满意", "right": "已评价",
                          "digits": 1}]})
    answer_number(page, 0, rate[0][2])

    services = analyse(page, url, solution("GV320/exercises/one-thing-reform.yaml", "T2"))
    answer_with_result(page, 1)
    slowest = max(services, key=lambda row: number(row[2]) / number(row[1]))[0]
    answer_choice(page, 2, slowest)

    districts = analyse(page, url, {
        "table": "applications",
        "derived": [{"name": "办理天数", "func": "days_between", "column": "submitted_at",
                     "other": "finished_at"}],
        "filters": [*after, {"column": "finished_at", "op": "not_empty"}],
        "group_by": ["district"], "measures": [{"func": "avg", "column": "办理天数"}]})
    answer_choice(page, 3, max(districts, key=lambda row: number(row[1]))[0])

    open_ones = analyse(page, url, {"table": "applications", "columns": ["id"], "limit": 1000,
                                    "filters": [{"column": "finished_at", "op": "is_empty"}]})
    answer_rows(page, 4, [row[0] for row in open_ones])

    # Judgement: the four numbers are materials, steps, visits and the time between the
    # two timestamps (the task's text says period and grouping fields do not count).
    answer_columns(page, 5, ["materials", "steps", "visits", "submitted_at", "finished_at"])
    return {0, 1, 2, 3, 4, 5}


# --- the pipeline sensors (DA210) -----------------------------------------------------------

def pipeline_leak(page, url) -> set[int]:
    empty = [{"column": "pressure_kpa", "op": "is_empty"}, {"column": "flow_m3h", "op": "is_empty"}]
    missing = analyse(page, url, {"table": "readings", "filters": empty,
                                  "measures": [{"func": "count"}]})
    answer_number(page, 0, missing[0][0])

    health = analyse(page, url, solution("DA210/exercises/pipeline-leak.yaml", "T2"))
    answer_with_result(page, 1)
    leak = max(health, key=lambda row: number(row[1]))[0]  # 管段, 低压读数, 缺测读数
    answer_choice(page, 2, leak)

    nights = analyse(page, url, {
        "table": "readings",
        "derived": [{"name": "小时", "func": "hour", "column": "read_at"},
                    {"name": "日期", "func": "date", "column": "read_at"}],
        "filters": [eq("segment_id", leak), {"column": "小时", "op": "in", "value": "2,3,4"}],
        "group_by": ["日期"], "measures": [{"func": "min", "column": "flow_m3h"}],
        "sort": [{"column": "日期"}], "limit": 1000})
    answer_number(page, 3, nights[-1][1], twin=True)  # the last day's night minimum

    flows = [(day, number(flow)) for day, flow in nights if flow]
    first_week = [flow for day, flow in flows if day <= "2025-06-07"]
    baseline = sum(first_week) / len(first_week)
    answer_choice(page, 4, next(day for day, flow in flows if flow > 1.3 * baseline))

    stuck = analyse(page, url, {
        "table": "readings", "filters": [{"column": "pressure_kpa", "op": "not_empty"}],
        "group_by": ["segment_id", "pressure_kpa"], "measures": [{"func": "count", "name": "次数"}],
        "sort": [{"column": "次数", "descending": True}], "limit": 1})
    answer_choice(page, 5, stuck[0][0])
    return {0, 1, 2, 3, 4, 5}


# --- the muck trucks (AI310) ----------------------------------------------------------------

OVERLOADED = {"column": "load_t", "op": "gt", "other": "legal_limit_t"}


def muck_overload(page, url) -> set[int]:
    overloads = analyse(page, url, {"table": "weighings", "filters": [OVERLOADED],
                                    "measures": [{"func": "count"}]})
    answer_number(page, 0, overloads[0][0])

    model = solution("AI310/exercises/muck-overload.yaml", "T2")
    companies = analyse(page, url, model)
    answer_with_result(page, 1)
    answer_choice(page, 2, max(companies, key=lambda row: number(row[1]))[0])

    repeated = analyse(page, url, dict(model, group_by=["车牌"], having=[
        {"column": "超载记录", "op": "ge", "value": "5"}]))
    answer_rows(page, 3, [row[0] for row in repeated])

    # Judgement: the truth is load against limit, the system's call is the camera's flag.
    answer_columns(page, 4, ["load_t", "legal_limit_t", "camera_flag"])

    precision = analyse(page, url, {
        "table": "weighings",
        "filters": [eq("camera_flag", "1"), {"column": "load_t", "op": "not_empty"}],
        "measures": [{"func": "count", "name": "实际超载", "where": [OVERLOADED]},
                     {"func": "count", "name": "报警"}],
        "calculations": [{"name": "精确率", "op": "percent", "left": "实际超载", "right": "报警",
                          "digits": 1}]})
    answer_number(page, 5, precision[0][2])
    return {0, 1, 2, 3, 4, 5}


EXERCISES = [("GV210", "GV210/grid-overdue", grid_overdue),
             ("DA100", "DA100/community-month", community_month),
             ("SE220", "SE220/health-desensitize", health_desensitize),
             ("GV320", "GV320/one-thing-reform", one_thing_reform),
             ("DA210", "DA210/pipeline-leak", pipeline_leak),
             ("AI310", "AI310/muck-overload", muck_overload)]


# --- setup: a cadre no other browser test uses, with the prerequisites completed ------------

def _unused_cadres() -> list[str]:
    """Generated cadres, without those the other journeys pick (the first and last of
    渝中区, the last one outside it)."""
    yuzhong = db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == "500103"))
    named = [account.username for account in DEMO_ACCOUNTS]
    people = list(db.session.execute(
        select(User.username, OrgUnit.path.startswith(yuzhong))
        .join(Role, Role.user_id == User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(Role.name == RoleName.CADRE, User.username.not_in(named))
        .order_by(User.username)))
    inside = [name for name, here in people if here]
    outside = [name for name, here in people if not here]
    taken = {inside[0], inside[-1], outside[-1]}
    return [name for name, _ in people if name not in taken]


def _complete(person: User, course: Course) -> None:
    """The cadre completes the course through the services: its own prerequisites first,
    every lesson, and each graded quiz and exercise answered right."""
    for prerequisite in course.prerequisites:
        _complete(person, prerequisite)
    enrollment = enroll_in_course(course, actor=person)
    if enrollment.completed_at is not None:
        return
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=person)
    for quiz in db.session.scalars(select(Quiz).where(
            Quiz.course_id == course.id, Quiz.graded.is_(True),
            Quiz.kind.in_([QuizKind.COURSE, QuizKind.EXERCISE]))):
        attempt = start_attempt(quiz, actor=person)
        raws = {position: raw for position, item in enumerate(attempt.questions)
                if (raw := (demo_task_response if is_task(item) else demo_response)(
                    item, correct=True)) is not None}
        assert not save_answers(attempt, raws, client_seq=1, actor=person)
        submit_attempt(attempt, actor=person)
    assert enrollment.completed_at is not None, course.code


@pytest.fixture
def learner(live_app, request):
    """A cadre ready to enroll in the exercise's course: username, course, exercise title
    and how the tasks are answered."""
    code, quiz_code, answer_tasks = request.param
    with live_app.app_context():
        username = _unused_cadres()[[e[0] for e in EXERCISES].index(code)]
        person = db.session.scalar(select(User).where(User.username == username))
        for prerequisite in db.session.scalar(select(Course).where(Course.code == code)) \
                .prerequisites:
            _complete(person, prerequisite)
        db.session.commit()
        title = db.session.scalar(select(Quiz.title).where(Quiz.code == quiz_code))
        return username, code, title, answer_tasks


def _start(page, code: str, title: str) -> str:
    page.goto(f"/courses/{code}")
    if page.locator("#enroll-button").count():
        page.locator("#enroll-button").click()
        page.wait_for_load_state()
    page.locator("#quiz-list").get_by_role("link", name=title).click()
    page.locator("#start-attempt").click()
    page.wait_for_selector("#data-table")
    return page.url.split("#")[0].split("?")[0]


@pytest.mark.parametrize("learner", EXERCISES, ids=[e[0] for e in EXERCISES], indirect=True)
def test_a_cadre_passes_the_exercise_without_typing_sql(browser, live_server, learner):
    username, code, title, answer_tasks = learner
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20000)
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    sign_in(page, username)
    url = _start(page, code, title)
    console = live_server + page.locator("#sql-form").get_attribute("action")

    answered = answer_tasks(page, url)
    assert page.locator("#sql").input_value() == ""
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#submit-button").click()
    page.wait_for_url("**/review")

    score = page.locator("#attempt-score").inner_text()
    assert "已通过" in score, score
    percent = float(score.split("·")[1].strip().split("%")[0])
    assert percent >= 60, score
    for position in answered:  # each task answered got its full points
        points = page.locator(f"#review-{position} h2 span").inner_text()
        got, most = (part.strip(" ·") for part in points.split("/"))
        assert got == most, (position, points)
    assert console not in posted  # the SQL console was never run
    print(f"{code}: {score}")
    context.close()
