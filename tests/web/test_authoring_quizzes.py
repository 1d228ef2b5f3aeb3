"""The quiz editor's pages: the course's assessments, new and edited quizzes, draw counts."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.models import Quiz
from app.services.core.access import add_course_owner
from tests.factories import make_course, make_exercise, make_question, make_quiz, make_user

SETTINGS = {"title": "课程测验", "slug": "final", "graded": "y", "pass_mark": "60",
            "time_limit_minutes": "", "max_attempts": "3", "grading_method": "highest",
            "review": "full", "review_after": "submit", "opens_at": "", "closes_at": "",
            "shuffle": "y"}


@pytest.fixture
def world(tree, db):
    course = make_course("DA110", lessons=1)
    for n in range(1, 4):
        make_question(f"DA110-Q0{n}", course=course, difficulty=2)
    make_question("SB-DATA-001", difficulty=1)
    quiz = make_quiz(course, [], code="DA110/mid", draw_rules=[
        {"bank": "course", "area": "data", "difficulty": 2, "count": 2}])
    exercise = make_exercise(course, code="DA110/grid")
    db.session.commit()
    return {"course": course, "quiz": quiz, "exercise": exercise, "tree": tree}


def _owner(login_as, world, db, role=RoleName.TRAINER):
    user = login_as(role)
    if role is RoleName.TRAINER:
        add_course_owner(world["course"], user, actor=None)
        db.session.commit()
    return user


@pytest.mark.parametrize("role, expected", [
    (None, "login"), (RoleName.CADRE, 403), (RoleName.HR, 403), ("stranger", 403),
    (RoleName.TRAINER, 200), (RoleName.ADMIN, 200)])
def test_who_may_open_the_quiz_pages(client, login_as, world, db, role, expected):
    if role == "stranger":
        login_as(RoleName.TRAINER)  # a trainer, but not an owner of DA110
    elif role is not None:
        _owner(login_as, world, db, role)
    for url in ("/teaching/courses/DA110/assessments", "/teaching/courses/DA110/quizzes/new",
                f"/teaching/quizzes/{world['quiz'].id}/edit",
                "/teaching/courses/DA110/draw-count?bank=course&area=data"):
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and "/auth/login" in response.location, url
        else:
            assert response.status_code == expected, url


def test_the_assessments_page_lists_quizzes_and_exercises_with_their_state(
        client, login_as, world, db):
    _owner(login_as, world, db)
    page = client.get("/teaching/courses/DA110/assessments").get_data(as_text=True)
    assert "DA110/mid" in page and "DA110/grid" in page
    assert f"/teaching/quizzes/{world['quiz'].id}/edit" in page
    assert f"/teaching/exercises/{world['exercise'].id}/edit" in page
    assert f"/teaching/quizzes/{world['exercise'].id}/preview" in page
    assert 'id="new-quiz"' in page and 'id="new-exercise"' in page


def test_the_draw_count_answers_json_for_each_rule(client, login_as, world, db):
    _owner(login_as, world, db)
    count = client.get("/teaching/courses/DA110/draw-count?bank=course&area=data&difficulty=2")
    assert count.get_json() == {"available": 3}
    assert client.get("/teaching/courses/DA110/draw-count?bank=shared&area=data"
                      "&difficulty=2").get_json() == {"available": 0}
    bad = client.get("/teaching/courses/DA110/draw-count?bank=nowhere&area=data").get_json()
    assert bad["available"] == 0 and bad["error"]


def test_a_fixed_list_quiz_is_created_in_the_order_typed_with_dates_in_utc(
        client, login_as, world, db):
    _owner(login_as, world, db)
    data = {**SETTINGS, "mode": "fixed", "questions": ["DA110-Q01", "DA110-Q03", "SB-DATA-001"],
            "order-DA110-Q01": "3", "order-DA110-Q03": "1", "order-SB-DATA-001": "2",
            "opens_at": "2026-03-01T09:00", "closes_at": "2026-03-31T18:00:00"}
    response = client.post("/teaching/courses/DA110/quizzes/new", data=data)
    assert response.status_code == 302 and response.location.endswith(
        "/teaching/courses/DA110/assessments")
    quiz = db.session.scalar(select(Quiz).where(Quiz.code == "DA110/final"))
    assert quiz.question_keys == ["DA110-Q03", "SB-DATA-001", "DA110-Q01"]
    assert quiz.opens_at == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)  # 09:00 in Chongqing
    assert quiz.closes_at == datetime(2026, 3, 31, 10, 0, tzinfo=UTC)
    assert (quiz.max_attempts, quiz.time_limit_minutes, quiz.version) == (3, None, 1)
    form = client.get(f"/teaching/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert 'value="2026-03-01T09:00"' in form  # shown again in local time


def test_a_short_draw_rule_is_shown_on_its_row_and_nothing_is_saved(client, login_as, world, db):
    _owner(login_as, world, db)
    client.set_cookie("lang", "en")
    data = {**SETTINGS, "mode": "draw",
            # A row left empty does not count: the short rule is the first rule, on row 2.
            "draw-0-bank": "shared", "draw-0-area": "data", "draw-0-difficulty": "1",
            "draw-0-count": "",
            "draw-1-bank": "course", "draw-1-area": "data", "draw-1-difficulty": "2",
            "draw-1-count": "5"}
    response = client.post("/teaching/courses/DA110/quizzes/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    row = page[page.index('id="rule-1"'):page.index('id="rule-2"')]
    assert "Needs 5, there are 3" in row and "rule-error" in row
    assert "Needs" not in page[page.index('id="rule-0"'):page.index('id="rule-1"')]
    assert db.session.scalar(select(Quiz).where(Quiz.code == "DA110/final")) is None


def test_editing_a_quiz_bumps_its_version(client, login_as, world, db):
    _owner(login_as, world, db)
    quiz = world["quiz"]
    page = client.get(f"/teaching/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert 'name="draw-0-count"' in page and 'value="2"' in page
    data = {**SETTINGS, "slug": "mid", "title": "期中测验", "mode": "draw",
            "revision": quiz.content_hash, "draw-0-bank": "course", "draw-0-area": "data",
            "draw-0-difficulty": "2", "draw-0-count": "3"}
    response = client.post(f"/teaching/quizzes/{quiz.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    quiz = db.session.get(Quiz, quiz.id)
    assert quiz.version == 2 and quiz.title == "期中测验"
    assert quiz.draw_rules == [{"bank": "course", "area": "data", "difficulty": 2, "count": 3}]
    stale = client.post(f"/teaching/quizzes/{quiz.id}/edit", data={**data, "revision": "old"})
    assert stale.status_code == 200 and 'id="edit-conflict"' in stale.get_data(as_text=True)


def test_the_quiz_editor_does_not_open_exercises_or_other_courses(client, login_as, world, db):
    _owner(login_as, world, db)
    assert client.get(f"/teaching/quizzes/{world['exercise'].id}/edit").status_code == 404
    other = make_course("DA210", lessons=1)
    other_quiz = make_quiz(other, [make_question("DA210-Q01", course=other)])
    db.session.commit()
    assert client.get(f"/teaching/quizzes/{other_quiz.id}/edit").status_code == 403
    assert client.get("/teaching/courses/NOPE999/assessments").status_code == 404
    assert client.get("/teaching/quizzes/999999/edit").status_code == 404
    make_user(unit=world["tree"]["city"])  # nothing else changes for others
