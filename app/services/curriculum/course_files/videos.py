"""Lesson videos between course files and the database: import hands each lesson's video
to the uploads service (which copies, probes and transcodes it), export writes each
lesson's processed video and subtitles back as media/NN-slug.mp4 and media/NN-slug.<lang>.vtt.
"""

import shutil
from pathlib import Path

from app.domain.course_files import CourseSpec, Problem
from app.domain.course_files.media import VIDEO_EXTENSIONS, extension
from app.domain.course_files.serialize import lesson_media_path
from app.domain.course_files.spec import LessonVideoSpec
from app.extensions import db
from app.models import Course, Lesson, LessonVideo, User
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.reading import CourseImportError
from app.services.video import storage
from app.services.video.uploads import attach_video_file, delete_lesson_video

#: Why the uploads service refused a file (VideoRefused.reason), as the command line says it.
REFUSALS = {
    "not_video": "the file is not a video (checked by its content, not its name)",
    "no_video_stream": "the file has no video picture (only sound?)",
    "still_image": "the file is a still image, not a video",
    "too_long": "the video is longer than VIDEO_MAX_SECONDS allows",
    "tools_missing": "ffmpeg and ffprobe are needed: install Debian's ffmpeg package",
}


def import_lesson_videos(course: Course, spec: CourseSpec, files: dict[str, Path], *,
                         actor: User | None) -> None:
    """After the lesson rows exist: attach each lesson's video (the same file as the
    current one changes nothing), and delete the video of a lesson whose file dropped it."""
    db.session.flush()
    rows = {row.number: row for row in course.lessons}
    for lesson in spec.lessons:
        row = rows[lesson.number]
        if lesson.video is not None:
            _attach(row, lesson.video, files[lesson.video.path], actor=actor)
        elif row.video is not None:
            delete_lesson_video(row.video, actor=actor)


def _attach(row: Lesson, video: LessonVideoSpec, file: Path, *, actor: User | None) -> None:
    try:
        attach_video_file(row, file, video.path.rpartition("/")[2], actor=actor,
                          subtitles={language: text
                                     for language, _path, text in video.subtitles})
    except ServiceError as refused:
        # Not a video by its content (ffprobe), too long, no ffmpeg...: like any problem
        # of the files, the import stops and its caller rolls back what it wrote.
        reason = REFUSALS.get(getattr(refused, "reason", ""), str(refused))
        raise CourseImportError([Problem(file.as_posix(), None,
                                         f"the video cannot be used: {reason}")]) from refused


def lesson_video_spec(lesson: Lesson) -> LessonVideoSpec | None:
    """The lesson's video as its file would name it (export's names: media/NN-slug.…)."""
    video: LessonVideo | None = lesson.video
    if video is None:
        return None
    subtitles = tuple((track.language,
                       lesson_media_path(lesson.number, lesson.slug, f"{track.language}.vtt"),
                       track.vtt) for track in video.subtitles)
    return LessonVideoSpec(
        path=lesson_media_path(lesson.number, lesson.slug, _exported_extension(video)),
        sha256=video.source_sha256, size=video.source_bytes, subtitles=subtitles)


def _exported_extension(video: LessonVideo) -> str:
    """mp4 for a processed video; a video still processing (or refused) is exported as
    the file that was uploaded, under its own extension."""
    if video.is_ready:
        return "mp4"
    uploaded = extension(video.original_filename)
    return uploaded if uploaded in VIDEO_EXTENSIONS else "mp4"


def video_file_to_export(video: LessonVideo) -> Path:
    """The processed file when ready, else the uploaded source; ServiceError if gone."""
    file = storage.playable_file(video) if video.is_ready else storage.source_file(video)
    if not file.is_file():
        raise ServiceError(f"the video of lesson {video.lesson.number:02d} is missing from "
                           f"the video folder ({file}); upload it again before exporting")
    return file


def lesson_video_files(course: Course) -> dict[str, Path]:
    """{media/NN-slug.mp4: file to copy} for each lesson video of the course."""
    found = {}
    for lesson in course.lessons:
        spec = lesson_video_spec(lesson)
        if spec is not None:
            found[spec.path] = video_file_to_export(lesson.video)
    return found


def copy_lesson_videos(files: dict[str, Path], target: Path) -> None:
    for relative, source in files.items():
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, destination)
