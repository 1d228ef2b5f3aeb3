"""Preview as a learner on the web: a seed, the learner's questions or workspace, the check
and its review — and not one write to the database."""

import re

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import CourseStatus, RoleName
from app.models import Attempt, AttemptAnswer, AuditEvent
from app.services.core.access import add_course_owner
from app.services.exercises.datasets import clear_cache
from tests.factories import make_course, make_exercise, make_question, make_quiz

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _fresh_variants():
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def world(tree, db):
    # A draft: trainers preview before publishing.
    course = make_course("DA110", lessons=1, status=CourseStatus.DRAFT)
    questions = [make_question(f"DA110-Q0{n}", course=course, prompt=f"第{n}题：哪个对？")
                 for n in range(1, 4)]
    quiz = make_quiz(course, questions, pass_mark=60)
    exercise = make_exercise(course, code="DA110/grid")
    db.session.commit()
    return {"course": course, "quiz": quiz, "exercise": exercise, "questions": questions}


def _owner(login_as, world, db):
    user = login_as(RoleName.TRAINER)
    add_course_owner(world["course"], user, actor=None)
    db.session.commit()
    return user


def _writes(counter) -> list[str]:
    return [statement for statement in counter.statements if WRITES.match(statement)]


def _stored(db) -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count(Attempt.id))),
            db.session.scalar(select(func.count(AttemptAnswer.id))),
            db.session.scalar(select(func.count(AuditEvent.id))))


@pytest.mark.parametrize("role, expected", [
    (None, "login"), (RoleName.CADRE, 403), (RoleName.HR, 403), ("stranger", 403),
    ("owner", 200), (RoleName.ADMIN, 200)])
def test_who_may_preview(client, login_as, world, db, role, expected):
    if role == "owner":
        _owner(login_as, world, db)
    elif role == "stranger":
        login_as(RoleName.TRAINER)
    elif role is not None:
        login_as(role)
    for quiz in (world["quiz"], world["exercise"]):
        response = client.get(f"/teaching/quizzes/{quiz.id}/preview/99")
        if expected == "login":
            assert response.status_code == 302 and "/auth/login" in response.location
        else:
            assert response.status_code == expected


def test_a_quiz_preview_picks_a_seed_shows_the_learners_questions_and_checks_them(
        client, login_as, world, db, count_queries):
    _owner(login_as, world, db)
    quiz = world["quiz"]
    before = _stored(db)
    with count_queries() as counter:
        start = client.post(f"/teaching/quizzes/{quiz.id}/preview")
        assert start.status_code == 302
        seed = int(start.location.rsplit("/", 1)[1])
        page = client.get(start.location).get_data(as_text=True)
        again = client.get(start.location).get_data(as_text=True)
        # The learner's partial, with the display ids a cadre's browser would post.
        ids = re.findall(r'name="q(\d)-value" value="([a-z0-9]+)"', page)
        assert page == again and len(ids) == 9 and "第1题：哪个对？" in page
        # Answer each question with its first shown option; the review says what was right.
        answers = {f"q{position}-value": value for position, value in ids[::3]}
        review = client.post(f"/teaching/quizzes/{quiz.id}/preview/{seed}/check", data=answers)
        text = review.get_data(as_text=True)
    assert review.status_code == 200 and 'id="preview-score"' in text
    assert text.count('class="card mb-3"') == 3 and "正确选项" in text and "解析。" in text
    assert _writes(counter) == [] and _stored(db) == before


def test_the_same_seed_scores_the_right_answers_in_full(client, login_as, world, db):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    quiz = world["quiz"]
    from app.services.curriculum.authoring.preview import build_preview

    items = build_preview(quiz, 31337).items
    right = {f"q{position}-value": item["display"]["ids"][item["spec"]["answer"]]
             for position, item in enumerate(items)}
    text = client.post(f"/teaching/quizzes/{quiz.id}/preview/31337/check",
                       data=right).get_data(as_text=True)
    assert "6.00 / 6.00 · 100.00%" in text and "Passed" in text


def test_an_exercise_preview_shows_the_data_console_and_tasks_without_writing(
        client, login_as, world, db, count_queries):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    exercise = world["exercise"]
    before = _stored(db)
    base = f"/teaching/quizzes/{exercise.id}/preview/4242"
    with count_queries() as counter:
        page = client.get(base).get_data(as_text=True)
        assert "区城运中心请你分析网格事件" in page and 'id="data-table"' in page
        assert "400 rows · page 1 of 8" in page and 'name="q4-value"' in page
        second = client.get(f"{base}?table=incidents&page=2").get_data(as_text=True)
        assert "page 2 of 8" in second
        refused = client.post(f"{base}/query", data={"sql": "DELETE FROM incidents"},
                              headers={"X-Requested-With": "fetch"}).get_json()
        assert refused["ok"] is False and "Only SELECT queries are allowed" in refused["html"]
        counted = client.post(f"{base}/query", data={
            "sql": "SELECT count(*) FROM incidents WHERE status = '已超期'"}).get_data(
            as_text=True)
        overdue = re.search(r'id="result-table".*?<tbody><tr><td>(\d+)</td>', counted, re.S)[1]
        review = client.post(f"{base}/check", data={
            "q0-value": overdue, "q2-value": "select district, count(*) from incidents "
                                             "group by 1",
            "q4-value": ["grid"]}).get_data(as_text=True)
    assert 'id="preview-score"' in review and "6.00 / 10.00" in review
    assert "Reference query:" in review and "on the hidden check data" in review
    assert _writes(counter) == [] and _stored(db) == before


def test_a_new_seed_needs_the_form_token(app, client, login_as, world, db):
    _owner(login_as, world, db)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/teaching/quizzes/{world['quiz'].id}/preview").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_quiz_a_learner_could_not_start_says_why(client, login_as, world, db):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    drawn = make_quiz(world["course"], [], code="DA110/drawn", draw_rules=[
        {"bank": "shared", "area": "data", "difficulty": None, "count": 3}])
    db.session.commit()
    page = client.get(f"/teaching/quizzes/{drawn.id}/preview/5").get_data(as_text=True)
    assert 'id="preview-unavailable"' in page and "too few active questions" in page


def test_an_exercise_preview_shows_the_trainer_every_hint(client, login_as, world, db):
    _owner(login_as, world, db)
    tasks = [dict(task) for task in world["exercise"].exercise.tasks]
    tasks[0]["hints"] = [{"text": "先按状态筛选。", "cost_percent": 15}]
    world["exercise"].exercise.tasks = tasks
    db.session.commit()
    page = client.get(f"/teaching/quizzes/{world['exercise'].id}/preview/4242").get_data(
        as_text=True)
    assert "提示 1（使用后扣本题 15% 分值）" in page and "先按状态筛选。" in page
