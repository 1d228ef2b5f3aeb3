"""Class pages: who may open each (every URL × every role), the class form, the schedule tab,
publishing and cancelling, and the header's links."""

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.class_vocabulary import ClassStatus, MemberStatus
from app.domain.vocabulary import RoleName
from app.models import ClassSession, TrainingClass
from tests.factories import (
    PASSWORD,
    audit_events,
    make_class,
    make_course,
    make_member,
    make_question,
    make_quiz,
    make_user,
)

ROLES = ["anonymous", "cadre_member", "cadre_outsider", "trainer_creator", "other_trainer",
         "hr_in_scope", "hr_out_of_scope", "admin"]
MANAGERS = {"trainer_creator", "hr_in_scope", "admin"}


@pytest.fixture
def world(tree, db):
    """A published class of 渝中区 run by a trainer, with a session, a member and an
    application; one person of each role."""
    people = {
        "cadre_member": make_user(unit=tree["jiefangbei"], username="MEMBER"),
        "cadre_outsider": make_user(unit=tree["guanyinqiao"], username="OUTSIDER"),
        "trainer_creator": make_user(unit=tree["city"], roles=[RoleName.TRAINER],
                                     username="CREATOR"),
        "other_trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER],
                                   username="OTHERT"),
        "hr_in_scope": make_user(unit=tree["yuzhong"], roles=[RoleName.HR],
                                 scope=tree["yuzhong"], username="HRIN"),
        "hr_out_of_scope": make_user(unit=tree["jiangbei"], roles=[RoleName.HR],
                                     scope=tree["jiangbei"], username="HROUT"),
        "admin": make_user(unit=tree["city"], roles=[RoleName.ADMIN], username="ADMIN"),
    }
    training_class = make_class(unit=tree["yuzhong"], actor=people["trainer_creator"],
                                publish=True, title="渝中区数字治理专题培训班")
    make_member(training_class, people["cadre_member"])
    applicant = make_member(training_class, make_user(unit=tree["chaotianmen"]),
                            MemberStatus.APPLIED)
    db.session.commit()
    return {"people": people, "class": training_class, "applicant": applicant}


def _sign_in(client, world, role):
    if role != "anonymous":
        user = world["people"][role]
        response = client.post("/auth/login", data={"username": user.username,
                                                    "password": PASSWORD})
        assert response.status_code == 302


def _get_expectations(world):
    c = world["class"].id
    s = world["class"].sessions[0].id
    manage = {role: 200 if role in MANAGERS else 403 for role in ROLES}
    manage["anonymous"] = "login"
    # Every trainer and HR user runs classes of their own (and sees only those).
    own_list = manage | {"other_trainer": 200, "hr_out_of_scope": 200}
    anyone = {role: 200 for role in ROLES} | {"anonymous": "login"}
    page = {role: 200 if role in MANAGERS | {"cadre_member"} else 404 for role in ROLES}
    page["anonymous"] = "login"
    return {
        "/classes/": own_list, "/classes/new": own_list,
        "/classes/mine": anyone, "/classes/open": anyone,
        f"/classes/{c}": page,
        f"/classes/{c}/edit": manage, f"/classes/{c}/schedule": manage,
        f"/classes/{c}/sessions/{s}/edit": manage, f"/classes/{c}/members": manage,
        f"/classes/{c}/members/nominate": manage,
    }


def _check(response, expected, url, role):
    if expected == "login":
        assert response.status_code == 302 and "/auth/login" in response.location, (url, role)
    elif isinstance(expected, tuple):
        assert response.status_code in expected, (url, role, response.status_code)
    else:
        assert response.status_code == expected, (url, role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_every_class_page_answers_each_role(client, world, role):
    _sign_in(client, world, role)
    for url, expected in _get_expectations(world).items():
        _check(client.get(url), expected[role], url, role)
    listed = "渝中区数字治理专题培训班" in client.get("/classes/").get_data(as_text=True)
    assert listed is (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_every_class_action_answers_each_role(client, world, role, db):
    c, applicant = world["class"].id, world["applicant"].id
    session_id = world["class"].sessions[0].id
    _sign_in(client, world, role)
    refused = "login" if role == "anonymous" else 403
    done = (200, 302, 400) if role in MANAGERS else refused
    cadre_side = (302 if role == "cadre_member" else 404) if role != "anonymous" else "login"
    posts = [
        (f"/classes/{c}/publish", done), (f"/classes/{c}/cancel", done),
        (f"/classes/{c}/members/file", done),
        (f"/classes/{c}/members/nominate", done),
        (f"/classes/{c}/members/{applicant}/reject", done),
        (f"/classes/{c}/members/{applicant}/withdraw", done),
        (f"/classes/{c}/members/{applicant}/approve", done),
        (f"/classes/{c}/apply", cadre_side), (f"/classes/{c}/withdraw", cadre_side),
        (f"/classes/{c}/sessions/{session_id}/delete", done),
    ]
    for url, expected in posts:
        _check(client.post(url), expected, url, role)
    db.session.expire_all()
    still = db.session.get(TrainingClass, c)
    assert still.status is ClassStatus.OPEN  # empty forms change nothing...
    if role not in MANAGERS:  # ...and refused ones nothing at all
        assert db.session.scalar(select(ClassSession.id)) == session_id
        assert world["applicant"].status is MemberStatus.APPLIED


def _class_form(tree, **changes):
    data = {"title": "渝中区数字治理专题培训班", "organizer": "中共渝中区委党校",
            "org_unit": str(tree["yuzhong"].id), "starts_on": "2026-06-01",
            "ends_on": "2026-06-02", "venue": "区委党校 201", "capacity": "30",
            "attendance_share": "80", "late_after_minutes": "10", "opens_before_minutes": "30",
            "test_quiz": "", "description": "围绕城市运行和治理中心建设。"}
    data.update(changes)
    return data


def test_hr_creates_schedules_and_publishes_a_class(client, tree, login_as, db):
    before, during = make_course("DC101", title="数字重庆整体构架"), make_course("DA110")
    quiz = make_quiz(before, [make_question("Q1", course=before)], code="DC101/final")
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    form = client.get("/classes/new").get_data(as_text=True)
    assert "渝中区" in form and "江北区" not in form and "DC101/final" in form
    response = client.post("/classes/new", data=_class_form(
        tree, ranks=["staff"], courses_before=[str(before.id)], courses_during=[str(during.id)],
        test_quiz=str(quiz.id), open_to_applications="y"))
    assert response.status_code == 302, response.get_data(as_text=True)
    training_class = db.session.scalar(select(TrainingClass))
    assert response.location.endswith(f"/classes/{training_class.id}")
    assert training_class.ranks == ["staff"] and training_class.test_quiz_id == quiz.id
    overview = client.get(response.location).get_data(as_text=True)
    assert 'id="class-tabs"' in overview and "数字重庆整体构架" in overview
    assert 'id="draft-note"' in overview

    schedule = f"/classes/{training_class.id}/schedule"
    session = {"day": "2026-06-01", "starts": "09:00", "ends": "12:00", "topic": "数字政府建设",
               "teacher": "王建华", "hours": "3"}
    assert client.post(schedule, data=session).status_code == 302
    page = client.post(schedule, data=session | {"starts": "11:00", "ends": "12:30",
                                                 "hours": "2"}).get_data(as_text=True)
    assert "与本班另一课次的时间重叠" in page
    text = client.get(schedule, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "09:00–12:00" in text and "数字政府建设" in text

    assert client.post(f"/classes/{training_class.id}/publish").status_code == 302
    db.session.expire_all()
    assert training_class.status is ClassStatus.OPEN
    assert [e.action for e in audit_events("classes.published")] == ["classes.published"]


def test_the_class_form_names_each_problem_and_saves_nothing(client, tree, login_as, db):
    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    zh = {"Accept-Language": "zh-CN"}
    page = client.post("/classes/new", data=_class_form(tree, ends_on="2026-05-01"), headers=zh)
    assert page.status_code == 200
    assert "结束日期不能早于开始日期" in page.get_data(as_text=True)
    page = client.post("/classes/new", data=_class_form(tree, capacity="0", venue=""),
                       headers=zh)
    assert page.status_code == 200
    page = client.post("/classes/new", data=_class_form(tree, capacity="NaN"), headers=zh)
    assert page.status_code == 200
    page = client.post("/classes/new", data=_class_form(tree, org_unit=str(tree["jiangbei"].id)))
    assert page.status_code == 200  # not a choice this HR has
    assert db.session.scalar(select(TrainingClass.id)) is None


def test_session_problems_are_shown_under_their_fields(client, tree, login_as, db):
    hr = login_as(RoleName.HR)
    training_class = make_class(unit=tree["yuzhong"], actor=hr, sessions=1)
    db.session.commit()
    zh = {"Accept-Language": "zh-CN"}
    url = f"/classes/{training_class.id}/schedule"
    base = {"day": "2026-06-02", "starts": "09:00", "ends": "10:00", "topic": "课", "hours": "1"}
    cases = [({"day": "2026-07-01"}, "2026-06-01"), ({"ends": "08:00"}, "结束时间"),
             ({"hours": "2"}, "最多 1.0"), ({"hours": "abc"}, None)]
    for change, words in cases:
        response = client.post(url, data=base | change, headers=zh)
        assert response.status_code == 200, change
        if words:
            assert words in response.get_data(as_text=True), change
    assert len(db.session.scalars(select(ClassSession)).all()) == 1


def test_cancelling_tells_the_members_why(client, tree, login_as, db, app):
    hr = login_as(RoleName.HR)
    training_class = make_class(unit=tree["yuzhong"], actor=hr, publish=True)
    cadre = make_user(unit=tree["jiefangbei"])
    make_member(training_class, cadre)
    db.session.commit()
    client.post(f"/classes/{training_class.id}/cancel", data={"reason": ""})
    db.session.expire_all()
    assert training_class.status is ClassStatus.OPEN
    client.post(f"/classes/{training_class.id}/cancel", data={"reason": "因故延期"})
    db.session.expire_all()
    assert training_class.status is ClassStatus.CANCELLED
    closed = "本班已结班或已取消，不能再修改"
    session = {"day": "2026-06-01", "starts": "14:00", "ends": "15:00", "topic": "课",
               "hours": "1"}
    for url, data in ((f"/classes/{training_class.id}/schedule", session),
                      (f"/classes/{training_class.id}/edit", _class_form(tree)),
                      (f"/classes/{training_class.id}/members/nominate",
                       {"unit": str(tree["yuzhong"].id), "action": "nominate"})):
        response = client.post(url, data=data)
        assert response.status_code == 200 and closed in response.get_data(as_text=True), url
    response = client.post(
        f"/classes/{training_class.id}/sessions/{training_class.sessions[0].id}/delete",
        follow_redirects=True)
    assert closed in response.get_data(as_text=True)
    assert len(training_class.sessions) == 1
    browser = app.test_client()
    browser.post("/auth/login", data={"username": cadre.username, "password": PASSWORD})
    assert "因故延期" in browser.get("/classes/mine").get_data(as_text=True)
    assert "因故延期" in browser.get(f"/classes/{training_class.id}").get_data(as_text=True)


def test_editing_a_class_keeps_its_choices(client, tree, login_as, db):
    hr = login_as(RoleName.HR)
    course = make_course("DC101")
    training_class = make_class(unit=tree["yuzhong"], actor=hr, courses_before=[course])
    db.session.commit()
    page = client.get(f"/classes/{training_class.id}/edit").get_data(as_text=True)
    assert '<input checked class="form-check-input" id="courses_before-0"' in page
    response = client.post(f"/classes/{training_class.id}/edit", data=_class_form(
        tree, title="改名后的班", courses_during=[str(course.id)]))
    assert response.status_code == 302
    db.session.expire_all()
    assert training_class.title == "改名后的班"


@pytest.mark.parametrize(("role", "sees"), [(None, False), (RoleName.TRAINER, True),
                                            (RoleName.HR, True), (RoleName.ADMIN, True)])
def test_the_header_links_my_classes_for_all_and_management_for_managers(client, login_as,
                                                                         role, sees):
    login_as(role)
    page = client.get("/").get_data(as_text=True)
    assert 'id="nav-my-classes"' in page
    assert ('id="nav-classes"' in page) is sees


def test_the_class_list_reads_a_bounded_number_of_queries(client, tree, login_as, db,
                                                          count_queries):
    hr = login_as(RoleName.HR)
    make_member(make_class(unit=tree["yuzhong"], actor=hr), make_user(unit=tree["jiefangbei"]))
    db.session.commit()
    with count_queries(own_context=True) as one:
        assert client.get("/classes/").status_code == 200
    for i in range(5):
        training_class = make_class(unit=tree["yuzhong"], actor=hr, title=f"班{i}",
                                    starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 1))
        make_member(training_class, make_user(unit=tree["jiefangbei"]))
    db.session.commit()
    with count_queries(own_context=True) as six:
        assert client.get("/classes/").status_code == 200
    assert six.count == one.count
