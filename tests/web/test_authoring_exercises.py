"""The exercise editor's pages: creating from a scenario or a CSV, the sample data and the
console, and tasks added, refused, moved and deleted."""

import io

import pytest
from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.models import Quiz
from app.services.core.access import add_course_owner
from app.services.exercises.datasets import clear_cache
from tests.factories import make_course, make_exercise, make_question, make_quiz

SETTINGS = {"title": "网格事件分析", "graded": "y", "pass_mark": "60", "time_limit_minutes": "",
            "max_attempts": "", "grading_method": "highest", "review": "full",
            "review_after": "submit", "opens_at": "", "closes_at": "",
            "brief": "## 背景\n\n请分析网格事件。"}
TASK = {"prompt": "已超期事件有多少条？", "points": "2", "area": "data",
        "tolerance_kind": "absolute", "tolerance": "0", "unit": "", "explanation": "",
        "action": "save"}


@pytest.fixture(autouse=True)
def _fresh_variants():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def world(tree, db):
    course = make_course("GV210", lessons=1)
    exercise = make_exercise(course, code="GV210/grid")
    quiz = make_quiz(course, [make_question("GV210-Q01", course=course)])
    db.session.commit()
    return {"course": course, "exercise": exercise, "quiz": quiz}


def _owner(login_as, world, db):
    user = login_as(RoleName.TRAINER)
    add_course_owner(world["course"], user, actor=None)
    db.session.commit()
    return user


@pytest.mark.parametrize("role, expected", [
    (None, "login"), (RoleName.CADRE, 403), (RoleName.HR, 403), ("stranger", 403),
    ("owner", 200), (RoleName.ADMIN, 200)])
def test_who_may_open_the_exercise_pages(client, login_as, world, db, role, expected):
    if role == "owner":
        _owner(login_as, world, db)
    elif role == "stranger":
        login_as(RoleName.TRAINER)
    elif role is not None:
        login_as(role)
    exercise_id = world["exercise"].id
    for url in ("/teaching/courses/GV210/exercises/new", f"/teaching/exercises/{exercise_id}/edit",
                f"/teaching/exercises/{exercise_id}/tasks/new?type=rows",
                f"/teaching/exercises/{exercise_id}/tasks/2/edit"):
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/auth/login" in response.location, url
        else:
            assert response.status_code == expected, url
    run = client.post(f"/teaching/exercises/{exercise_id}/run", data={"sql": "SELECT 1"})
    assert run.status_code == (302 if expected == "login" else expected)


def test_a_scenario_exercise_is_created_and_its_editor_shows_sample_rows(
        client, login_as, world, db):
    _owner(login_as, world, db)
    data = {**SETTINGS, "slug": "incidents", "source": "scenario", "scenario": "grid_incidents",
            "param-grid_incidents-rows": "600", "param-grid_incidents-problem_strength": "0.6",
            "param-muck_trucks-rows": "1"}  # another scenario's fields are ignored
    response = client.post("/teaching/courses/GV210/exercises/new", data=data)
    assert response.status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "GV210/incidents"))
    assert response.location.endswith(f"/teaching/exercises/{quiz.id}/edit")
    assert quiz.exercise.scenario_params == {"rows": 600}
    page = client.get(f"/teaching/exercises/{quiz.id}/edit").get_data(as_text=True)
    assert "事件编号" in page and "<code class=\"small fw-normal\">street</code>" in page
    assert page.count("<tr>") >= 5 and 'id="no-tasks"' in page
    assert 'value="600"' in page  # the parameter as stored


def test_a_parameter_out_of_range_is_shown_beside_its_field(client, login_as, world, db):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    data = {**SETTINGS, "slug": "incidents", "source": "scenario", "scenario": "grid_incidents",
            "param-grid_incidents-rows": "10"}
    page = client.post("/teaching/courses/GV210/exercises/new", data=data).get_data(as_text=True)
    field = page[page.index('id="param-grid_incidents-rows"'):]
    assert "From 200 to 50000." in field[:800]
    assert db.session.scalar(select(Quiz).where(Quiz.code == "GV210/incidents")) is None


def test_a_csv_with_a_bad_row_is_refused_with_its_line(client, login_as, world, db):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    csv = "site_id,street,trucks\nS001,解放碑街道,12\nS002,朝天门街道\n".encode()
    data = {**SETTINGS, "slug": "sites", "source": "csv", "scenario": "grid_incidents",
            "table_name": "sites", "table_label": "工地",
            "csv_file": (io.BytesIO(csv), "sites.csv")}
    response = client.post("/teaching/courses/GV210/exercises/new", data=data,
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Line 3: The row has 2 values; the header has 3 columns." in page
    good = {**data, "csv_file": (io.BytesIO(csv[:-len("S002,朝天门街道\n".encode())]),
                                 "sites.csv")}
    assert client.post("/teaching/courses/GV210/exercises/new", data=good,
                       content_type="multipart/form-data").status_code == 302
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "GV210/sites"))
    assert quiz.exercise.dataset[0]["rows"] == [["S001", "解放碑街道", 12]]


def test_the_console_runs_selects_and_refuses_delete_with_the_sandboxs_message(
        client, login_as, world, db):
    _owner(login_as, world, db)
    url = f"/teaching/exercises/{world['exercise'].id}/run"
    refused = client.post(url, data={"sql": "DELETE FROM incidents"},
                          headers={"X-Requested-With": "fetch"}).get_json()
    assert refused["ok"] is False and "只允许查询语句（SELECT）" in refused["html"]
    client.set_cookie("lang", "en")
    page = client.post(url, data={"sql": "DELETE FROM incidents"}).get_data(as_text=True)
    assert 'id="query-error"' in page and "Only SELECT queries are allowed" in page
    shown = client.post(url, data={"sql": "SELECT count(*) AS n FROM incidents"},
                        headers={"X-Requested-With": "fetch"}).get_json()
    assert shown["ok"] and "<td>400</td>" in shown["html"]


def test_a_task_is_refused_with_a_clear_message_then_saved(client, login_as, world, db):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    exercise = world["exercise"]
    url = f"/teaching/exercises/{exercise.id}/tasks/new?type=numeric"
    same = {**TASK, "revision": exercise.content_hash,
            "reference_sql": "SELECT count(*) FROM incidents"}
    page = client.post(url, data=same).get_data(as_text=True)
    assert "The answer is the same on all three sample variants (400.0)" in page
    tried = client.post(url, data={**same, "action": "try"}).get_data(as_text=True)
    assert "<td>400</td>" in tried  # the reference query's result on the sample
    good = {**same, "reference_sql": "SELECT count(*) FROM incidents WHERE status = '已超期'"}
    response = client.post(url, data=good)
    assert response.status_code == 302
    db.session.expire_all()
    exercise = db.session.get(Quiz, exercise.id)
    assert [t["id"] for t in exercise.exercise.tasks] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert exercise.version == 2


def test_a_columns_task_is_chosen_by_checkboxes(client, login_as, world, db):
    _owner(login_as, world, db)
    exercise = world["exercise"]
    form = client.get(f"/teaching/exercises/{exercise.id}/tasks/new?type=columns")
    assert 'value="incidents.grid"' in form.get_data(as_text=True)
    # Only the fields the columns form shows are posted.
    data = {"prompt": "对外公开前应去掉哪些字段？", "points": "2", "area": "security",
            "explanation": "", "action": "save", "revision": exercise.content_hash,
            "table": "incidents", "answer": ["incidents.grid", "incidents.street"]}
    assert client.post(f"/teaching/exercises/{exercise.id}/tasks/new?type=columns",
                       data=data).status_code == 302
    db.session.expire_all()
    task = db.session.get(Quiz, exercise.id).exercise.tasks[-1]
    assert task["type"] == "columns" and task["spec"] == {"table": "incidents",
                                                          "answer": ["grid", "street"]}


def test_tasks_are_moved_and_deleted_by_their_buttons(client, login_as, world, db):
    _owner(login_as, world, db)
    exercise = world["exercise"]
    base = f"/teaching/exercises/{exercise.id}/tasks"
    client.post(f"{base}/2/move", data={"direction": "up", "revision": exercise.content_hash})
    db.session.expire_all()
    exercise = db.session.get(Quiz, exercise.id)
    assert [t["id"] for t in exercise.exercise.tasks][:2] == ["T2", "T1"]
    stale = client.post(f"{base}/1/delete", data={"revision": "old"})
    assert stale.status_code == 302
    db.session.expire_all()
    assert len(db.session.get(Quiz, exercise.id).exercise.tasks) == 5
    client.post(f"{base}/1/delete", data={"revision": exercise.content_hash})
    db.session.expire_all()
    assert [t["id"] for t in db.session.get(Quiz, exercise.id).exercise.tasks] == [
        "T1", "T3", "T4", "T5"]
    assert client.get(f"{base}/9/edit").status_code == 404


def test_the_exercise_editor_does_not_open_quizzes(client, login_as, world, db):
    _owner(login_as, world, db)
    assert client.get(f"/teaching/exercises/{world['quiz'].id}/edit").status_code == 404
    other = make_course("GV320", lessons=1)
    foreign = make_exercise(other, code="GV320/grid")
    db.session.commit()
    assert client.get(f"/teaching/exercises/{foreign.id}/edit").status_code == 403


def test_finding_16_a_csv_too_large_is_refused_in_chinese(client, login_as, world, db):
    _owner(login_as, world, db)
    csv = b"site_id,street\n" + b"S001,abc\n" * (4 * 1024 * 1024 // 9 + 1)
    data = {**SETTINGS, "slug": "sites", "source": "csv", "scenario": "grid_incidents",
            "table_name": "sites", "table_label": "工地",
            "csv_file": (io.BytesIO(csv), "sites.csv")}
    page = client.post("/teaching/courses/GV210/exercises/new", data=data,
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "文件超过 4 MiB。" in page and "bytes" not in page
    assert db.session.scalar(select(Quiz).where(Quiz.code == "GV210/sites")) is None


GOOD_SQL = "SELECT count(*) FROM incidents WHERE status = '已超期'"
NO_HINTS = {"hint1_text": "", "hint1_cost": "10", "hint2_text": "", "hint2_cost": "10",
            "hint3_text": "", "hint3_cost": "10"}


def _stored_hints(db, exercise_id, number):
    db.session.expire_all()
    return db.session.get(Quiz, exercise_id).exercise.tasks[number - 1].get("hints")


def test_a_tasks_hints_are_added_edited_and_removed_on_its_form(client, login_as, world, db):
    _owner(login_as, world, db)
    exercise = world["exercise"]
    new = f"/teaching/exercises/{exercise.id}/tasks/new?type=numeric"
    page = client.get(new).get_data(as_text=True)
    assert 'id="task-hints"' in page and page.count('name="hint') == 6
    assert "合计不超过 100%）" in page
    data = {**TASK, **NO_HINTS, "revision": exercise.content_hash, "reference_sql": GOOD_SQL,
            "hint1_text": "先按状态筛选。", "hint1_cost": "15",
            "hint2_text": "  再数一数行数。 ", "hint2_cost": ""}
    assert client.post(new, data=data).status_code == 302
    assert _stored_hints(db, exercise.id, 6) == [{"text": "先按状态筛选。", "cost_percent": 15},
                                              {"text": "再数一数行数。", "cost_percent": 10}]
    listing = client.get(f"/teaching/exercises/{exercise.id}/edit").get_data(as_text=True)
    assert '<span class="task-hint-count">2 条提示</span>' in listing
    edit = f"/teaching/exercises/{exercise.id}/tasks/6/edit"
    form = client.get(edit).get_data(as_text=True)
    assert "先按状态筛选。</textarea>" in form and 'value="15"' in form
    revision = db.session.get(Quiz, exercise.id).content_hash
    changed = {**data, "revision": revision, "hint1_text": "", "hint2_cost": "20",
               "hint3_text": "第三条。", "hint3_cost": "5"}
    assert client.post(edit, data=changed).status_code == 302
    # Clearing hint 1 removed it: the others move up, in order.
    assert _stored_hints(db, exercise.id, 6) == [{"text": "再数一数行数。", "cost_percent": 20},
                                              {"text": "第三条。", "cost_percent": 5}]
    revision = db.session.get(Quiz, exercise.id).content_hash
    assert client.post(edit, data={**data, **NO_HINTS, "revision": revision}).status_code == 302
    assert _stored_hints(db, exercise.id, 6) is None


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"hint1_cost": "101"}, "hint1_cost", "请填 0 到 100 的整数。"),
    ({"hint1_cost": "-1"}, "hint1_cost", "请填 0 到 100 的整数。"),
    ({"hint2_text": "x" * 2001}, "hint2_text", "最多 2000 个字符。"),
    ({"hint2_text": "再数。", "hint2_cost": "30", "hint3_text": "最后。", "hint3_cost": "40"},
     "hint3_cost", "各条提示的扣分比例合计 110%，最多 100%。"),
])
def test_a_hint_against_the_rules_is_refused_beside_its_field(client, login_as, world, db,
                                                              changes, field, message):
    _owner(login_as, world, db)
    exercise = world["exercise"]
    url = f"/teaching/exercises/{exercise.id}/tasks/new?type=numeric"
    data = {**TASK, **NO_HINTS, "revision": exercise.content_hash, "reference_sql": GOOD_SQL,
            "hint1_text": "先按状态筛选。", "hint1_cost": "40", "hint2_text": "再数。", **changes}
    response = client.post(url, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    beside = page.split(f'name="{field}"')[1].split(' name="')[0]  # up to the next field
    assert message in beside
    db.session.expire_all()
    assert len(db.session.get(Quiz, exercise.id).exercise.tasks) == 5  # nothing saved


GROUP_SQL = "SELECT district, count(*) AS n FROM incidents GROUP BY district"
SOLUTION = "builder_solution:\n  table: incidents\n  group_by: [district]\n  limit: 1000\n"
TWIN = ("twin:\n  type: numeric\n  prompt: 共有几个区县？\n"
        "  reference_sql: SELECT count(DISTINCT district) FROM incidents\n")


def test_an_sql_tasks_answers_without_sql_are_written_checked_and_shown_again(
        client, login_as, world, db):
    """Issue 18: the authoring page carries an SQL task's builder solution and twin, checked
    by the exercise file's rules and on the sample variants."""
    _owner(login_as, world, db)
    exercise = world["exercise"]
    new = f"/teaching/exercises/{exercise.id}/tasks/new?type=sql"
    assert 'name="no_code"' in client.get(new).get_data(as_text=True)
    data = {**TASK, **NO_HINTS, "revision": exercise.content_hash, "reference_sql": GROUP_SQL,
            "no_code": SOLUTION + TWIN}
    assert client.post(new, data=data).status_code == 302
    db.session.expire_all()
    task = db.session.get(Quiz, exercise.id).exercise.tasks[5]
    assert task["builder_solution"] == {"table": "incidents", "group_by": ["district"],
                                        "limit": 1000}
    assert task["twin"]["type"] == "numeric"
    form = client.get(f"/teaching/exercises/{exercise.id}/tasks/6/edit").get_data(as_text=True)
    assert "group_by:" in form and "共有几个区县？" in form


@pytest.mark.parametrize(("no_code", "message"), [
    ("builder_solution: [", "第 1 行"),
    ("builder_solution:\n  table: incidents\n  group_by: [status]\n  limit: 1000\n",
     "builder_solution gives another result than the reference query"),
    ("twin:\n  type: sql\n  prompt: x\n", "twin type must be one of numeric, choice, rows"),
    ("extra: 1\n", "unknown key"),
])
def test_answers_without_sql_against_the_rules_are_refused_and_nothing_is_saved(
        client, login_as, world, db, no_code, message):
    _owner(login_as, world, db)
    exercise = world["exercise"]
    url = f"/teaching/exercises/{exercise.id}/tasks/new?type=sql"
    data = {**TASK, **NO_HINTS, "revision": exercise.content_hash, "reference_sql": GROUP_SQL,
            "no_code": no_code}
    response = client.post(url, data=data)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Quiz, exercise.id).exercise.tasks) == 5


def test_answers_without_sql_belong_to_sql_tasks_only(client, login_as, world, db):
    """A numeric task's form has no such box; a posted one is not taken. The service refuses
    them outright for other task types."""
    from decimal import Decimal

    from app.services.curriculum.authoring.exercises import TaskInput, _task

    _owner(login_as, world, db)
    exercise = world["exercise"]
    url = f"/teaching/exercises/{exercise.id}/tasks/new?type=numeric"
    assert 'name="no_code"' not in client.get(url).get_data(as_text=True)
    data = {**TASK, **NO_HINTS, "revision": exercise.content_hash, "reference_sql": GOOD_SQL,
            "no_code": SOLUTION}
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Quiz, exercise.id).exercise.tasks[5]
    assert saved["type"] == "numeric" and "builder_solution" not in saved
    _spec, problems = _task("T9", TaskInput("numeric", "多少？", Decimal(2), "data",
                                            reference_sql=GOOD_SQL, no_code=SOLUTION))
    assert [(p.field, p.code) for p in problems] == [("no_code", "no_code_sql_only")]


def test_the_exercise_page_warns_when_it_cannot_be_passed_without_sql(client, login_as, world,
                                                                      db):
    from tests.factories import GRID_TASKS, make_exercise

    _owner(login_as, world, db)
    assert 'id="without-sql-warning"' not in client.get(
        f"/teaching/exercises/{world['exercise'].id}/edit").get_data(as_text=True)
    only_sql = make_exercise(world["course"], code="GV210/sql-only", tasks=[GRID_TASKS[2]])
    db.session.commit()
    page = client.get(f"/teaching/exercises/{only_sql.id}/edit").get_data(as_text=True)
    assert 'id="without-sql-warning"' in page and "最多只能得 0 分（共 2 分）" in page
