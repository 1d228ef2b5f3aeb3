"""The exercise workspace over HTTP: tables, console, builder, chart, CSV, tasks, review."""

import csv
import html
import io
import re
import time

import pytest

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Attempt
from app.services.assessment.attempts import start_attempt
from app.services.core.access import add_course_owner
from app.services.exercises.datasets import attempt_data
from app.services.exercises.sandbox import run_query
from app.services.learning.enrollment import enroll_in_course
from tests.factories import GRID_TASKS, make_course, make_exercise, make_user

FETCH = {"X-Requested-With": "fetch"}


@pytest.fixture
def workspace(client, login_as, tree):
    course = make_course("GV210", lessons=1)
    quiz = make_exercise(course)
    cadre = login_as(RoleName.CADRE)
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    db.session.commit()
    return {"course": course, "quiz": quiz, "cadre": cadre, "attempt": attempt,
            "url": f"/attempts/{attempt.id}"}


def _count(attempt, sql):
    return run_query(attempt_data(attempt).variant, sql).rows[0][0]


def test_the_workspace_shows_brief_tables_tools_and_tasks_but_no_answers(client, workspace,
                                                                         count_queries):
    with count_queries() as counter:
        page = client.get(workspace["url"]).get_data(as_text=True)
    assert "区城运中心请你分析网格事件" in page and 'id="data-table"' in page
    assert 'id="sql-form"' in page and 'id="builder-form"' in page
    assert page.count('class="card mb-3 question task"') == len(GRID_TASKS)
    for task in GRID_TASKS:
        if task["reference_sql"]:
            assert task["reference_sql"] not in page  # never before review
    assert '"expected"' not in page
    assert counter.count <= 12


def test_the_table_is_filtered_sorted_and_paged_on_the_server(client, workspace):
    attempt = workspace["attempt"]
    total = _count(attempt, "SELECT count(*) FROM incidents WHERE district = '渝中区'")
    page = client.get(workspace["url"], query_string={
        "table": "incidents", "filter-0-column": "district", "filter-0-op": "eq",
        "filter-0-value": "渝中区", "sort": "handling_hours", "order": "desc"}).get_data(
        as_text=True)
    pages = -(-total // 50)
    assert f"{total} 行" in page or f"{total} rows" in page
    body = page.split('id="data-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == min(50, total) and "江北区" not in body
    second = client.get(workspace["url"], query_string={
        "table": "incidents", "filter-0-column": "district", "filter-0-op": "eq",
        "filter-0-value": "渝中区", "page": pages}).get_data(as_text=True)
    rows_on_last = total - 50 * (pages - 1)
    last_body = second.split('id="data-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert last_body.count("<tr>") == rows_on_last


def test_a_bad_filter_gets_a_message_not_an_error(client, workspace):
    response = client.get(workspace["url"], query_string={
        "table": "incidents", "filter-0-column": "handling_hours", "filter-0-op": "gt",
        "filter-0-value": "很多"})
    assert response.status_code == 200
    assert 'id="browse-error"' in response.get_data(as_text=True)


def test_the_console_runs_a_query_and_refuses_anything_else(client, workspace):
    attempt = workspace["attempt"]
    before = _count(attempt, "SELECT count(*) FROM incidents")
    url = f"{workspace['url']}/query"
    ok = client.post(url, data={"sql": "SELECT district, count(*) AS n FROM incidents "
                                       "GROUP BY district ORDER BY n DESC"}, headers=FETCH)
    assert ok.status_code == 200 and ok.json["ok"]
    assert 'id="result-table"' in ok.json["html"] and "渝中区" in ok.json["html"]
    refused = client.post(url, data={"sql": "DELETE FROM incidents"}, headers=FETCH)
    assert not refused.json["ok"] and "只允许查询语句" in refused.json["html"]
    assert _count(attempt, "SELECT count(*) FROM incidents") == before
    page = client.post(url, data={"sql": "SELEC 1"})  # without script: the whole page
    assert page.status_code == 200 and 'id="query-error"' in page.get_data(as_text=True)


@pytest.mark.parametrize("sql", [
    "ATTACH DATABASE 'file:/tmp/x.db?mode=rw' AS x",
    "VACUUM INTO '/tmp/stolen.db'",
    "PRAGMA query_only = 0",
    "SELECT load_extension('/tmp/evil')",
    "SELECT 1; DELETE FROM incidents",
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
    "SELECT count(*) FROM incidents a, incidents b, incidents c, incidents d",
    "SELECT zeroblob(1000000000)",
    "SELECT " + "(" * 2000 + "1" + ")" * 2000,
    "SELECT '" + "x" * 1_000_000 + "'",
    "SELECT printf('%.*c', 1000000000, 'x')",
])
def test_hostile_queries_are_stopped_quickly_and_change_nothing(client, workspace, sql):
    attempt = workspace["attempt"]
    before = _count(attempt, "SELECT count(*) FROM incidents")
    started = time.perf_counter()
    response = client.post(f"{workspace['url']}/query", data={"sql": sql}, headers=FETCH)
    assert time.perf_counter() - started < 3.0  # 2 s limit plus the request around it
    assert response.status_code == 200 and not response.json["ok"]
    assert 'id="query-error"' in response.json["html"]
    assert _count(attempt, "SELECT count(*) FROM incidents") == before
    assert client.get("/healthz").status_code == 200


def test_the_builder_groups_and_charts_without_code(client, workspace):
    response = client.post(f"{workspace['url']}/analyze", headers=FETCH, data={
        "table": "incidents", "group-0": "district", "measure-0-func": "count",
        "measure-0-column": "", "limit": "20", "chart": "bar"})
    html = response.json["html"]
    assert response.json["ok"] and "<svg" in html and "GROUP BY" in html
    districts = run_query(attempt_data(workspace["attempt"]).variant,
                          "SELECT count(DISTINCT district) FROM incidents").rows[0][0]
    assert html.split('id="result-table"')[1].count("<tr>") == districts + 1  # with the head
    bad = client.post(f"{workspace['url']}/analyze", headers=FETCH, data={
        "table": "incidents", "group-0": "district", "measure-2-func": "sum",
        "measure-2-column": "street"})
    assert not bad.json["ok"] and 'id="query-error"' in bad.json["html"]
    assert bad.json["field"] == "measure-2-column" and "street" in bad.json["html"]


def test_the_csv_download_is_the_cadres_own_table_for_excel(client, workspace):
    attempt = workspace["attempt"]
    response = client.get(f"{workspace['url']}/tables/incidents.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["事件编号", "区县", "街道"]
    assert len(rows) - 1 == _count(attempt, "SELECT count(*) FROM incidents")
    assert client.get(f"{workspace['url']}/tables/nothing.csv").status_code == 404


def test_another_cadres_workspace_is_not_found(client, workspace, tree):
    other = make_user(unit=tree["guanyinqiao"])
    enroll_in_course(workspace["course"], actor=other)
    theirs = start_attempt(workspace["quiz"], actor=other)
    db.session.commit()
    for method, url in (("get", f"/attempts/{theirs.id}"), ("get", f"/attempts/{theirs.id}/data"),
                        ("get", f"/attempts/{theirs.id}/tables/incidents.csv"),
                        ("post", f"/attempts/{theirs.id}/query")):
        response = getattr(client, method)(url, data={"sql": "SELECT 1"})
        assert response.status_code == 404, url


def test_answer_submit_and_see_feedback_on_every_task(client, workspace):
    attempt = workspace["attempt"]
    items = attempt.questions
    answers = {0: str(int(items[0]["expected"])), 1: items[1]["expected"],
               2: "SELECT district, count(*) FROM incidents GROUP BY district",
               3: "\n".join(items[3]["expected"]), 4: "grid"}
    for position, value in answers.items():
        saved = client.post(f"/attempts/{attempt.id}/answers/{position}",
                            data={f"q{position}-value": value, "seq": "1"})
        assert saved.status_code == 200 and saved.json["saved"], saved.json
    wrong_type = client.post(f"/attempts/{attempt.id}/answers/0",
                             data={"q0-value": "很多", "seq": "2"})
    assert wrong_type.status_code == 400 and wrong_type.json["code"] == "not_a_number"
    assert "很多" in wrong_type.json["error"]
    response = client.post(f"/attempts/{attempt.id}/submit", data={})
    assert response.status_code == 302
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "10 / 10 · 100%" in review
    assert GRID_TASKS[2]["reference_sql"] in review  # the reference SQL, after review
    assert review.count('class="mb-1 small task-detail"') == 3  # the SQL and two selections
    assert client.get(f"/attempts/{attempt.id}/data").status_code == 200
    late = client.post(f"/attempts/{attempt.id}/answers/0", data={"q0-value": "1", "seq": "9"})
    assert late.status_code == 409


def test_the_integrity_page_is_for_the_courses_trainers(client, workspace, login_as, tree):
    trainer = make_user(unit=tree["city"], roles=("trainer",))
    add_course_owner(workspace["course"], trainer, actor=None)
    db.session.commit()
    assert client.get("/teaching/courses/GV210/integrity").status_code == 403  # a cadre
    client.post("/auth/logout")
    login_as(user=trainer)
    page = client.get("/teaching/courses/GV210/integrity")
    assert page.status_code == 200 and 'id="integrity-empty"' in page.get_data(as_text=True)
    assert db.session.get(Attempt, workspace["attempt"].id) is not None


def test_learner_sql_never_reaches_the_applications_database(client, workspace, count_queries):
    with count_queries() as counter:
        response = client.post(f"{workspace['url']}/query", headers=FETCH,
                               data={"sql": "SELECT 424242 AS marker, count(*) FROM incidents"})
    assert response.json["ok"] and "424242" in response.json["html"]
    assert counter.count > 0  # the page's own lookups (session, attempt) do reach it
    assert not any("424242" in statement or "incidents" in statement
                   for statement in counter.statements)


def test_trainer_pages_handle_exercise_attempts(client, workspace, login_as, tree):
    from app.services.assessment.attempts import submit_attempt

    attempt = workspace["attempt"]
    submit_attempt(attempt, actor=workspace["cadre"])
    trainer = make_user(unit=tree["city"], roles=("trainer",))
    add_course_owner(workspace["course"], trainer, actor=None)
    db.session.commit()
    client.post("/auth/logout")
    login_as(user=trainer)
    items = client.get(f"/teaching/quizzes/{workspace['quiz'].id}/items")
    assert items.status_code == 200 and "GV210/grid/T1" in items.get_data(as_text=True)
    assert client.get("/teaching/courses/GV210/gradebook").status_code == 200
    assert "GV210" in client.get("/teaching/").get_data(as_text=True)


@pytest.mark.parametrize(("scenario", "table"), [
    ("grid_incidents", "incidents"), ("muck_trucks", "trucks"), ("pipeline_sensors", "segments"),
    ("one_thing_services", "applications"), ("health_data_sharing", "claims")])
def test_finding_13_the_console_placeholder_runs_on_the_exercise_own_tables(
        client, login_as, tree, scenario, table):
    course = make_course("GV210", lessons=1)
    count = {"id": "T1", "type": "numeric", "area": "data", "points": 1, "prompt": "几条？",
             "explanation": "", "reference_sql": "SELECT count(*) FROM " + table,  # noqa: S608
             "options_sql": None, "spec": {"tolerance": 0}}
    quiz = make_exercise(course, scenario=scenario, params={}, tasks=[count])
    cadre = login_as(RoleName.CADRE)
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    db.session.commit()
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    placeholder = html.unescape(re.search(r'id="sql"[^>]*placeholder="([^"]*)"', page,
                                          re.S).group(1))
    result = run_query(attempt_data(attempt).variant, placeholder)
    assert result.rows and placeholder.startswith("SELECT * FROM " + table + " ")  # noqa: S608


def test_finding_13_a_filter_keeps_the_current_sort(client, workspace):
    page = client.get(workspace["url"], query_string={
        "table": "incidents", "sort": "handling_hours", "order": "desc"}).get_data(as_text=True)
    start = page.index('id="filter-form"')
    form = page[start:page.index("</form>", start)]
    assert '<input type="hidden" name="sort" value="handling_hours">' in form
    assert '<input type="hidden" name="order" value="desc">' in form
