from datetime import date

from sqlalchemy import select

from app.domain.vocabulary import CourseStatus, RoleName
from app.models import Enrollment
from app.services.learning.enrollment import enroll_in_course
from tests.factories import make_course, make_plan


def test_catalog_cards_show_tier_hours_lessons_and_state(client, login_as, db):
    user = login_as(RoleName.CADRE)
    course = make_course("DA110", title="用数据说话", hours="5")
    make_course("GV210", title="三级治理")
    enroll_in_course(course, actor=user)
    db.session.commit()
    text = client.get("/courses/").get_data(as_text=True)
    assert "用数据说话" in text and "三级治理" in text
    assert "5.0 学时" in text and "3 课" in text
    assert "学习中" in text and "未报名" in text and "基础" in text


def test_catalog_filters_by_query_string(client, login_as, db):
    login_as(RoleName.CADRE)
    make_course("DA110", title="政务数据分析入门")
    make_course("AI310", title="AI与数字孪生", tier="advanced")
    db.session.commit()
    text = client.get("/courses/?tier=advanced").get_data(as_text=True)
    assert "AI与数字孪生" in text and "政务数据分析入门" not in text
    assert client.get("/courses/?tier=bogus").status_code == 200  # unknown filter ignored


def test_catalog_and_course_page_query_counts_do_not_grow(client, login_as, db,
                                                           count_queries):
    user = login_as(RoleName.CADRE)
    first = make_course("AA100", lessons=2)
    enroll_in_course(first, actor=user)
    db.session.commit()
    with count_queries(own_context=True) as small_catalog:
        client.get("/courses/")
    with count_queries(own_context=True) as small_course:
        client.get("/courses/AA100")
    for i in range(1, 15):
        course = make_course(f"AA{100 + i}", lessons=6, prerequisites=[first])
        enroll_in_course(first, actor=user)
        if i % 2:
            db.session.add(Enrollment(user_id=user.id, course_id=course.id, source="self"))
    db.session.commit()
    with count_queries(own_context=True) as large_catalog:
        client.get("/courses/")
    with count_queries(own_context=True) as large_course:
        client.get("/courses/AA105")
    assert large_catalog.count == small_catalog.count
    assert large_course.count <= small_course.count + 2  # prerequisites add fixed queries


def test_enroll_read_complete_and_see_hours(client, login_as, db):
    login_as(RoleName.CADRE)
    make_course("DC101", lessons=2, hours="4")
    db.session.commit()
    page = client.get("/courses/DC101").get_data(as_text=True)
    assert 'id="enroll-button"' in page
    assert "/courses/DC101/lessons/1" not in page  # lessons open after enrolling
    client.post("/courses/DC101/enroll")
    assert "继续学习" in client.get("/courses/DC101").get_data(as_text=True)
    lesson = client.get("/courses/DC101/lessons/1").get_data(as_text=True)
    assert "第1课正文" in lesson and 'id="complete-button"' in lesson
    response = client.post("/courses/DC101/lessons/1/complete")
    assert response.location.endswith("/courses/DC101/lessons/2")
    assert "50%" in client.get("/courses/DC101/lessons/2").get_data(as_text=True)
    response = client.post("/courses/DC101/lessons/2/complete")
    assert response.location.endswith("/courses/DC101")
    assert client.post("/courses/DC101/lessons/2/complete").status_code == 302  # harmless
    home = client.get("/").get_data(as_text=True)
    assert 'id="hours-total">4.0<' in home
    assert "选修 4.0" in home and 'id="completed-courses"' in home


def test_unmet_prerequisites_explain_why(client, login_as, db):
    login_as(RoleName.CADRE)
    base = make_course("DC101")
    make_course("GV210", prerequisites=[base])
    db.session.commit()
    page = client.get("/courses/GV210").get_data(as_text=True)
    assert 'id="not-eligible"' in page and "DC101" in page
    response = client.post("/courses/GV210/enroll", follow_redirects=True)
    assert "请先完成先修课程" in response.get_data(as_text=True)


def test_missing_draft_and_foreign_lessons_are_404(client, login_as, db):
    user = login_as(RoleName.CADRE)
    course = make_course("DC101", lessons=2)
    make_course("DR101", status=CourseStatus.DRAFT)
    enroll_in_course(course, actor=user)
    db.session.commit()
    assert client.get("/courses/NOPE").status_code == 404
    assert client.get("/courses/DR101").status_code == 404
    assert client.get("/courses/DR101/lessons/1").status_code == 404
    assert client.get("/courses/DC101/lessons/3").status_code == 404
    assert client.post("/courses/DC101/lessons/3/complete").status_code == 404
    assert client.get("/courses/DC101/assets/none.png").status_code == 404


def test_lessons_need_enrollment(client, login_as, db):
    login_as(RoleName.CADRE)
    make_course("DC101")
    db.session.commit()
    response = client.get("/courses/DC101/lessons/1")
    assert response.status_code == 302 and response.location.endswith("/courses/DC101")


def test_assigned_course_cannot_be_left(client, tree, login_as, db):
    login_as(RoleName.CADRE)
    course = make_course("DC101")
    make_course("EL101")
    make_plan(unit=tree["city"], courses=[course])
    db.session.commit()
    client.post("/courses/EL101/enroll")
    client.post("/courses/EL101/leave")
    assert 'id="enroll-button"' in client.get("/courses/EL101").get_data(as_text=True)
    page = client.get("/courses/DC101").get_data(as_text=True)
    assert "leave" not in page and "由培训计划指派" in page


def test_dashboard_shows_assigned_due_dates_and_overdue(client, tree, login_as, db,
                                                         count_queries):
    user = login_as(RoleName.CADRE)
    late = make_course("LT101", title="逾期课程")
    make_plan(unit=tree["yuzhong"], courses=[late], due_on=date(2020, 1, 31), year=2020)
    db.session.commit()
    client.get("/")  # sign-in sync already ran; the plan was made after sign-in
    from app.services.learning.plans.assigning import sync_user_plans

    sync_user_plans(user, date(2019, 12, 1))
    db.session.commit()
    client.get("/")  # both counts below are of a page whose shared course list is kept
    with count_queries(own_context=True) as small:
        text = client.get("/").get_data(as_text=True)
    assert "逾期课程" in text and "已逾期" in text and 'class="small overdue"' in text
    for i in range(10):
        course = make_course(f"MM{100 + i}")
        enroll_in_course(course, actor=user)
    db.session.commit()
    client.get("/")  # the new courses change the shared course list: read it once
    with count_queries(own_context=True) as large:
        client.get("/")
    assert large.count == small.count


def test_course_asset_is_served_to_signed_in_users(client, login_as, db):
    from tests.factories import make_asset

    login_as(RoleName.CADRE)
    make_asset(make_course("DC101"), data=b"\x89PNG-bytes")
    db.session.commit()
    response = client.get("/courses/DC101/assets/diagram.png")
    assert response.status_code == 200 and response.data == b"\x89PNG-bytes"
    assert response.headers["Content-Type"] == "image/png"


def test_a_trainer_previews_a_draft_without_enrolling(client, login_as, db):
    trainer = login_as(RoleName.TRAINER)
    make_course("DR101", status=CourseStatus.DRAFT)
    db.session.commit()
    assert client.get("/courses/DR101").status_code == 200
    lesson = client.get("/courses/DR101/lessons/1")
    assert lesson.status_code == 200 and 'id="complete-button"' not in lesson.get_data(
        as_text=True)
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == trainer.id)) is None


def test_hostile_lesson_markdown_is_shown_harmless(client, login_as, db):
    from app.domain.markdown import render_markdown

    user = login_as(RoleName.CADRE)
    course = make_course("XS101", lessons=1)
    payload = ('<script>alert(1)</script>\n\n[点我](javascript:alert(1))\n\n'
               '<img src=x onerror=alert(1)>\n\n![图](javascript:alert(2))\n\n'
               '| 列 |\n|---|\n| 值 |')
    course.lessons[0].body_markdown = payload
    course.lessons[0].body_html = render_markdown(payload)
    enroll_in_course(course, actor=user)
    db.session.commit()
    text = client.get("/courses/XS101/lessons/1").get_data(as_text=True)
    body = text.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<script" not in body and "<img" not in body  # raw HTML is shown as text
    assert 'href="javascript' not in body and 'src="javascript' not in body
    assert "&lt;script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    assert "<table>" in body


def test_reading_a_lesson_writes_nothing_and_its_beacon_remembers_the_place(client, login_as,
                                                                           db, tree):
    from sqlalchemy import event, select

    from app.models import Enrollment

    course = make_course("DC101", lessons=3)
    cadre = login_as()
    client.post("/courses/DC101/enroll")
    writes = []

    def capture(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE")):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        page = client.get("/courses/DC101/lessons/2").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert writes == []
    assert 'data-opened-url="/courses/DC101/lessons/2/opened"' in page
    assert client.post("/courses/DC101/lessons/2/opened").status_code == 204
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == cadre.id))
    db.session.refresh(enrollment)
    assert enrollment.last_lesson.number == 2
    assert "data-opened-url" not in client.get("/courses/DC101/lessons/2").get_data(as_text=True)
    assert client.post("/courses/DC101/lessons/9/opened").status_code == 404
    assert course.lessons[0].number == 1


def test_the_beacon_needs_an_enrollment_and_a_form_token(client, login_as, db, app):
    make_course("DC101", lessons=2)
    login_as()
    assert client.post("/courses/DC101/lessons/1/opened").status_code == 404  # not enrolled
    client.post("/courses/DC101/enroll")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/courses/DC101/lessons/1/opened").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
