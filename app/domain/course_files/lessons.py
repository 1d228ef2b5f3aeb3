"""Lesson files: lessons/NN-slug.md, YAML front matter (title, minutes, optionally video and
subtitles), then Markdown (which a lesson with a video may leave out)."""

import re
from dataclasses import dataclass

import yaml

from app.domain.course_files.checker import FieldChecker
from app.domain.course_files.media import (
    NO_MEDIA,
    SUBTITLE_EXTENSION,
    SUBTITLE_LANGUAGES,
    VIDEO_EXTENSIONS,
    LessonVideoSpec,
    MediaIndex,
    path_problem,
    video_problem,
    vtt_problem,
)
from app.domain.course_files.spec import LessonSpec, Problem
from app.domain.course_files.yaml_nodes import Located, YamlSyntaxError, describe, load_located
from app.domain.markdown import asset_reference, image_sources, is_web_url

LESSON_PATH = re.compile(r"^lessons/(?P<number>[0-9]{2})-(?P<slug>[a-z0-9-]{1,96})\.md$")
FRONT_MATTER_KEYS = ("title", "minutes", "video", "subtitles")
REQUIRED_FRONT_MATTER_KEYS = ("title", "minutes")
FENCE = "---"
MAX_TITLE = 200
MAX_MINUTES = 600
FRONT_MATTER_HELP = ("a lesson starts with front matter: a '---' line, 'title: ...' and "
                     "'minutes: ...', then another '---' line")


@dataclass(frozen=True)
class LessonName:
    number: int
    slug: str


def lesson_name(path: str) -> LessonName | None:
    """Number and slug from lessons/NN-slug.md, or None when the name does not fit."""
    match = LESSON_PATH.match(path)
    if match is None:
        return None
    return LessonName(int(match["number"]), match["slug"])


def parse_lesson(path: str, text: str, file: str, asset_names: set[str],
                 media: MediaIndex = NO_MEDIA) -> tuple[LessonSpec | None, list[Problem]]:
    name = lesson_name(path)
    assert name is not None, "callers only pass lesson paths"
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return None, [Problem(file, 1, FRONT_MATTER_HELP)]
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if close is None:
        return None, [Problem(file, 1, "front matter is not closed by a '---' line")]
    fields, problems = _front_matter("\n".join(lines[1:close]), file, media)
    body, body_line = _body(lines[close + 1:], close + 2)
    if not body and fields.get("video") is None and not problems:
        problems.append(Problem(file, close + 1, "the lesson has no text after its front matter "
                                                 "(only a lesson with a video may have none)"))
    problems.extend(_image_problems(body, body_line, file, asset_names))
    if problems:
        return None, problems
    return LessonSpec(number=name.number, slug=name.slug, body_markdown=body, path=path,
                      **fields), []


def _front_matter(text: str, file: str, media: MediaIndex) -> tuple[dict, list[Problem]]:
    try:
        data, node = load_located(text, file, first_line=2)
    except YamlSyntaxError as error:
        return {}, [error.problem]
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        return {}, [Problem(file, 1, FRONT_MATTER_HELP)]
    check = FieldChecker(file, Located.of(node, first_line=2), data)
    check.keys(FRONT_MATTER_KEYS, REQUIRED_FRONT_MATTER_KEYS)
    fields = {"title": check.text("title", MAX_TITLE, allow_empty=False),
              "minutes": check.whole_number("minutes", MAX_MINUTES),
              "video": _video(check, media)}
    return fields, check.problems


def _video(check: FieldChecker, media: MediaIndex) -> LessonVideoSpec | None:
    """The lesson's video and subtitles, each path checked (problems on its own line)."""
    subtitles = _subtitles(check, media)
    if not check.has("video"):
        if check.has("subtitles"):
            check.add(check.line("subtitles"), "subtitles need a video: add video: "
                                               "media/<file> (or remove subtitles)")
        return None
    path = check.get("video")
    problem = (path_problem("video", path, VIDEO_EXTENSIONS)
               or video_problem(path, media.videos))
    if problem is not None:
        check.add(check.line("video"), problem)
        return None
    found = media.videos[path]
    return LessonVideoSpec(path=path, sha256=found.sha256, size=found.size,
                           subtitles=tuple(subtitles))


def _subtitles(check: FieldChecker, media: MediaIndex) -> list[tuple[str, str, str]]:
    if not check.has("subtitles"):
        return []
    nested, value = check.located.nested("subtitles"), check.get("subtitles")
    if nested is None or not isinstance(value, dict) or not value:
        check.add(check.line("subtitles"), "subtitles must be a mapping of language to "
                                           "file, such as {zh: media/intro.vtt}, got "
                                           f"{describe(value)}")
        return []
    tracks = []
    for language in sorted(value, key=str):
        line = nested.line(str(language))
        path = value[language]
        if language not in SUBTITLE_LANGUAGES:
            shown = f"'{language}'" if isinstance(language, str) else describe(language)
            check.add(line, f"unknown subtitles language {shown}; allowed: "
                            f"{', '.join(SUBTITLE_LANGUAGES)}")
            continue
        problem = (path_problem(f"subtitles.{language}", path, (SUBTITLE_EXTENSION,))
                   or vtt_problem(f"subtitles.{language}", path, media.subtitles.get(path)))
        if problem is not None:
            check.add(line, problem)
        else:
            tracks.append((language, path, media.subtitles[path]))
    return tracks


def _body(lines: list[str], first_line: int) -> tuple[str, int]:
    """The Markdown without surrounding blank lines, and the file line it starts on.

    Trimming makes the stored body independent of how many blank lines an author (or
    export) puts after the front matter, so a round trip does not look like a change.
    """
    while lines and not lines[0].strip():
        lines = lines[1:]
        first_line += 1
    return "\n".join(lines).rstrip(), first_line


def _image_problems(body: str, body_line: int, file: str, asset_names: set[str]):
    for offset, src in image_sources(body):
        line = body_line + offset
        filename = asset_reference(src)
        if filename is not None:
            if filename not in asset_names:
                yield Problem(file, line, f"image {src} not found: there is no "
                                          f"assets/{filename} in this course")
        elif not is_web_url(src):
            yield Problem(file, line, f"image {src!r} is neither a file in assets/ nor an "
                                      "http(s) address, so it would not be shown")


def numbering_problems(names: dict[str, LessonName], file_of) -> list[Problem]:
    """Lesson numbers must be 1..n, each used once; problems go on the offending file."""
    if not names:
        return [Problem(file_of("lessons"), None,
                        "a course needs at least one lesson: lessons/01-<slug>.md")]
    problems = []
    first_path: dict[int, str] = {}
    for path in sorted(names):
        number = names[path].number
        if number in first_path:
            problems.append(Problem(file_of(path), None, f"lesson number {number:02d} is "
                                    f"already used by {first_path[number]}"))
        else:
            first_path[number] = path
    for expected, number in enumerate(sorted(first_path), start=1):
        if number != expected:
            problems.append(Problem(file_of(first_path[number]), None,
                                    f"lesson number {number:02d} leaves a gap: lessons are "
                                    f"numbered from 01 without gaps (expected {expected:02d})"))
            break
    return problems
