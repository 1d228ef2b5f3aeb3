from datetime import date

from sqlalchemy import select

from app.domain.vocabulary import Rank, RoleName
from app.models import Enrollment, TrainingPlan
from tests.factories import PASSWORD, make_course, make_plan, make_user


def _form(tree, course, **overrides):
    data = {"title": "2026年渝中区科员数字素养必修", "year": "2026",
            "org_unit": str(tree["yuzhong"].id), "ranks": ["staff"],
            "courses": [str(course.id)], "due_on": "2026-12-31"}
    data.update(overrides)
    return data


def test_hr_creates_a_plan_and_yuzhong_staff_see_it_assigned(app, client, tree, login_as, db):
    course = make_course("DC101", title="数字重庆整体构架")
    staff = make_user(unit=tree["jiefangbei"], rank=Rank.STAFF, name="渝中科员")
    section = make_user(unit=tree["jiefangbei"], rank=Rank.SECTION, name="渝中科长")
    jiangbei = make_user(unit=tree["guanyinqiao"], rank=Rank.STAFF, name="江北科员")
    db.session.commit()
    login_as(RoleName.HR)
    form_page = client.get("/hr/plans/new").get_data(as_text=True)
    assert "渝中区" in form_page and "DC101" in form_page
    response = client.post("/hr/plans/new", data=_form(tree, course))
    assert response.status_code == 302, response.get_data(as_text=True)
    plan = db.session.scalar(select(TrainingPlan))
    assert response.location.endswith(f"/hr/plans/{plan.id}")
    detail = client.get(response.location).get_data(as_text=True)
    assert 'id="plan-members">2<' in detail  # the staff cadre and the HR user (also staff)

    enrolled = set(db.session.scalars(select(Enrollment.user_id)))
    assert staff.id in enrolled and section.id not in enrolled and jiangbei.id not in enrolled
    cadre_browser = app.test_client()
    cadre_browser.post("/auth/login", data={"username": staff.username, "password": PASSWORD})
    home = cadre_browser.get("/").get_data(as_text=True)
    assert 'id="in-progress-courses"' in home and "数字重庆整体构架" in home
    assert "截止 2026-12-31" in home


def test_plan_form_reports_problems_and_saves_nothing(client, tree, login_as, db):
    course = make_course("DC101")
    db.session.commit()
    login_as(RoleName.HR)
    page = client.post("/hr/plans/new", data=_form(tree, course, courses=[], title=""))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "请至少选择一门课程" in text
    page = client.post("/hr/plans/new", data=_form(tree, course, due_on="2025-01-01"))
    assert "截止日期不能早于计划年度" in page.get_data(as_text=True)
    assert db.session.scalar(select(TrainingPlan)) is None


def test_hr_of_yuzhong_cannot_plan_for_or_open_jiangbei(client, tree, login_as, db):
    course = make_course("DC101")
    jiangbei_plan = make_plan(unit=tree["jiangbei"], courses=[course], title="江北计划")
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    form_page = client.get("/hr/plans/new").get_data(as_text=True)
    assert "渝中区" in form_page and "江北区" not in form_page
    response = client.post("/hr/plans/new", data=_form(
        tree, course, org_unit=str(tree["jiangbei"].id)))
    assert response.status_code == 200  # not a valid choice for this user
    assert client.get(f"/hr/plans/{jiangbei_plan.id}").status_code == 403
    assert client.get(f"/hr/plans/{jiangbei_plan.id}/edit").status_code == 403
    assert "江北计划" not in client.get("/hr/plans/").get_data(as_text=True)
    assert client.get("/hr/plans/99999").status_code == 404


def test_editing_a_plan_resyncs(client, tree, login_as, db):
    first, second = make_course("DC101"), make_course("DA110")
    staff = make_user(unit=tree["jiefangbei"], rank=Rank.STAFF)
    db.session.commit()
    login_as(RoleName.HR)
    client.post("/hr/plans/new", data=_form(tree, first))
    plan = db.session.scalar(select(TrainingPlan))
    edit_page = client.get(f"/hr/plans/{plan.id}/edit").get_data(as_text=True)
    assert "2026年渝中区科员数字素养必修" in edit_page
    client.post(f"/hr/plans/{plan.id}/edit",
                data=_form(tree, first, courses=[str(first.id), str(second.id)]))
    courses = set(db.session.scalars(
        select(Enrollment.course_id).where(Enrollment.user_id == staff.id)))
    assert courses == {first.id, second.id}


def test_plan_detail_lists_overdue_cadres_with_bounded_queries(client, tree, login_as, db,
                                                               count_queries):
    course = make_course("DC101", lessons=1)
    hr = login_as(RoleName.HR)
    plan = make_plan(unit=tree["yuzhong"], courses=[course], due_on=date(2020, 6, 30),
                     year=2020, actor=hr)
    for i in range(3):
        make_user(unit=tree["jiefangbei"], name=f"逾期{i}")
    from app.services.learning.plans.assigning import sync_plan_enrollments

    sync_plan_enrollments(plan)
    db.session.commit()
    with count_queries(own_context=True) as small:
        text = client.get(f"/hr/plans/{plan.id}").get_data(as_text=True)
    assert "逾期0" in text and 'class="overdue"' in text
    for i in range(30):
        make_user(unit=tree["chaotianmen"], name=f"更多{i}")
    sync_plan_enrollments(plan)
    db.session.commit()
    with count_queries(own_context=True) as large:
        client.get(f"/hr/plans/{plan.id}")
    assert large.count == small.count
