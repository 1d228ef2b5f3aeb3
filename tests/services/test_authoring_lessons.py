"""Authoring lessons and images: the lesson-file rules, safe Markdown, order, uploads."""

import struct
import zlib
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.domain.course_files import MAX_ASSET_BYTES
from app.domain.vocabulary import CourseStatus, RoleName
from app.models import LessonProgress
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.courses import EditConflict
from app.services.curriculum.authoring.lessons import (
    ImageRefused,
    LessonInput,
    LessonInputError,
    create_lesson,
    delete_lesson,
    derive_slug,
    lesson_revision,
    move_lesson,
    preview_markdown,
    safe_image_name,
    update_lesson,
    upload_course_image,
)
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from tests.factories import audit_events, make_course, make_user


def tiny_png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


#: Markdown an attacker (or a careless copy and paste) could put in a lesson.
HOSTILE_MARKDOWN = "\n\n".join([
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(2)">',
    '<a href="#" onclick="alert(3)">点我</a>',
    "[链接](javascript:alert(4))",
    "[数据](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)",
    "![图](javascript:alert(6))",
    "![图](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoNyk+)",
    '<svg onload="alert(8)"><circle r="1"/></svg>',
    '<iframe src="https://example.org"></iframe>',
    "[ok](https://example.org/page)",
])


class _Elements(HTMLParser):
    """Every element of an HTML fragment with its attributes."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    for tag, attributes in parser.elements:
        assert tag not in ("script", "svg", "iframe", "object", "embed", "style"), html
        for name, value in attributes.items():
            assert not name.startswith("on"), html
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")), html


@pytest.fixture
def trainer(tree):
    return make_user(unit=tree["city"], roles=[RoleName.TRAINER])


@pytest.fixture
def course(trainer):
    course = make_course("DA110", lessons=3)
    add_course_owner(course, trainer, actor=None)
    return course


def _events(db, action):
    return audit_events(action)


def test_a_new_lesson_comes_last_with_text_as_the_importer_keeps_it(db, course, trainer):
    lesson = create_lesson(course, LessonInput(
        title=" 第四课 Reading a Table ", minutes=40,
        body="\r\n\r\n## 目标\r\n\r\n| 字段 | 含义 |\r\n|---|---|\r\n| a | b |\r\n\r\n  \r\n"),
        actor=trainer)
    assert (lesson.number, lesson.slug, lesson.title) == (4, "reading-a-table",
                                                          "第四课 Reading a Table")
    assert lesson.body_markdown == "## 目标\n\n| 字段 | 含义 |\n|---|---|\n| a | b |"
    assert "<table>" in lesson.body_html and course.version == 2
    [event] = _events(db, "authoring.lesson_created")
    assert event.details == {"number": 4, "title": "第四课 Reading a Table"}


def test_slugs_are_made_safe_or_given(db, course, trainer):
    assert derive_slug("第五课 数据：共享", 5) == "lesson-5"
    assert derive_slug("Grid / Incidents & 2024!", 2) == "grid-incidents-2024"
    lesson = create_lesson(course, LessonInput(title="第五课", minutes=10, body="正文",
                                               slug="my-own-name"), actor=trainer)
    assert lesson.slug == "my-own-name"
    with pytest.raises(LessonInputError, match="slug"):
        create_lesson(course, LessonInput(title="第六课", minutes=10, body="正文",
                                          slug="../../etc"), actor=trainer)


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"title": "  "}, "title", "title_required"),
    ({"minutes": 0}, "minutes", "minutes"),
    ({"minutes": 601}, "minutes", "minutes"),
    ({"body": "\n \n"}, "body", "body_required"),
    ({"body": "正文\n\n![图](../assets/missing.png)"}, "body", "image_missing"),
    ({"body": "![图](/etc/passwd)"}, "body", "image_source"),
])
def test_bad_lessons_are_refused(db, course, trainer, changes, field, reason):
    values = {"title": "第四课", "minutes": 30, "body": "正文"} | changes
    with pytest.raises(LessonInputError) as refused:
        create_lesson(course, LessonInput(**values), actor=trainer)
    assert (refused.value.field, refused.value.reason) == (field, reason)
    assert len(course.lessons) == 3 and course.version == 1


def test_image_problems_name_the_line(db, course, trainer):
    with pytest.raises(LessonInputError) as refused:
        create_lesson(course, LessonInput(title="第四课", minutes=30,
                                          body="第一行\n\n第三行 ![图](assets/none.png)"),
                      actor=trainer)
    assert (refused.value.line, refused.value.detail) == (3, "none.png")


def test_two_saves_of_one_lesson_never_overwrite_silently(db, course, trainer):
    lesson = course.lessons[0]
    opened = lesson_revision(lesson)
    assert update_lesson(lesson, LessonInput(title="甲改的", minutes=30, body="甲的正文"),
                         revision=opened, actor=trainer) is True
    with pytest.raises(EditConflict):
        update_lesson(lesson, LessonInput(title="乙改的", minutes=30, body="乙的正文"),
                      revision=opened, actor=trainer)
    assert lesson.title == "甲改的" and lesson.body_markdown == "甲的正文"
    assert len(_events(db, "authoring.lesson_edited")) == 1


def test_moving_keeps_lessons_and_learners_progress(db, tree, course, trainer):
    cadre = make_user(unit=tree["jiefangbei"])
    enrollment = enroll_in_course(course, actor=cadre)
    first, second, third = course.lessons
    complete_lesson(enrollment, first, actor=cadre)
    assert move_lesson(first, "down", actor=trainer) is True
    assert [(row.number, row.id) for row in course.lessons] == [
        (1, second.id), (2, first.id), (3, third.id)]
    assert move_lesson(third, "down", actor=trainer) is False
    assert move_lesson(third, "up", actor=trainer) is True
    assert [row.id for row in course.lessons] == [second.id, third.id, first.id]
    assert db.session.scalar(select(LessonProgress.lesson_id)) == first.id
    assert course.version == 3 and len(_events(db, "authoring.lesson_moved")) == 2


def test_deleting_renumbers_the_rest(db, tree, course, trainer):
    cadre = make_user(unit=tree["jiefangbei"])
    enrollment = enroll_in_course(course, actor=cadre)
    first, second, third = course.lessons
    complete_lesson(enrollment, third, actor=cadre)
    delete_lesson(first, actor=trainer)
    assert [(row.number, row.id) for row in course.lessons] == [(1, second.id), (2, third.id)]
    assert db.session.scalar(select(LessonProgress.lesson_id)) == third.id
    [event] = _events(db, "authoring.lesson_deleted")
    assert event.details["number"] == 1


def test_a_published_course_keeps_one_lesson(db, trainer):
    course = make_course("DA110", lessons=1, status=CourseStatus.PUBLISHED)
    add_course_owner(course, trainer, actor=None)
    with pytest.raises(LessonInputError, match="last_lesson"):
        delete_lesson(course.lessons[0], actor=trainer)
    course.status = CourseStatus.DRAFT
    delete_lesson(course.lessons[0], actor=trainer)
    assert course.lessons == []


def test_hostile_markdown_is_harmless_in_preview_and_in_the_saved_lesson(db, course, trainer):
    html = preview_markdown(course, HOSTILE_MARKDOWN, actor=trainer)
    assert_harmless(html)
    assert '<a href="https://example.org/page"' in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text, never run
    lesson = create_lesson(course, LessonInput(title="第四课", minutes=5,
                                               body="[ok](https://example.org/page)"),
                           actor=trainer)
    update_lesson(lesson, LessonInput(title="<b onmouseover=x>第四课</b>", minutes=5,
                                      body=HOSTILE_MARKDOWN),
                  revision=lesson_revision(lesson), actor=trainer)
    assert_harmless(lesson.body_html)


def test_preview_needs_an_editor(db, tree, course):
    other = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        preview_markdown(course, "正文", actor=other)


def test_images_are_stored_as_course_assets(db, course, trainer):
    png = tiny_png()
    asset = upload_course_image(course, r"C:\fakepath\网格 图表.PNG", png, actor=trainer)
    assert (asset.filename, asset.content_type, asset.data) == (
        f"image-{asset.sha256[:8]}.png", "image/png", png)
    chart = upload_course_image(course, "chart.png", png, actor=trainer)
    assert chart.filename == "chart.png" and course.version == 3
    lesson = create_lesson(course, LessonInput(title="第四课", minutes=5,
                                               body="![网格图](../assets/chart.png)"),
                           actor=trainer)
    assert '<img src="../assets/chart.png" alt="网格图">' in lesson.body_html
    with pytest.raises(ImageRefused, match="exists"):
        upload_course_image(course, "chart.png", png, actor=trainer)
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 64
    with pytest.raises(ImageRefused, match="content"):  # a JPEG named .png
        upload_course_image(course, "chart.png", jpeg, replace=True, actor=trainer)
    upload_course_image(course, "chart.jpg", jpeg, actor=trainer)
    [event, *_rest] = _events(db, "authoring.course_image_uploaded")
    assert event.details["bytes"] == len(png)


@pytest.mark.parametrize(("filename", "data", "reason"), [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "svg"),
    ("logo.png", b'<?xml version="1.0"?><svg onload="alert(1)"/>', "svg"),
    ("page.png", b"<html><script>alert(1)</script></html>", "svg"),
    ("notes.txt", b"just text", "type"),
    ("noextension", b"\x89PNG\r\n\x1a\n", "type"),
    ("fake.png", b"GIF89a" + b"\0" * 16, "content"),
    ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_ASSET_BYTES, "too_large"),
])
def test_uploads_that_are_not_safe_images_are_refused(db, course, trainer, filename, data,
                                                      reason):
    with pytest.raises(ImageRefused) as refused:
        upload_course_image(course, filename, data, actor=trainer)
    assert refused.value.reason == reason
    assert course.assets == [] and course.version == 1


def test_image_names_are_made_safe():
    assert safe_image_name("chart-1.png", b"") == "chart-1.png"
    assert safe_image_name("../../etc/passwd.png", b"") == "passwd.png"
    assert safe_image_name("网格 图表.PNG", b"x").startswith("image-")
    assert safe_image_name("my chart (2).webp", b"") == "my-chart-2.webp"
