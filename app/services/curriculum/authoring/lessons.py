"""Lessons and images on the authoring pages: write, preview, reorder, delete, upload.

A lesson saved here is what lessons/NN-slug.md would hold: its text is trimmed as the
importer trims it and its images must exist, so the course round-trips through its
files. Lesson rows keep their id when they move, so learners keep their progress.
"""

import hashlib
import re
from dataclasses import dataclass

from app.domain.course_files.assets import CONTENT_TYPES, parse_asset
from app.domain.course_files.lessons import MAX_MINUTES, MAX_TITLE
from app.domain.course_files.spec import MAX_ASSET_BYTES, MAX_TEXT_BYTES, Problem
from app.domain.markdown import (
    ASSET_FILENAME,
    asset_reference,
    image_sources,
    is_web_url,
    render_markdown,
)
from app.domain.vocabulary import CourseStatus
from app.extensions import db
from app.models import Course, CourseAsset, Lesson, User
from app.services.core.audit import record_event
from app.services.core.errors import NotFound, ServiceError
from app.services.curriculum.authoring import ensure_may_edit
from app.services.curriculum.authoring.courses import EditConflict, refresh_course_content
from app.services.video.uploads import delete_lesson_video

SLUG = re.compile(r"^[a-z0-9-]{1,96}$")
#: Room left in a lesson file for its front matter.
MAX_BODY_BYTES = MAX_TEXT_BYTES - 1024


class LessonInputError(ServiceError):
    """A lesson field that would not make a valid lesson file."""

    def __init__(self, field_name: str, reason: str, detail: str = "", line: int | None = None):
        super().__init__(f"{field_name}: {reason} {detail}".strip())
        self.field = field_name
        self.reason = reason
        self.detail = detail
        self.line = line


class ImageRefused(ServiceError):
    """An upload that is not an image a lesson may show; `reason` says why."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason} {detail}".strip())
        self.reason = reason
        self.detail = detail


@dataclass
class LessonInput:
    title: str
    minutes: int
    body: str
    #: Empty: made from the title (or lesson-N when the title has no Latin letters).
    slug: str = ""


def normalize_body(text: str) -> str:
    """The Markdown as the importer stores it: Unix line ends, no blank lines around it."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[0].strip():
        lines = lines[1:]
    return "\n".join(lines).rstrip()


def derive_slug(title: str, number: int) -> str:
    """a-z, 0-9 and - from the title's Latin words, else lesson-N."""
    words = re.findall(r"[a-z0-9]+", (title or "").lower())
    slug = "-".join(words)[:60].strip("-")
    return slug or f"lesson-{number}"


def lesson_revision(lesson: Lesson) -> str:
    """What the edit form carries: the lesson's identity and a fingerprint of its content."""
    text = "\x1f".join([lesson.slug, lesson.title, str(lesson.minutes), lesson.body_markdown])
    return f"{lesson.id}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:24]}"


def find_lesson(course: Course, number: int) -> Lesson:
    lesson = next((row for row in course.lessons if row.number == number), None)
    if lesson is None:
        raise NotFound(f"{course.code} lesson {number}")
    return lesson


def preview_markdown(course: Course, text: str, *, actor: User) -> str:
    """The sanitised HTML a learner would see for this text (nothing is saved)."""
    ensure_may_edit(actor, course)
    return render_markdown(normalize_body(text)[:MAX_BODY_BYTES])


def create_lesson(course: Course, data: LessonInput, *, actor: User) -> Lesson:
    """A new last lesson of the course."""
    ensure_may_edit(actor, course)
    number = max((row.number for row in course.lessons), default=0) + 1
    lesson = Lesson(number=number)
    _fill(lesson, _checked(course, data, number))
    course.lessons.append(lesson)
    refresh_course_content(course)
    record_event("authoring.lesson_created", actor=actor, target=f"course:{course.code}",
                 details={"number": number, "title": lesson.title})
    return lesson


def update_lesson(lesson: Lesson, data: LessonInput, *, revision: str, actor: User) -> bool:
    """Save the form opened at `revision`; EditConflict when the lesson changed meanwhile."""
    course = lesson.course
    ensure_may_edit(actor, course)
    # Locks the row on PostgreSQL, so of two saves at the same moment the second sees the first.
    db.session.refresh(lesson, with_for_update=True)
    if revision != lesson_revision(lesson):
        raise EditConflict(f"{course.code} lesson {lesson.number}")
    _fill(lesson, _checked(course, data, lesson.number, has_video=lesson.video is not None))
    changed = refresh_course_content(course)
    if changed:
        record_event("authoring.lesson_edited", actor=actor, target=f"course:{course.code}",
                     details={"number": lesson.number, "version": course.version})
    return changed


def move_lesson(lesson: Lesson, direction: str, *, actor: User) -> bool:
    """Swap the lesson with its neighbour (up: earlier); False at either end."""
    course = lesson.course
    ensure_may_edit(actor, course)
    if direction not in ("up", "down"):
        raise ServiceError("direction")
    target = lesson.number - 1 if direction == "up" else lesson.number + 1
    neighbour = next((row for row in course.lessons if row.number == target), None)
    if neighbour is None:
        return False
    old = lesson.number
    # (course, number) is unique and checked row by row, so park one lesson out of the way.
    lesson.number = max(row.number for row in course.lessons) + 1
    db.session.flush()
    neighbour.number = old
    db.session.flush()
    lesson.number = target
    refresh_course_content(course)
    record_event("authoring.lesson_moved", actor=actor, target=f"course:{course.code}",
                 details={"from": old, "to": target, "title": lesson.title})
    return True


def delete_lesson(lesson: Lesson, *, actor: User) -> None:
    """Remove the lesson (and learners' progress on it); later lessons move up one."""
    course = lesson.course
    ensure_may_edit(actor, course)
    if len(course.lessons) == 1 and course.status is not CourseStatus.DRAFT:
        raise LessonInputError("lesson", "last_lesson")
    number, title = lesson.number, lesson.title
    if lesson.video is not None:  # its files go too, once the request commits
        delete_lesson_video(lesson.video, actor=actor)
    course.lessons.remove(lesson)
    db.session.flush()
    for row in sorted(course.lessons, key=lambda row: row.number):
        if row.number > number:
            row.number -= 1
            db.session.flush()  # one at a time, so no two rows ever share a number
    refresh_course_content(course)
    record_event("authoring.lesson_deleted", actor=actor, target=f"course:{course.code}",
                 details={"number": number, "title": title})


def _checked(course: Course, data: LessonInput, number: int, *,
             has_video: bool = False) -> LessonInput:
    """The input as the lesson file would read it; a lesson with a video may have no text
    (a video without notes), as in its file."""
    title = (data.title or "").strip()
    if not title:
        raise LessonInputError("title", "title_required")
    if len(title) > MAX_TITLE or "\n" in title:
        raise LessonInputError("title", "title_too_long")
    if isinstance(data.minutes, bool) or not isinstance(data.minutes, int) \
            or not 1 <= data.minutes <= MAX_MINUTES:
        raise LessonInputError("minutes", "minutes", str(data.minutes))
    slug = (data.slug or "").strip() or derive_slug(title, number)
    if not SLUG.match(slug):
        raise LessonInputError("slug", "slug", slug)
    body = normalize_body(data.body)
    if not body and not has_video:
        raise LessonInputError("body", "body_required")
    if len(body.encode("utf-8")) > MAX_BODY_BYTES:
        raise LessonInputError("body", "body_too_long")
    _check_images(course, body)
    return LessonInput(title=title, minutes=data.minutes, body=body, slug=slug)


def _check_images(course: Course, body: str) -> None:
    """The rule of lesson files: an image is a course asset or an http(s) address."""
    names = {asset.filename for asset in course.assets}
    for offset, src in image_sources(body):
        filename = asset_reference(src)
        if filename is not None and filename not in names:
            raise LessonInputError("body", "image_missing", filename, line=offset + 1)
        if filename is None and not is_web_url(src):
            raise LessonInputError("body", "image_source", src, line=offset + 1)


def _fill(lesson: Lesson, data: LessonInput) -> None:
    lesson.title = data.title
    lesson.minutes = data.minutes
    lesson.slug = data.slug
    lesson.body_markdown = data.body
    lesson.body_html = render_markdown(data.body)


def upload_course_image(course: Course, filename: str, data: bytes, *, replace: bool = False,
                        actor: User) -> CourseAsset:
    """Store an image as the course asset assets/<name> (checked as course files are)."""
    ensure_may_edit(actor, course)
    name = safe_image_name(filename, data)
    extension = name.rpartition(".")[2].lower()
    if extension == "svg" or _looks_like_markup(data):
        raise ImageRefused("svg")
    if extension not in CONTENT_TYPES:
        raise ImageRefused("type", f".{extension}" if "." in name else name)
    if len(data) > MAX_ASSET_BYTES:
        raise ImageRefused("too_large", str(len(data)))
    checked = parse_asset(f"assets/{name}", data, name)
    if isinstance(checked, Problem):  # the content is not that kind of image
        raise ImageRefused("content", extension.upper())
    existing = next((row for row in course.assets if row.filename == name), None)
    if existing is not None and not replace:
        raise ImageRefused("exists", name)
    row = existing or CourseAsset(filename=name)
    row.content_type, row.data, row.sha256 = checked.content_type, checked.data, checked.sha256
    if existing is None:
        course.assets.append(row)
    refresh_course_content(course)
    record_event("authoring.course_image_uploaded", actor=actor, target=f"course:{course.code}",
                 details={"filename": name, "bytes": len(data), "replaced": existing is not None})
    return row


def safe_image_name(filename: str, data: bytes) -> str:
    """The upload's own name when it is a valid asset name, else a safe one like it."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if ASSET_FILENAME.match(base):
        return base
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-._")[:80]
    stem = stem or f"image-{hashlib.sha256(data).hexdigest()[:8]}"
    extension = re.sub(r"[^A-Za-z0-9]", "", extension).lower()[:8]
    return f"{stem}.{extension}" if extension else stem


def _looks_like_markup(data: bytes) -> bool:
    # SVG and HTML start with "<" (after a BOM or white space); no raster image does.
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or b"<svg" in head
