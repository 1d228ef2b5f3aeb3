"""An SQL task's no-code twin (issue 18): kept in the snapshot with its expected answer on
the cadre's own data, answered instead of a query, graded by its own type, shown back."""

from decimal import Decimal

import pytest

from app.domain.vocabulary import AttemptState
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.learning.enrollment import enroll_in_course
from tests.factories import GRID_TASKS, make_course, make_exercise, make_user

TWIN = {"type": "numeric", "prompt": "不写 SQL：共有多少个区县？",
        "reference_sql": "SELECT count(DISTINCT district) FROM incidents", "tolerance": 0}


@pytest.fixture
def attempt(tree):
    tasks = [dict(task) for task in GRID_TASKS]
    tasks[2] = {**tasks[2], "twin": TWIN}  # T3, the SQL task
    course = make_course("GV211", lessons=1)
    quiz = make_exercise(course, tasks=tasks, max_attempts=3)
    cadre = make_user(unit=tree["jiefangbei"])
    enroll_in_course(course, actor=cadre)
    return start_attempt(quiz, actor=cadre)


def _answer(attempt, raw):
    save_answer(attempt, 2, raw, client_seq=1, actor=attempt.user)


def _points(attempt, position=2):
    return next(a for a in attempt.answers if a.position == position).points


def test_the_twin_is_asked_and_graded_on_the_cadres_own_data(attempt, db):
    twin = attempt.questions[2]["twin"]
    assert twin["type"] == "numeric" and twin["expected"] >= 1
    _answer(attempt, {"value": [""], "twin": [str(int(twin["expected"]))]})
    submit_attempt(attempt, actor=attempt.user)
    assert attempt.state is AttemptState.GRADED
    assert _points(attempt) == Decimal("2.00")
    answer = next(a for a in attempt.answers if a.position == 2)
    assert answer.response == {"twin": twin["expected"]} and answer.detail == {"twin": True}


def test_a_wrong_twin_answer_earns_nothing_and_a_query_takes_precedence(attempt, db):
    twin = attempt.questions[2]["twin"]
    _answer(attempt, {"value": ["SELECT 1"], "twin": [str(int(twin["expected"]))]})
    assert next(a for a in attempt.answers if a.position == 2).response == "SELECT 1"
    _answer(attempt, {"value": [""], "twin": [str(int(twin["expected"]) + 1)]})
    submit_attempt(attempt, actor=attempt.user)
    assert _points(attempt) == Decimal("0.00")


def test_the_page_offers_the_twin_and_the_review_shows_it(attempt, db, client, app):
    from tests.factories import PASSWORD

    twin = attempt.questions[2]["twin"]
    db.session.commit()
    client.post("/auth/login", data={"username": attempt.user.username, "password": PASSWORD})
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'name="q2-twin"' in page and "不写 SQL：共有多少个区县？" in page
    assert str(int(twin["expected"])) not in page.split('id="twin-2"')[1][:600]
    response = client.post(f"/attempts/{attempt.id}/submit", data={
        "q2-value": "", "q2-twin": str(int(twin["expected"]))}, follow_redirects=True)
    review = response.get_data(as_text=True)
    assert "（不写 SQL）" in review and "不写 SQL 作答的参考答案" in review
