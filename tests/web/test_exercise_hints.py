"""Graded hints on the exercise pages: hidden until opened, opened in order by the owner
only while the attempt is open, their cost shown first and taken at grading, and the review
and the gradebook show them."""

import pytest
from sqlalchemy import select

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import AttemptHint
from app.services.assessment.attempts import start_attempt, submit_attempt
from app.services.core.access import add_course_owner
from app.services.learning.enrollment import enroll_in_course
from tests.factories import GRID_TASKS, audit_events, make_course, make_exercise, make_user

HINT_1 = "先按状态筛选“已超期”，再数行数。"
HINT_2 = "用 count(*) 计数，不要去重。"
HINT_3 = "对照候选项逐一数一数。"


def hinted_tasks():
    tasks = [dict(task) for task in GRID_TASKS]
    tasks[0]["hints"] = [{"text": HINT_1, "cost_percent": 10},
                         {"text": HINT_2, "cost_percent": 20}]
    tasks[1]["hints"] = [{"text": HINT_3, "cost_percent": 100}]
    return tasks


@pytest.fixture
def hinted(client, login_as, tree):
    course = make_course("GV210", lessons=1)
    quiz = make_exercise(course, tasks=hinted_tasks())
    cadre = login_as(RoleName.CADRE)
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    db.session.commit()
    return {"course": course, "quiz": quiz, "cadre": cadre, "attempt": attempt,
            "url": f"/attempts/{attempt.id}"}


def _hint_url(attempt, position, number):
    return f"/attempts/{attempt.id}/tasks/{position}/hints/{number}"


def _opened(attempt):
    return sorted(db.session.execute(select(AttemptHint.position, AttemptHint.number)
                                     .where(AttemptHint.attempt_id == attempt.id)).all())


def test_a_hint_text_reaches_the_page_only_once_opened(client, hinted):
    attempt = hinted["attempt"]
    page = client.get(hinted["url"]).get_data(as_text=True)
    assert "提示 1（使用后扣本题 10% 分值）" in page
    assert "提示 2（使用后扣本题 20% 分值）" in page and "在提示 1 之后" in page
    assert "提示 1（使用后扣本题 100% 分值）" in page
    for text in (HINT_1, HINT_2, HINT_3):
        assert text not in page
    assert page.count('class="btn btn-sm btn-outline-warning open-hint"') == 2  # T1's 1, T2's 1

    response = client.post(_hint_url(attempt, 0, 1), data={"q0-value": "17"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{hinted['url']}#question-0")
    page = client.get(hinted["url"]).get_data(as_text=True)
    assert HINT_1 in page and HINT_2 not in page and HINT_3 not in page
    assert 'value="17"' in page  # the answer typed before opening was saved with it
    assert "已打开，扣本题 10% 分值" in page
    assert _opened(attempt) == [(0, 1)]
    [event] = audit_events("assessment.hint_opened")
    assert event.target == f"attempt:{attempt.id}"
    assert event.details == {"task": "T1", "position": 0, "number": 1, "cost_percent": 10}


def test_hints_open_in_order_and_opening_twice_changes_nothing(client, hinted):
    attempt = hinted["attempt"]
    refused = client.post(_hint_url(attempt, 0, 2), follow_redirects=True)
    assert "请按顺序打开提示" in refused.get_data(as_text=True)
    assert _opened(attempt) == []
    client.post(_hint_url(attempt, 0, 1))
    client.post(_hint_url(attempt, 0, 1))
    client.post(_hint_url(attempt, 0, 2))
    assert _opened(attempt) == [(0, 1), (0, 2)]
    assert len(audit_events("assessment.hint_opened")) == 2
    page = client.get(hinted["url"]).get_data(as_text=True)
    assert HINT_1 in page and HINT_2 in page


@pytest.mark.parametrize(("position", "number"), [(0, 3), (0, 0), (2, 1), (99, 1)])
def test_a_hint_that_does_not_exist_is_not_found(client, hinted, position, number):
    assert client.post(_hint_url(hinted["attempt"], position, number)).status_code == 404


def test_no_hint_opens_after_submitting(client, hinted):
    attempt = hinted["attempt"]
    submit_attempt(attempt, actor=hinted["cadre"])
    db.session.commit()
    response = client.post(_hint_url(attempt, 0, 1), follow_redirects=True)
    assert "本次作答已关闭" in response.get_data(as_text=True)
    assert _opened(attempt) == []


def test_only_the_attempts_owner_may_open_a_hint(client, hinted, login_as, tree):
    attempt, url = hinted["attempt"], _hint_url(hinted["attempt"], 0, 1)
    client.post("/auth/logout")
    assert client.post(url).status_code == 302
    assert "/auth/login" in client.post(url).headers["Location"]
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(hinted["course"], trainer, actor=None)
    db.session.commit()
    for role in (RoleName.CADRE, RoleName.HR, None):
        login_as(role) if role else login_as(user=trainer)
        assert client.post(url).status_code == 404, role
        assert client.get(hinted["url"]).status_code == 404, role
        client.post("/auth/logout")
    assert _opened(attempt) == []


def test_the_review_shows_the_hints_used_and_their_cost(client, hinted):
    attempt = hinted["attempt"]
    items = attempt.questions
    client.post(_hint_url(attempt, 0, 1))
    client.post(_hint_url(attempt, 0, 2))
    client.post(_hint_url(attempt, 1, 1))
    client.post(f"/attempts/{attempt.id}/submit",
                data={"q0-value": str(int(items[0]["expected"])), "q1-value": items[1]["expected"]})
    review = client.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "使用提示 2 个，扣本题 30% 分值" in review
    assert "使用提示 1 个，扣本题 100% 分值" in review
    assert HINT_1 in review and HINT_2 in review and HINT_3 in review
    task_1 = review.split('id="review-0"')[1].split('id="review-1"')[0]
    task_2 = review.split('id="review-1"')[1].split('id="review-2"')[0]
    assert "· 1.4 / 2" in task_1  # 2 points less 30 %
    assert "· 0 / 2" in task_2  # right, but the hint cost all of it
    assert "对此题申诉" not in task_1 and "对此题申诉" not in task_2  # nothing left to appeal


def test_the_gradebook_and_item_statistics_show_the_hints_used(client, hinted, login_as, tree):
    attempt = hinted["attempt"]
    client.post(_hint_url(attempt, 0, 1))
    client.post(_hint_url(attempt, 0, 2))
    client.post(_hint_url(attempt, 1, 1))
    client.post(f"/attempts/{attempt.id}/submit", data={})
    client.post("/auth/logout")
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(hinted["course"], trainer, actor=None)
    db.session.commit()
    login_as(user=trainer)
    page = client.get("/teaching/courses/GV210/gradebook").get_data(as_text=True)
    assert "使用提示" in page and '<td class="hints-used">3</td>' in page
    text = client.get("/teaching/courses/GV210/gradebook.csv").get_data(as_text=True)
    header, row = (line.split(",") for line in text.lstrip("\ufeff").splitlines()[:2])
    assert header[4] == "使用提示" and row[4] == "3"
    items = client.get(f"/teaching/quizzes/{hinted['quiz'].id}/items").get_data(as_text=True)
    assert "借助提示作答" in items
    shares = items.split('class="hinted">')[1:]
    assert [share.split("<")[0] for share in shares] == ["100%", "100%", "0%", "0%", "0%"]
