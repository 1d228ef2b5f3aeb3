"""Lesson authoring pages: write with a preview, concurrent saves, order, images, safety."""

import io
import re

import pytest
from sqlalchemy import select

from app.domain.course_files import MAX_ASSET_BYTES
from app.domain.vocabulary import RoleName
from app.models import AuditEvent, Course, CourseAsset, Lesson
from app.services.core.access import add_course_owner
from tests.factories import PASSWORD, make_course, make_user
from tests.services.test_authoring_lessons import HOSTILE_MARKDOWN, assert_harmless, tiny_png


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def owner(login_as, db):
    trainer = login_as(RoleName.TRAINER)
    course = make_course("DA110", lessons=2)
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    return trainer


def _revision(page: str) -> str:
    return re.search(r'name="revision" type="hidden" value="([^"]*)"', page)[1]


def _course(db) -> Course:
    db.session.expire_all()
    return db.session.scalar(select(Course).where(Course.code == "DA110"))


def _upload(client, name: str, data: bytes, **fields):
    return client.post("/teaching/courses/DA110/images", content_type="multipart/form-data",
                       data={"image": (io.BytesIO(data), name), **fields},
                       follow_redirects=True)


def test_other_trainers_cannot_touch_the_lessons(app, client, tree, login_as, db):
    course = make_course("DA110", lessons=2)
    db.session.commit()
    login_as(RoleName.TRAINER)
    for url in ("/teaching/courses/DA110/lessons", "/teaching/courses/DA110/lessons/new",
                "/teaching/courses/DA110/lessons/1/edit"):
        assert client.get(url).status_code == 403, url
    for url in ("/teaching/courses/DA110/lessons/1/move",
                "/teaching/courses/DA110/lessons/1/delete",
                "/teaching/courses/DA110/markdown-preview", "/teaching/courses/DA110/images",
                "/teaching/courses/DA110/lessons/1/edit"):
        assert client.post(url, data={"direction": "down", "body": "x"}).status_code == 403, url
    assert len(_course(db).lessons) == 2 and course.version == 1


def test_a_trainer_writes_a_lesson_with_a_preview(english, owner, db):
    page = english.get("/teaching/courses/DA110/lessons/new").get_data(as_text=True)
    assert 'data-markdown-preview="markdown-preview"' in page
    assert "/static/js/markdown_preview.js" in page
    form = {"title": "第三课 Sharing data", "minutes": "30", "slug": "",
            "body": "## 目标\r\n\r\n| 字段 | 含义 |\r\n|---|---|\r\n| a | b |\r\n"}
    # The Preview button (for browsers without script) re-renders without saving.
    preview = english.post("/teaching/courses/DA110/lessons/new", data=form | {"action": "preview"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "<table>" in text and "<h2>目标</h2>" in text
    assert len(_course(db).lessons) == 2
    saved = english.post("/teaching/courses/DA110/lessons/new", data=form | {"action": "save"})
    assert saved.status_code == 302 and saved.location.endswith("/lessons/3/edit")
    lesson = _course(db).lessons[2]
    assert (lesson.title, lesson.slug, lesson.minutes) == (
        "第三课 Sharing data", "sharing-data", 30)
    assert lesson.body_markdown == "## 目标\n\n| 字段 | 含义 |\n|---|---|\n| a | b |"
    listing = english.get("/teaching/courses/DA110/lessons").get_data(as_text=True)
    assert "lessons/03-sharing-data.md" in listing


def test_bad_lessons_are_explained_and_the_text_stays(english, owner, db):
    body = "我的正文\n\n![图](../assets/missing.png)"
    response = english.post("/teaching/courses/DA110/lessons/new",
                            data={"title": "第三课", "minutes": "0", "body": body})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Number must be between 1 and 600." in text
    response = english.post("/teaching/courses/DA110/lessons/new",
                            data={"title": "第三课", "minutes": "20", "body": body})
    text = response.get_data(as_text=True)
    assert "Line 3 shows the image missing.png, which this course does not have" in text
    assert "我的正文" in text and len(_course(db).lessons) == 2


def test_two_trainers_saving_one_lesson_never_overwrite_each_other(app, english, owner, tree,
                                                                   db):
    colleague = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(_course(db), colleague, actor=None)
    db.session.commit()
    other = app.test_client()
    other.set_cookie("lang", "en")
    other.post("/auth/login", data={"username": colleague.username, "password": PASSWORD})
    mine = _revision(english.get("/teaching/courses/DA110/lessons/1/edit").get_data(as_text=True))
    theirs = _revision(other.get("/teaching/courses/DA110/lessons/1/edit").get_data(as_text=True))
    first = other.post("/teaching/courses/DA110/lessons/1/edit", data={
        "title": "同事的标题", "minutes": "30", "body": "同事的正文", "revision": theirs})
    assert first.status_code == 302
    second = english.post("/teaching/courses/DA110/lessons/1/edit", data={
        "title": "我的标题", "minutes": "30", "body": "我写了很久的正文", "revision": mine})
    text = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "This lesson changed since you opened it; your text was not saved." in text
    assert "我写了很久的正文" in text and "同事的正文" in text  # mine in the form, theirs shown
    assert _course(db).lessons[0].body_markdown == "同事的正文"
    assert len(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "authoring.lesson_edited")).all()) == 1


def test_the_live_preview_returns_sanitised_html(english, owner, db):
    response = english.post("/teaching/courses/DA110/markdown-preview",
                            data={"body": HOSTILE_MARKDOWN})
    assert response.status_code == 200 and response.is_json
    html = response.get_json()["html"]
    assert_harmless(html)
    assert "&lt;script&gt;" in html and 'href="https://example.org/page"' in html


def test_hostile_markdown_is_harmless_in_the_page_preview_and_the_learners_lesson(
        app, english, owner, db):
    saved = english.post("/teaching/courses/DA110/lessons/1/edit", data={
        "title": "第一课", "minutes": "30", "body": HOSTILE_MARKDOWN,
        "revision": _revision(english.get("/teaching/courses/DA110/lessons/1/edit")
                              .get_data(as_text=True))})
    assert saved.status_code == 302
    editor = english.get("/teaching/courses/DA110/lessons/1/edit").get_data(as_text=True)
    pane = editor.split('id="markdown-preview">', 1)[1].split("</div>", 1)[0]
    assert_harmless(pane)
    assert "alert(1)" in pane  # shown as text
    # The owner reads the lesson as a learner would (the course is published).
    learner_page = english.get("/courses/DA110/lessons/1").get_data(as_text=True)
    article = learner_page.split('lesson-body">', 1)[1].split("</article>", 1)[0]
    assert "alert(1)" in article
    assert_harmless(article)
    assert_harmless(_course(db).lessons[0].body_html)


def test_lessons_move_and_delete_keeping_their_rows(english, owner, db):
    first, second = (lesson.id for lesson in _course(db).lessons)
    english.post("/teaching/courses/DA110/lessons/1/move", data={"direction": "down"})
    assert [(le.number, le.id) for le in _course(db).lessons] == [(1, second), (2, first)]
    english.post("/teaching/courses/DA110/lessons/2/move", data={"direction": "sideways"})
    assert [le.id for le in _course(db).lessons] == [second, first]
    english.post("/teaching/courses/DA110/lessons/1/delete")
    assert [(le.number, le.id) for le in _course(db).lessons] == [(1, first)]
    assert english.post("/teaching/courses/DA110/lessons/9/delete").status_code == 404
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "authoring.lesson_moved" in actions and "authoring.lesson_deleted" in actions


def test_images_upload_and_are_served_with_their_type(english, owner, db):
    page = _upload(english, "chart.png", tiny_png()).get_data(as_text=True)
    assert "Image chart.png uploaded." in page
    assert "![caption](../assets/chart.png)" in page
    asset = db.session.scalar(select(CourseAsset))
    assert asset.content_type == "image/png" and asset.data == tiny_png()
    served = english.get("/courses/DA110/assets/chart.png")
    assert served.status_code == 200 and served.data == tiny_png()
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    editor = english.get("/teaching/courses/DA110/lessons/1/edit").get_data(as_text=True)
    assert "![caption](../assets/chart.png)" in editor
    # In the editor's preview the image points at the asset route, wherever the page is.
    preview = english.post("/teaching/courses/DA110/markdown-preview",
                           data={"body": "![图](../assets/chart.png)"}).get_json()["html"]
    assert 'src="/courses/DA110/assets/chart.png"' in preview
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.action == "authoring.course_image_uploaded")) is not None


@pytest.mark.parametrize(("name", "data", "message"), [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "SVG images are refused"),
    ("report.pdf", b"%PDF-1.4 fake", ".pdf files are not images a lesson can show"),
    ("chart.png", b"MZ\x90\x00 not a picture at all", "The file is not really a PNG image"),
    ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_ASSET_BYTES, "larger than 2 MiB"),
])
def test_uploads_that_are_not_safe_images_are_refused(english, owner, db, name, data, message):
    page = _upload(english, name, data).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(CourseAsset.id)) is None


def test_an_upload_from_the_lesson_editor_returns_to_it(english, owner, db):
    response = english.post("/teaching/courses/DA110/images", content_type="multipart/form-data",
                            data={"image": (io.BytesIO(tiny_png()), "a.png"), "lesson": "2"})
    assert response.status_code == 302 and response.location.endswith("/lessons/2/edit")
    missing = english.post("/teaching/courses/DA110/images", data={}, follow_redirects=True)
    assert "Choose an image file." in missing.get_data(as_text=True)
    assert db.session.scalar(select(Lesson.id).where(Lesson.number == 2)) is not None
