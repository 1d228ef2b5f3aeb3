"""Lesson videos and their subtitles: media/<file> in the course folder, named by a lesson's
front matter (``video: media/intro.mp4``, ``subtitles: {zh: media/intro.vtt}``).

Videos are large, so the service does not read them into memory: it hands over each one's
size and SHA-256 (MediaFile); subtitles are small WebVTT text and come with the other files.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.course_files.spec import LessonVideoSpec
from app.domain.course_files.yaml_nodes import describe
from app.domain.webvtt import SubtitleProblem, check_webvtt

__all__ = ["MEDIA_DIR", "NO_MEDIA", "SUBTITLE_EXTENSION", "SUBTITLE_LANGUAGES",
           "VIDEO_EXTENSIONS", "LessonVideoSpec", "MediaFile", "MediaIndex", "described_videos",
           "is_media_file", "is_video_path", "path_problem", "video_problem", "vtt_problem"]

MEDIA_DIR = "media"
VIDEO_EXTENSIONS = ("mp4", "mov", "m4v", "webm", "mkv")
SUBTITLE_EXTENSION = "vtt"
#: Subtitle languages a lesson video may carry (Chinese, and optionally English).
SUBTITLE_LANGUAGES = ("zh", "en")
MEDIA_NAME_HELP = (f"media/ holds lesson videos ({', '.join('.' + e for e in VIDEO_EXTENSIONS)}) "
                   "and WebVTT subtitles (.vtt), directly in media/")


@dataclass(frozen=True)
class MediaFile:
    """A video file of the course folder, not read into memory."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> "MediaFile":
        return cls(size=len(data), sha256=hashlib.sha256(data).hexdigest())


def extension(path: str) -> str:
    name = path.rpartition("/")[2]
    return name.rpartition(".")[2].lower() if "." in name else ""


def is_media_file(path: str) -> bool:
    """A file media/ may hold: a video or a subtitle track, directly in media/."""
    parts = path.split("/")
    return (len(parts) == 2 and parts[0] == MEDIA_DIR
            and extension(path) in (*VIDEO_EXTENSIONS, SUBTITLE_EXTENSION))


def is_video_path(path: str) -> bool:
    return is_media_file(path) and extension(path) in VIDEO_EXTENSIONS


def path_problem(key: str, value, extensions: tuple[str, ...]) -> str | None:
    """Why ``value`` cannot name a media file of this course (None when it can)."""
    if not isinstance(value, str) or not value.strip():
        return f"{key} must be a path such as media/<file>, got {describe(value)}"
    if value.startswith("/") or "\\" in value or ".." in value.split("/") or ":" in value:
        return (f"{key} must be a path relative to the course folder (media/<file>), "
                f"got '{value}'")
    if not value.startswith(f"{MEDIA_DIR}/") or value.count("/") != 1:
        return f"{key} must be a file directly in media/ (media/<file>), got '{value}'"
    if extension(value) not in extensions:
        return (f"{key} type '.{extension(value)}' is not allowed; use "
                f"{', '.join('.' + e for e in extensions)}")
    return None


VTT_PROBLEMS = {
    "timing": "expected a cue timing such as 00:00:01.000 --> 00:00:04.000",
    "backwards": "the cue ends before it starts",
    "cue_text": "the cue has no text",
    "no_cues": "the file has no cue",
}


def vtt_problem(key: str, path: str, text: str | None) -> str | None:
    if text is None:
        return f"{key} {path} not found: there is no such file in this course"
    try:
        check_webvtt(text)
    except SubtitleProblem as problem:
        if problem.reason == "header":
            return f"{key} {path} is not WebVTT: the file must start with WEBVTT"
        where = f" line {problem.line}" if problem.line else ""
        return f"{key} {path}{where}: {VTT_PROBLEMS[problem.reason]}"
    return None


def video_problem(path: str, videos: Mapping[str, MediaFile]) -> str | None:
    if path not in videos:
        return f"video {path} not found: there is no such file in this course"
    if videos[path].size == 0:
        return f"video {path} is empty"
    return None


@dataclass(frozen=True)
class MediaIndex:
    """The course folder's media: videos by path (not read) and subtitle texts by path."""

    videos: Mapping[str, MediaFile]
    subtitles: Mapping[str, str]


NO_MEDIA = MediaIndex({}, {})


def described_videos(lessons) -> dict[str, MediaFile]:
    """The videos lessons name, as parse_course_folder takes them: to check a course known
    from the database as files without reading its videos."""
    return {lesson.video.path: MediaFile(size=lesson.video.size, sha256=lesson.video.sha256)
            for lesson in lessons if lesson.video is not None}
