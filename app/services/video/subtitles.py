"""A lesson video's WebVTT subtitle tracks (zh, and optionally en), kept in the database.

A file is checked before it replaces a track (app.domain.webvtt.check_webvtt): a
file browsers would ignore is refused with the line that is wrong.
"""

from app.domain.video_files import MAX_SUBTITLE_BYTES, SUBTITLE_LANGUAGES
from app.domain.webvtt import SubtitleProblem, check_webvtt
from app.extensions import db
from app.models import LessonVideo, User, VideoSubtitle
from app.services.core.access import ensure_may_edit_course
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError


class SubtitlesRefused(ServiceError):
    """``reason``: language, too_large, encoding, or a SubtitleProblem's reason (header,
    timing, backwards, cue_text, no_cues) with ``line``."""

    def __init__(self, reason: str, line: int = 0):
        super().__init__(f"{reason} (line {line})" if line else reason)
        self.reason = reason
        self.line = line


def decode_subtitles(data: bytes) -> str:
    """The text of an uploaded subtitle file (UTF-8, with or without a byte order mark)."""
    if len(data) > MAX_SUBTITLE_BYTES:
        raise SubtitlesRefused("too_large")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SubtitlesRefused("encoding") from error


def set_video_subtitles(video: LessonVideo, language: str, vtt_text: str, *,
                        actor: User | None) -> VideoSubtitle:
    """Add or replace the video's track in ``language`` (``actor`` None: the operator)."""
    if actor is not None:
        ensure_may_edit_course(actor, video.lesson.course)
    if language not in SUBTITLE_LANGUAGES:
        raise SubtitlesRefused("language")
    if len(vtt_text.encode("utf-8")) > MAX_SUBTITLE_BYTES:
        raise SubtitlesRefused("too_large")
    try:
        checked = check_webvtt(vtt_text)
    except SubtitleProblem as problem:
        raise SubtitlesRefused(problem.reason, problem.line) from problem
    track = next((s for s in video.subtitles if s.language == language), None)
    if track is None:
        track = VideoSubtitle(language=language, vtt=checked.text)
        video.subtitles.append(track)
    else:
        track.vtt = checked.text
    db.session.flush()
    _audit("authoring.video_subtitles_set", video, language, actor, cues=len(checked.cues))
    return track


def remove_video_subtitles(video: LessonVideo, language: str, *, actor: User) -> bool:
    """Drop the track in ``language``; False when there was none."""
    ensure_may_edit_course(actor, video.lesson.course)
    track = next((s for s in video.subtitles if s.language == language), None)
    if track is None:
        return False
    video.subtitles.remove(track)
    db.session.flush()
    _audit("authoring.video_subtitles_removed", video, language, actor)
    return True


def _audit(action: str, video: LessonVideo, language: str, actor: User | None,
           **details) -> None:
    lesson = video.lesson
    record_event(action, actor=actor, target=f"lesson:{lesson.id}",
                 details={"course": lesson.course.code, "lesson": lesson.number,
                          "language": language, **details})
