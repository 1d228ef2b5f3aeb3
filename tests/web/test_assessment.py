import re

import pytest
from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.models import Appeal, Attempt
from app.services.learning.enrollment import enroll_in_course
from tests.factories import PASSWORD, make_course, make_question, make_quiz, make_user

SECRET_OPTION = "绝密正确答案"


@pytest.fixture
def quiz_setup(client, login_as, db):
    user = login_as(RoleName.CADRE)
    course = make_course("DA110", lessons=1)
    questions = [
        make_question("DA110-Q01", course=course,
                      spec={"options": [SECRET_OPTION, "错误一", "错误二"], "answer": 0},
                      explanation="因为这是唯一正确的选项。"),
        make_question("DA110-Q02", type="numeric", course=course,
                      spec={"answer": 25, "tolerance": 0.5, "unit": "%"}),
        make_question("DA110-Q03", type="essay", course=course, spec={"rubric": "评分要点"},
                      points=10),
    ]
    quiz = make_quiz(course, questions, shuffle=False)
    enroll_in_course(course, actor=user)
    db.session.commit()
    return {"user": user, "quiz": quiz, "course": course}


def _start(client, quiz):
    response = client.post(f"/quizzes/{quiz.id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rstrip("/").split("/")[-1])


def test_keys_never_reach_the_browser_before_review(client, quiz_setup, db):
    attempt_id = _start(client, quiz_setup["quiz"])
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    attempt = db.session.get(Attempt, attempt_id)
    assert SECRET_OPTION in page  # the option is shown…
    for needle in ('"answer"', "answer:", "correct", "唯一正确", "评分要点", "tolerance"):
        assert needle not in page, needle
    right_id, wrong_id = attempt.questions[0]["display"]["ids"][:2]
    assert page.count(right_id) == page.count(wrong_id) > 0  # nothing marks the right one
    saved = client.post(f"/attempts/{attempt_id}/answers/0",
                        data={"q0-value": right_id, "seq": "5"})
    assert saved.status_code == 200 and saved.get_json() == {"saved": True, "stale": False}
    assert "answer" not in saved.get_data(as_text=True)


def test_autosave_refuses_bad_input_with_a_reason(client, quiz_setup, db):
    attempt_id = _start(client, quiz_setup["quiz"])
    bad_option = client.post(f"/attempts/{attempt_id}/answers/0",
                             data={"q0-value": "deadbeef", "seq": "1"})
    assert bad_option.status_code == 400 and "不是本题的选项" in bad_option.get_json()["error"]
    not_number = client.post(f"/attempts/{attempt_id}/answers/1",
                             data={"q1-value": "二十五", "seq": "1"})
    assert not_number.status_code == 400 and "不是数字" in not_number.get_json()["error"]
    huge = client.post(f"/attempts/{attempt_id}/answers/2",
                       data={"q2-value": "字" * 100_000, "seq": "1"})
    assert huge.status_code == 400 and "最多 20000 字" in huge.get_json()["error"]
    missing = client.post(f"/attempts/{attempt_id}/answers/7", data={"seq": "1"})
    assert missing.status_code == 400
    no_seq = client.post(f"/attempts/{attempt_id}/answers/0", data={"q0-value": "x"})
    assert no_seq.status_code == 400
    assert db.session.get(Attempt, attempt_id).answers == []


def test_answers_survive_a_reload_and_the_review_follows_the_policy(client, quiz_setup, db):
    attempt_id = _start(client, quiz_setup["quiz"])
    attempt = db.session.get(Attempt, attempt_id)
    right_id = attempt.questions[0]["display"]["ids"][0]
    client.post(f"/attempts/{attempt_id}/save", data={"q0-value": right_id, "q1-value": "25%"})
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert re.search(rf'value="{right_id}"[^>]*checked', page)
    assert 'value="25.0"' in page or 'value="25"' in page
    response = client.post(f"/attempts/{attempt_id}/submit",
                           data={"q0-value": right_id, "q1-value": "25", "q2-value": "我的回答"})
    assert response.location.endswith(f"/attempts/{attempt_id}/review")
    review = client.get(response.location).get_data(as_text=True)
    assert 'id="attempt-pending"' in review  # the essay waits for a trainer
    assert "因为这是唯一正确的选项" in review and SECRET_OPTION in review
    again = client.post(f"/attempts/{attempt_id}/submit", data={})
    assert again.status_code == 302  # harmless
    closed = client.post(f"/attempts/{attempt_id}/answers/0",
                         data={"q0-value": right_id, "seq": "99"})
    assert closed.status_code == 409


def test_another_cadres_attempt_is_404(app, client, quiz_setup, tree, db):
    attempt_id = _start(client, quiz_setup["quiz"])
    other = make_user(unit=tree["jiefangbei"])
    db.session.commit()
    browser = app.test_client()
    browser.post("/auth/login", data={"username": other.username, "password": PASSWORD})
    assert browser.get(f"/attempts/{attempt_id}").status_code == 404
    assert browser.get(f"/attempts/{attempt_id}/review").status_code == 404
    assert browser.post(f"/attempts/{attempt_id}/answers/0",
                        data={"q0-value": "x", "seq": "1"}).status_code == 404
    assert browser.post(f"/attempts/{attempt_id}/submit").status_code == 404
    assert browser.get(f"/quizzes/{quiz_setup['quiz'].id}").status_code == 200
    assert "报名" in browser.get(f"/quizzes/{quiz_setup['quiz'].id}").get_data(as_text=True)


def test_two_starts_give_one_attempt(client, quiz_setup, db):
    first = _start(client, quiz_setup["quiz"])
    second = _start(client, quiz_setup["quiz"])
    assert first == second
    assert len(db.session.scalars(select(Attempt)).all()) == 1


def test_course_page_lists_its_quiz(client, quiz_setup):
    page = client.get("/courses/DA110").get_data(as_text=True)
    assert 'id="quiz-list"' in page and "及格线 60%" in page


def test_a_form_token_outlives_an_hour_long_quiz(app, monkeypatch):
    import time

    from flask_wtf.csrf import generate_csrf, validate_csrf

    with app.test_request_context():
        token = generate_csrf()
        real_time = time.time
        monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 3600)
        validate_csrf(token)  # raises ValidationError if the token had expired


@pytest.fixture
def graded_attempt(client, login_as, db):
    """A two-question attempt (2 points each), the first right and the second wrong."""
    user = login_as(RoleName.CADRE)
    course = make_course("DA110", lessons=1)
    questions = [make_question("DA110-Q01", course=course),
                 make_question("DA110-Q02", type="numeric", course=course,
                               spec={"answer": 25, "tolerance": 0})]
    quiz = make_quiz(course, questions, shuffle=False)
    enroll_in_course(course, actor=user)
    db.session.commit()
    attempt_id = _start(client, quiz)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    right_id = db.session.get(Attempt, attempt_id).questions[0]["display"]["ids"][0]
    client.post(f"/attempts/{attempt_id}/submit", data={"q0-value": right_id, "q1-value": "3"})
    return {"id": attempt_id, "page": page, "user": user}


def test_finding_17_questions_show_their_type_and_an_answer_sheet(graded_attempt):
    page = graded_attempt["page"]
    assert '<span class="question-type">单选题</span>' in page
    assert '<span class="question-type">数值题</span>' in page
    sheet = page[page.index('id="answer-sheet"'):page.index('id="attempt-form"')]
    assert sheet.count('href="#question-') == 2 and "答题卡" in sheet
    assert 'id="timer"' not in page or page.index('id="timer"') < page.index('id="attempt-form"')


def test_finding_17_scores_show_without_decimal_noise(client, graded_attempt):
    review = client.get(f"/attempts/{graded_attempt['id']}/review").get_data(as_text=True)
    score = re.search(r'id="attempt-score">([^<]*)<', review).group(1).split()
    assert " ".join(score) == "2 / 4 · 50%"
    assert "· 2 / 2</span>" in review and ".00" not in review


def test_finding_17_no_appeal_on_a_question_already_at_full_marks(client, graded_attempt, db):
    attempt_id = graded_attempt["id"]
    review = client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True)
    assert f"/attempts/{attempt_id}/appeal/0" not in review
    assert f"/attempts/{attempt_id}/appeal/1" in review
    refused = client.post(f"/attempts/{attempt_id}/appeal/0", data={"reason": "再看看"},
                          follow_redirects=True)
    assert "本题已得满分" in refused.get_data(as_text=True)
    assert db.session.scalars(select(Appeal)).all() == []
