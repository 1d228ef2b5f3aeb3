"""Finding 12 of issue 17: progress counts every requirement and every page agrees."""

import re

from app.domain.vocabulary import RoleName
from app.services.learning.enrollment import complete_lesson, find_enrollment
from tests.factories import make_course, make_exercise, make_plan, make_question, make_quiz


def _percent(page: str, marker: str) -> str:
    """The first progress bar's percent after ``marker`` in ``page``."""
    return re.search(r'class="progress-bar"[^>]*>(\d+)%', page[page.index(marker):]).group(1)


def _read_every_lesson(course, user):
    enrollment = find_enrollment(course, user)
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=user)


def test_finding_12_last_lesson_with_quiz_open_is_not_100_percent(client, tree, login_as, db):
    user = login_as(RoleName.CADRE)
    course = make_course("PQ101", title="测验未过的课程", lessons=2)
    quiz = make_quiz(course, [make_question("pq1", course=course)])
    make_plan(unit=tree["city"], courses=[course])
    db.session.commit()
    client.get("/")  # the plan's sync enrolls the cadre
    _read_every_lesson(course, user)
    db.session.commit()

    page = client.get("/courses/PQ101").get_data(as_text=True)
    assert _percent(page, 'id="course-state"') == "66"  # 2 lessons of 3 requirements
    assert "继续学习" not in page and "去完成测验" in page
    assert f'href="/quizzes/{quiz.id}"' in page or f"/quizzes/{quiz.id}" in page
    lesson = client.get("/courses/PQ101/lessons/2").get_data(as_text=True)
    assert _percent(lesson, "课程进度") == "66"
    catalog = client.get("/courses/").get_data(as_text=True)
    assert _percent(catalog, 'data-code="PQ101"') == "66" and "学习中" in catalog


def test_finding_12_home_lists_assigned_courses_in_progress_like_the_catalog(
        client, tree, login_as, db):
    login_as(RoleName.CADRE)
    course = make_course("PQ102", title="指派的课程", lessons=2)
    make_plan(unit=tree["city"], courses=[course])
    db.session.commit()
    home = client.get("/").get_data(as_text=True)
    assert "没有正在学习的课程" not in home
    section = home[home.index('id="in-progress-courses"'):]
    assert "指派的课程" in section.split("</ul>")[0]
    assert "学习中" in client.get("/courses/").get_data(as_text=True)


def test_finding_12_exercise_left_offers_the_exercise(client, tree, login_as, db):
    user = login_as(RoleName.CADRE)
    course = make_course("PQ103", lessons=1)
    exercise = make_exercise(course)
    db.session.commit()
    client.post("/courses/PQ103/enroll")
    _read_every_lesson(course, user)
    db.session.commit()
    page = client.get("/courses/PQ103").get_data(as_text=True)
    assert _percent(page, 'id="course-state"') == "50" and "去完成数据练习" in page
    assert f"/quizzes/{exercise.id}" in page
    home = client.get("/").get_data(as_text=True)
    assert _percent(home, 'id="in-progress-courses"') == "50"
