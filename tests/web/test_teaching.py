from sqlalchemy import select

from app.domain.vocabulary import AppealStatus, AttemptState, RoleName
from app.models import Appeal, Attempt
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.access import add_course_owner
from app.services.learning.enrollment import enroll_in_course
from tests.factories import PASSWORD, make_course, make_question, make_quiz, make_user


def _world(tree, db):
    course = make_course("GV320", lessons=1)
    essay = make_question("GV320-Q14", type="essay", course=course, points=10,
                          spec={"rubric": "1. 指出痛点（5分）"})
    single = make_question("GV320-Q01", course=course)
    quiz = make_quiz(course, [single, essay], shuffle=False, pass_mark=50)
    cadre = make_user(unit=tree["jiefangbei"], name="学员甲")
    enroll_in_course(course, actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    wrong = attempt.questions[0]["display"]["ids"][1]
    save_answer(attempt, 0, {"value": [wrong]}, client_seq=1, actor=cadre)
    save_answer(attempt, 1, {"value": ["我会先梳理办事流程……"]}, client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    db.session.commit()
    return course, cadre, attempt


def _browser(app, user):
    browser = app.test_client()
    browser.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    return browser


def test_trainer_grades_the_essay_then_the_cadre_appeals_and_sees_the_outcome(
        app, client, tree, login_as, db):
    course, cadre, attempt = _world(tree, db)
    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    queue = client.get("/teaching/essays").get_data(as_text=True)
    assert "学员甲" in queue
    answer_id = next(a.id for a in attempt.answers if a.position == 1)
    page = client.get(f"/teaching/essays/{answer_id}").get_data(as_text=True)
    assert "我会先梳理办事流程" in page and "指出痛点" in page
    bad = client.post(f"/teaching/essays/{answer_id}", data={"points": "11", "feedback": ""})
    assert bad.status_code == 200 and "之间" in bad.get_data(as_text=True)
    client.post(f"/teaching/essays/{answer_id}", data={"points": "8", "feedback": "思路清楚。"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state is AttemptState.GRADED and attempt.score == 8

    learner = _browser(app, cadre)
    review = learner.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "思路清楚" in review and "申诉本题" in review
    learner.post(f"/attempts/{attempt.id}/appeal/0", data={"reason": "我的选项也符合政策。"})
    assert db.session.scalar(select(Appeal)).status is AppealStatus.OPEN

    appeal_id = db.session.scalar(select(Appeal.id))
    assert "我的选项也符合政策" in client.get("/teaching/appeals").get_data(as_text=True)
    missing = client.post(f"/teaching/appeals/{appeal_id}",
                          data={"decision": "change_key", "new_key": "Z", "response": "更正"})
    assert "更正后的答案无效" in missing.get_data(as_text=True)
    assert db.session.scalar(select(Appeal)).status is AppealStatus.OPEN  # nothing changed
    client.post(f"/teaching/appeals/{appeal_id}",
                data={"decision": "accept_answer", "response": "理由成立，给满分。"})
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).score == 10
    review = learner.get(f"/attempts/{attempt.id}/review").get_data(as_text=True)
    assert "已支持" in review and "理由成立" in review


def test_trainers_only_see_their_own_courses(app, client, tree, login_as, db):
    _course, _cadre, attempt = _world(tree, db)
    login_as(RoleName.TRAINER, unit=tree["city"])  # owns nothing
    assert "学员甲" not in client.get("/teaching/essays").get_data(as_text=True)
    answer_id = next(a.id for a in attempt.answers if a.position == 1)
    assert client.get(f"/teaching/essays/{answer_id}").status_code == 403
    assert client.get("/teaching/essays/999999").status_code == 404


def test_cadres_cannot_open_the_trainer_pages(client, login_as):
    login_as(RoleName.CADRE)
    assert client.get("/teaching/essays").status_code == 403
    assert client.get("/teaching/appeals").status_code == 403


def test_a_trainer_sets_extra_time_by_employee_number(client, tree, login_as, db):
    from app.models import TimeAccommodation

    trainer = login_as(RoleName.TRAINER, unit=tree["city"])
    course = make_course("DC101", lessons=1)
    add_course_owner(course, trainer, actor=None)
    cadre = make_user(unit=tree["guanyinqiao"], username="E777")
    enroll_in_course(course, actor=cadre)
    db.session.commit()
    page = client.post("/teaching/accommodations",
                       data={"username": "NOBODY", "extra_percent": "25"})
    assert "没有此工号" in page.get_data(as_text=True)
    client.post("/teaching/accommodations",
                data={"username": "E777", "extra_percent": "25", "reason": "听力障碍"})
    assert db.session.get(TimeAccommodation, cadre.id).extra_percent == 25
