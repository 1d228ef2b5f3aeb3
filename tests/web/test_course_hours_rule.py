"""Issue 19: a course's hours rule on its form (按声明学时 / 按视频时长)."""

import re
from decimal import Decimal

from sqlalchemy import select

from app.domain.vocabulary import HoursRule, RoleName, VideoStatus
from app.models import Course, LessonVideo
from app.services.core.access import add_course_owner
from tests.factories import make_course, make_question, make_quiz

FORM = {"code": "VH301", "title": "视频课程", "summary": "看视频学习。", "tier": "foundation",
        "areas": ["security"], "hours": "", "hours_rule": "video_length", "kind": "elective"}
ZH = {"Accept-Language": "zh"}


def _course(db, code):
    return db.session.scalar(select(Course).where(Course.code == code))


def test_a_video_length_course_needs_no_declared_hours(client, login_as, db):
    login_as(RoleName.TRAINER)
    page = client.get("/teaching/courses/new", headers=ZH).get_data(as_text=True)
    assert "按声明学时" in page and "按视频时长" in page
    assert client.post("/teaching/courses/new", data=FORM).status_code == 302
    course = _course(db, "VH301")
    assert course.hours_rule is HoursRule.VIDEO_LENGTH
    assert course.hours == Decimal("0.25")  # no ready video yet: a micro-course


def test_the_declared_rule_still_needs_hours(client, login_as, db):
    login_as(RoleName.TRAINER)
    response = client.post("/teaching/courses/new", data={**FORM, "hours_rule": "declared"},
                           headers=ZH)
    assert response.status_code == 200 and _course(db, "VH301") is None
    assert "学时须大于 0、不超过 1000，且为 0.5 的倍数" in response.get_data(as_text=True)


def test_switching_to_video_length_computes_the_hours_and_shows_them(client, login_as, db):
    trainer = login_as(RoleName.TRAINER)
    course = make_course("VH302", lessons=1)
    add_course_owner(course, trainer, actor=None)
    db.session.add(LessonVideo(lesson=course.lessons[0], status=VideoStatus.READY,
                               storage_key="k302", original_filename="a.mp4", source_bytes=1,
                               source_sha256="0" * 64, duration_seconds=Decimal(20 * 60)))
    make_quiz(course, [make_question("VH302-Q01", course=course)])
    db.session.commit()
    version = course.version
    url = "/teaching/courses/VH302/edit"
    page = client.get(url, headers=ZH).get_data(as_text=True)
    revision = re.search(r'name="revision" type="hidden" value="([^"]*)"', page)[1]
    form = {**FORM, "revision": revision, "areas": ["mindset"], "tier": "foundation",
            "title": course.title, "summary": course.summary, "kind": "required"}
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    course = _course(db, "VH302")
    # 20 minutes: 0.5, and the graded quiz another 0.5; the rule is content: a new version.
    assert course.hours == Decimal("1.0") and course.version == version + 1
    page = client.get(url, headers=ZH).get_data(as_text=True)
    assert 'id="computed-hours"' in page and "本课程目前计 1 学时" in page
    assert 'name="hours" type="text" value=""' in page


def test_a_lesson_with_a_video_may_lose_its_text_and_one_without_may_not(client, login_as, db):
    """As in the lesson files: a video lesson's notes are optional."""
    trainer = login_as(RoleName.TRAINER)
    course = make_course("VH303", lessons=2)
    add_course_owner(course, trainer, actor=None)
    db.session.add(LessonVideo(lesson=course.lessons[0], status=VideoStatus.READY,
                               storage_key="k303", original_filename="a.mp4", source_bytes=1,
                               source_sha256="0" * 64, duration_seconds=Decimal(60)))
    db.session.commit()
    for number, saved in ((2, False), (1, True)):
        url = f"/teaching/courses/VH303/lessons/{number}/edit"
        page = client.get(url, headers=ZH).get_data(as_text=True)
        revision = re.search(r'name="revision" type="hidden" value="([^"]*)"', page)[1]
        response = client.post(url, headers=ZH, data={
            "title": f"第{number}课", "minutes": "30", "body": "  ", "revision": revision,
            "action": "save"})
        db.session.expire_all()
        body = _course(db, "VH303").lessons[number - 1].body_markdown
        if saved:
            assert response.status_code == 302 and body == ""
        else:
            assert "课节还没有正文。" in response.get_data(as_text=True)
            assert body == f"第{number}课正文。"
