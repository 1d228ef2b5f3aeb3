"""Checking and transcoding lesson videos with Debian's ffmpeg package (ffprobe, ffmpeg).

``probe_video`` reads what a file is by its content (never its name) and refuses what a
lesson cannot play, with a reason the pages turn into a message. ``transcode_video`` runs
in the background (``queue_video_processing``: RQ's "video" queue when REDIS_URL is set,
else a worker thread, after the request commits) and makes the one format every browser
and phone plays: H.264/AAC MP4 with its index at the front (playback starts before the
download ends), at most 720p, plus a poster frame and the exact duration. Its progress and
result are written through short sessions of their own (``write_video_state``), so the
page polling the status sees them while ffmpeg runs and no transaction stays open.

A video without sound is accepted: a silent AAC track is added, so every processed file
has the same two streams (screen recordings often have no narration; the page says so).
"""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.domain.video_files import (
    MIN_SECONDS,
    ends_early,
    is_still_image_format,
    progress_percent,
    target_size,
)
from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.models import LessonVideo
from app.models.types import utcnow
from app.services.core.background import JobKind, start_after_commit
from app.services.core.errors import ServiceError
from app.services.video.hours import refresh_course_hours
from app.services.video.storage import PLAYABLE, playable_file, poster_file, source_file

TOOLS = ("ffmpeg", "ffprobe")
#: What to tell an administrator when the tools are missing.
INSTALL_HINT = "apt-get install ffmpeg"
#: ffprobe reads a file's header; a stuck read of a strange file must not hang a request.
PROBE_TIMEOUT_SECONDS = 60
#: Progress is written at most this often (each write is a short transaction).
PROGRESS_EVERY_SECONDS = 1.0
#: The poster is the frame at this share of the duration (past the title card).
POSTER_AT = 0.10


class VideoRefused(ServiceError):
    """A file a lesson cannot use. ``reason``: tools_missing, not_video, no_video_stream,
    still_image, too_long (detail: the limit in seconds)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class VideoProbe:
    format_name: str
    duration_seconds: float
    width: int
    height: int
    rotation: int
    sample_aspect: float
    has_audio: bool


def tools_missing() -> list[str]:
    """The ffmpeg package's programs not found on PATH (install: ``INSTALL_HINT``)."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def probe_video(path: Path) -> VideoProbe:
    """What the file holds, read by ffprobe from its content; VideoRefused when it is not
    a video a lesson can play or is longer than VIDEO_MAX_SECONDS."""
    if tools_missing():
        raise VideoRefused("tools_missing", INSTALL_HINT)
    try:
        run = subprocess.run(  # noqa: S603 - fixed program, our own path, no shell
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format",
             "-show_streams", str(path)],
            capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)
        info = json.loads(run.stdout or b"{}") if run.returncode == 0 else {}
    except (subprocess.TimeoutExpired, ValueError):
        info = {}
    if not info.get("format"):
        raise VideoRefused("not_video")
    return _checked_probe(info)


def _checked_probe(info: dict) -> VideoProbe:
    format_name = info["format"].get("format_name", "")
    streams = info.get("streams", [])
    pictures = [s for s in streams if s.get("codec_type") == "video"
                and not s.get("disposition", {}).get("attached_pic")]
    if not pictures:
        raise VideoRefused("no_video_stream")
    duration = _number(info["format"].get("duration")) or _number(pictures[0].get("duration"))
    if is_still_image_format(format_name) or duration < MIN_SECONDS:
        raise VideoRefused("still_image")
    limit = current_app.config["VIDEO_MAX_SECONDS"]
    if duration > limit:
        raise VideoRefused("too_long", str(limit))
    picture = pictures[0]
    width, height = int(picture.get("width") or 0), int(picture.get("height") or 0)
    if width < 2 or height < 2:
        raise VideoRefused("not_video")
    return VideoProbe(format_name=format_name, duration_seconds=duration, width=width,
                      height=height, rotation=_rotation(picture),
                      sample_aspect=_aspect(picture.get("sample_aspect_ratio")),
                      has_audio=any(s.get("codec_type") == "audio" for s in streams))


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _rotation(stream: dict) -> int:
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            return int(_number(side_data["rotation"]))
    return int(_number(stream.get("tags", {}).get("rotate")))


def _aspect(ratio: str | None) -> float:
    numerator, _, denominator = (ratio or "1:1").partition(":")
    value = _number(numerator) / (_number(denominator) or 1.0)
    return value if 0.1 < value < 10 else 1.0


# --- processing in the background ----------------------------------------------------------

def _unqueued(video_id: str, _error: Exception) -> None:
    write_video_state(int(video_id), None, status=VideoStatus.FAILED, error="unqueued")


VIDEO_JOBS = JobKind(name="video", function="app.jobs.run_video_processing", queue="video",
                     queue_setting="VIDEO_QUEUE", timeout_seconds=12 * 3600, threads=1,
                     on_unqueued=_unqueued)


def queue_video_processing(video: LessonVideo) -> None:
    """Transcode the video once the caller's transaction commits."""
    start_after_commit(VIDEO_JOBS, str(video.id))


def pending_videos() -> list[LessonVideo]:
    """Videos still marked as processing (a restart may have stopped their job)."""
    return list(db.session.scalars(
        select(LessonVideo).where(LessonVideo.status == VideoStatus.PROCESSING)
        .order_by(LessonVideo.id)))


def write_video_state(video_id: int, storage_key: str | None, **values) -> bool:
    """Update a video still processing (and, given a key, still that upload) in a short
    transaction of its own, committed at once; False when it changed meanwhile (replaced,
    deleted, or finished by another worker): the caller's result is then stale."""
    condition = [LessonVideo.id == video_id, LessonVideo.status == VideoStatus.PROCESSING]
    if storage_key is not None:
        condition.append(LessonVideo.storage_key == storage_key)
    with Session(db.engine) as session:
        result = session.execute(update(LessonVideo).where(*condition).values(**values))
        session.commit()
    return bool(result.rowcount)


def transcode_video(video: LessonVideo) -> VideoStatus | None:
    """Make the playable file, poster and duration of a video being processed; the final
    status, or None when there was nothing to do (not processing any more)."""
    if video.status is not VideoStatus.PROCESSING:
        return None
    video_id, key = video.id, video.storage_key
    source, output, poster = source_file(video), playable_file(video), poster_file(video)
    db.session.rollback()  # no transaction stays open while ffmpeg runs for minutes
    try:
        probe = probe_video(source) if source.exists() else None
    except VideoRefused as refused:
        return _fail(video_id, key, refused.reason)
    if probe is None:
        return _fail(video_id, key, "source_missing")
    # One partial file per process and thread: two workers on the same video (a requeue
    # while the first still runs) waste work but never write into each other's file.
    partial = output.with_name(f".{PLAYABLE}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        if not _run_ffmpeg(_transcode_command(source, partial, probe), probe.duration_seconds,
                           lambda percent: write_video_state(video_id, key, progress=percent)):
            return _fail(video_id, key, "transcode_failed")
        duration = _probe_duration(partial)
        if ends_early(duration, probe.duration_seconds):
            return _fail(video_id, key, "truncated")
        _write_poster(partial, poster, duration)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    width, height = target_size(probe.width, probe.height, rotation=probe.rotation,
                                sample_aspect=probe.sample_aspect)
    if not write_video_state(video_id, key, status=VideoStatus.READY, progress=100,
                             duration_seconds=round(duration, 3), width=width, height=height,
                             error=None, processed_at=utcnow()):
        return None
    source.unlink(missing_ok=True)  # the playable file is what is kept (and source_sha256)
    return VideoStatus.READY


def process_lesson_video(video_id: int) -> VideoStatus | None:
    """Transcode a video waiting for it; once it is ready, a course whose hours follow its
    videos' length gets its new hours (the caller commits them)."""
    video = db.session.get(LessonVideo, video_id)
    if video is None:
        return None
    status = transcode_video(video)
    if status is VideoStatus.READY:
        video = db.session.get(LessonVideo, video_id, populate_existing=True)
        refresh_course_hours(video.lesson.course)
    return status


def _fail(video_id: int, key: str, reason: str) -> VideoStatus:
    current_app.logger.warning("video %s failed: %s", video_id, reason)
    write_video_state(video_id, key, status=VideoStatus.FAILED, error=reason, progress=0)
    return VideoStatus.FAILED


def _transcode_command(source: Path, output: Path, probe: VideoProbe) -> list[str]:
    width, height = target_size(probe.width, probe.height, rotation=probe.rotation,
                                sample_aspect=probe.sample_aspect)
    command = ["ffmpeg", "-nostdin", "-y", "-v", "error", "-i", str(source)]
    if probe.has_audio:
        command += ["-map", "0:v:0", "-map", "0:a:0"]
    else:  # a silent track, so every lesson video has the same two streams
        command += ["-f", "lavfi", "-i", "anullsrc=channel_layout=stereo:sample_rate=48000",
                    "-map", "0:v:0", "-map", "1:a:0", "-shortest"]
    return command + [
        "-vf", f"scale={width}:{height},setsar=1", "-c:v", "libx264", "-preset", "veryfast",
        "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
        "-movflags", "+faststart", "-max_muxing_queue_size", "1024", "-map_metadata", "-1",
        "-progress", "pipe:1", "-nostats", "-f", "mp4", str(output)]


def _run_ffmpeg(command: list[str], duration: float, report) -> bool:
    """Run ffmpeg, calling ``report(percent)`` as its progress lines arrive; True on
    success. Its error output goes to a file (a full pipe would stall it) and the log."""
    last_percent, last_write = -1, 0.0
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors,  # noqa: S603
                                   text=True)
        for line in process.stdout:
            key, _, value = line.strip().partition("=")
            if key != "out_time_us" or not value.isdigit():
                continue
            percent = progress_percent(int(value) / 1e6, duration)
            if percent != last_percent and time.monotonic() - last_write >= PROGRESS_EVERY_SECONDS:
                report(percent)
                last_percent, last_write = percent, time.monotonic()
        process.wait()
        if process.returncode != 0:
            errors.seek(0)
            current_app.logger.warning("ffmpeg failed (%s): %s", process.returncode,
                                       errors.read()[-2000:].decode("utf-8", "replace"))
    return process.returncode == 0


def _probe_duration(path: Path) -> float:
    run = subprocess.run(  # noqa: S603 - fixed program, our own path, no shell
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", str(path)],
        capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)
    try:
        return _number(json.loads(run.stdout or b"{}").get("format", {}).get("duration"))
    except ValueError:
        return 0.0


def _write_poster(video: Path, poster: Path, duration: float) -> None:
    subprocess.run(  # noqa: S603 - fixed program, our own paths, no shell
        ["ffmpeg", "-nostdin", "-y", "-v", "error", "-ss", f"{duration * POSTER_AT:.3f}",
         "-i", str(video), "-frames:v", "1", "-q:v", "3", "-f", "image2", str(poster)],
        capture_output=True, timeout=PROBE_TIMEOUT_SECONDS, check=False)
