"""The way back: a CourseSpec to course files (export), and its content hash."""

import hashlib
import json

import yaml

from app.domain.course_files.assessment_files import (
    question_hash,
    questions_file,
    quiz_file,
    quiz_hash,
)
from app.domain.course_files.exercise_files import exercise_files, exercise_hash
from app.domain.course_files.media import MEDIA_DIR
from app.domain.course_files.spec import (
    ASSETS_DIR,
    COURSE_FILE,
    QUESTIONS_FILE,
    QUIZZES_DIR,
    CourseSpec,
    LessonSpec,
)
from app.domain.vocabulary import HoursRule

#: Part of the hash, so a deliberate change of what counts as content changes every hash.
HASH_FORMAT = 1
#: Longer summaries are written as folded blocks (">-"), as authors write them.
_FOLD_AFTER = 80


class _Dumper(yaml.SafeDumper):
    """Safe YAML as authors write it: block mappings, short lists inline ([data, security]),
    long single-line text folded at its spaces."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > _FOLD_AFTER and "\n" not in value and " " in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(list, _represent_list)


def serialize_course(spec: CourseSpec) -> dict[str, bytes]:
    """{relative path: bytes} of the course folder; parsing it gives back an equal spec.

    Lesson videos are not among them (they are not in memory): the caller copies each to
    its ``lesson.video.path``; their subtitles are.
    """
    files = {COURSE_FILE: _dump(course_document(spec))}
    for lesson in spec.lessons:
        files[lesson_path(lesson.number, lesson.slug)] = _lesson_file(lesson)
        for _language, path, text in lesson.video.subtitles if lesson.video else ():
            files[path] = text.encode("utf-8")
    for asset in spec.assets:
        files[f"{ASSETS_DIR}/{asset.filename}"] = asset.data
    if spec.questions:
        files[QUESTIONS_FILE] = questions_file(spec.questions)
    for quiz in spec.quizzes:
        files[f"{QUIZZES_DIR}/{quiz.slug}.yaml"] = quiz_file(quiz)
    for exercise in spec.exercises:
        files.update(exercise_files(exercise))
    return files


def course_document(spec: CourseSpec) -> dict:
    """course.yaml's keys, in the documented order; ``core`` only when true and
    ``hours_rule`` only when not the declared hours (optional keys, so other courses keep
    their files and content hash). Under the video-length rule the hours are not written:
    they follow the videos, and are not the author's to declare."""
    core = {"core": True} if spec.core else {}
    if spec.hours_rule is HoursRule.VIDEO_LENGTH:
        hours = {"hours_rule": spec.hours_rule.value}
    else:
        hours = {"hours": _hours(spec)}
    return {
        "code": spec.code,
        "title": spec.title,
        "summary": spec.summary,
        "tier": spec.tier.value,
        "areas": [area.value for area in spec.areas],
        **hours,
        "kind": spec.kind.value,
        **core,
        "status": spec.status.value,
        "audience": {
            "ranks": [rank.value for rank in spec.audience_ranks],
            "categories": [category.value for category in spec.audience_categories],
        },
        "prerequisites": list(spec.prerequisites),
    }


def lesson_path(number: int, slug: str) -> str:
    return f"lessons/{number:02d}-{slug}.md"


def lesson_media_path(number: int, slug: str, suffix: str) -> str:
    """Where export puts a lesson's video ("mp4") or subtitles ("zh.vtt"): media/NN-slug.…"""
    return f"{MEDIA_DIR}/{number:02d}-{slug}.{suffix}"


def _hours(spec: CourseSpec) -> int | float:
    # Hours are whole or half numbers, so the float is exact and YAML stays plain.
    integral = spec.hours == spec.hours.to_integral_value()
    return int(spec.hours) if integral else float(spec.hours)


def _lesson_file(lesson: LessonSpec) -> bytes:
    document = {"title": lesson.title, "minutes": lesson.minutes}
    if lesson.video is not None:
        document["video"] = lesson.video.path
        if lesson.video.subtitles:
            document["subtitles"] = {language: path
                                     for language, path, _text in lesson.video.subtitles}
    front = _dump(document).decode("utf-8")
    body = f"\n{lesson.body_markdown}\n" if lesson.body_markdown else ""
    return f"---\n{front}---\n{body}".encode()


def _lesson_hash(lesson: LessonSpec) -> dict:
    canonical = {"number": lesson.number, "slug": lesson.slug, "title": lesson.title,
                 "minutes": lesson.minutes, "body": lesson.body_markdown}
    if lesson.video is not None:
        # The file's content, not its name: export renames it media/NN-slug.mp4.
        canonical["video"] = lesson.video.sha256
        canonical["subtitles"] = {language: text
                                  for language, _path, text in lesson.video.subtitles}
    return canonical


def _dump(document: dict) -> bytes:
    text = yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=_FOLD_AFTER)
    return text.encode("utf-8")


def content_hash(spec: CourseSpec) -> str:
    """SHA-256 of everything a learner or the records could see, in a stable order."""
    canonical = {
        "format": HASH_FORMAT,
        **course_document(spec),
        "lessons": [_lesson_hash(lesson) for lesson in spec.lessons],
        "assets": [
            {"filename": asset.filename, "content_type": asset.content_type,
             "sha256": asset.sha256}
            for asset in spec.assets
        ],
    }
    if spec.hours_rule is HoursRule.DECLARED:
        # Decimal("4") and Decimal("4.0") are the same hours (the column adds the ".0").
        canonical["hours"] = format(spec.hours.normalize(), "f")
    # Only when there are any, so courses without questions keep the hash they had before
    # questions were content (and are not all reported as changed).
    if spec.questions:
        canonical["questions"] = [question_hash(question) for question in spec.questions]
    if spec.quizzes:
        canonical["quizzes"] = [quiz_hash(quiz) for quiz in spec.quizzes]
    if spec.exercises:
        canonical["exercises"] = [exercise_hash(exercise) for exercise in spec.exercises]
    text = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
