"""Putting a video on a lesson: resumable chunked uploads from the browser, files attached
by the course import and the demo seed, replacing and deleting a lesson's video.

An upload is a VideoUpload row and a part file under VIDEO_DIR/uploads; chunks append at
the offset the server has (a client that lost track is told the offset and resumes
there). When all bytes are in, ffprobe checks the content; a file that is not a usable
video is deleted and the lesson stays as it was. An accepted file becomes the lesson's
LessonVideo (a new one, or the existing row with a new storage folder, so watch records
stay and nobody streaming the old file is cut off before the request commits), status
PROCESSING, and processing is queued once the request commits. Uploads left unfinished
for a day are purged when anyone starts a new one (or by ``flask --app wsgi video
purge-uploads``).
"""

import hashlib
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, update

from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.models import Lesson, LessonVideo, User, VideoUpload, VideoWatch
from app.models.types import utcnow
from app.services.core.access import ensure_may_edit_course
from app.services.core.audit import record_event
from app.services.core.background import after_commit, on_rollback
from app.services.core.errors import NotFound, ServiceError
from app.services.video.hours import refresh_course_hours
from app.services.video.processing import (
    INSTALL_HINT,
    VideoProbe,
    VideoRefused,
    probe_video,
    queue_video_processing,
    tools_missing,
)
from app.services.video.storage import (
    SOURCE,
    new_storage_key,
    upload_part,
    video_folder,
    video_root,
)
from app.services.video.subtitles import set_video_subtitles

#: An upload nobody added to for this long is abandoned.
ABANDONED_AFTER = timedelta(days=1)
MAX_FILENAME = 200
_HASH_BLOCK = 1024 * 1024


class UploadRefused(ServiceError):
    """An upload step refused. ``reason``: empty, too_large (detail: the limit in bytes),
    chunk_size, past_end, incomplete (detail: "received/total"), gone."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class ChunkOffsetMismatch(ServiceError):
    """The chunk does not start where the server's copy ends: resume at ``expected``."""

    def __init__(self, expected: int):
        super().__init__(f"resume at byte {expected}")
        self.expected = expected


@dataclass(frozen=True)
class AcceptedVideo:
    video: LessonVideo
    #: The file had no sound track: a silent one is added (the page says so).
    silent: bool


def start_video_upload(lesson: Lesson, filename: str, total_bytes: int, *,
                       actor: User) -> VideoUpload:
    """An upload of ``total_bytes`` to the lesson: the actor's unfinished upload of the same
    file if there is one (so a reload resumes), else a new one."""
    ensure_may_edit_course(actor, lesson.course)
    if tools_missing():
        raise VideoRefused("tools_missing", INSTALL_HINT)
    _check_size(total_bytes)
    purge_abandoned_uploads(now=utcnow())
    name = clean_filename(filename)
    for upload in db.session.scalars(select(VideoUpload).where(
            VideoUpload.lesson_id == lesson.id, VideoUpload.owner_id == actor.id,
            VideoUpload.filename == name, VideoUpload.total_bytes == total_bytes)):
        if _part_holds(upload):
            return upload
    upload = VideoUpload(id=secrets.token_hex(16), lesson_id=lesson.id, owner_id=actor.id,
                         filename=name, total_bytes=total_bytes, received_bytes=0)
    db.session.add(upload)
    db.session.flush()
    part = upload_part(upload)
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"")
    return upload


def find_video_upload(upload_id: str, lesson: Lesson, *, actor: User) -> VideoUpload:
    """The actor's own upload to this lesson; anyone else's is as good as missing."""
    upload = db.session.get(VideoUpload, upload_id) if len(upload_id) <= 32 else None
    if upload is None or upload.owner_id != actor.id or upload.lesson_id != lesson.id:
        raise NotFound(upload_id)
    ensure_may_edit_course(actor, lesson.course)
    return upload


def receive_video_chunk(upload: VideoUpload, offset: int, data: bytes, *,
                        actor: User) -> int:
    """Append a chunk that starts at ``offset``; the bytes now received. A chunk starting
    elsewhere changes nothing: ChunkOffsetMismatch says where to resume."""
    if upload.owner_id != actor.id:
        raise NotFound(upload.id)
    if not 0 < len(data) <= current_app.config["VIDEO_CHUNK_BYTES"]:
        raise UploadRefused("chunk_size", str(current_app.config["VIDEO_CHUNK_BYTES"]))
    if not _part_holds(upload):
        raise UploadRefused("gone")
    if offset != upload.received_bytes:
        raise ChunkOffsetMismatch(upload.received_bytes)
    if offset + len(data) > upload.total_bytes:
        raise UploadRefused("past_end", str(upload.total_bytes))
    # Claim the range in the database first: of two requests sending the same chunk at
    # once, only one moves the offset; the other is told where to resume.
    claimed = db.session.execute(
        update(VideoUpload).where(VideoUpload.id == upload.id,
                                  VideoUpload.received_bytes == offset)
        .values(received_bytes=offset + len(data), updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.expire(upload)
    if not claimed.rowcount:
        raise ChunkOffsetMismatch(upload.received_bytes)
    with upload_part(upload).open("r+b") as part:
        part.truncate(offset)  # bytes past the committed offset are a failed request's
        part.seek(offset)
        part.write(data)
    return offset + len(data)


def finish_video_upload(upload: VideoUpload, *, actor: User) -> AcceptedVideo:
    """Check the complete file and make it the lesson's video, processed after the commit.
    A file that is not a usable video is deleted (VideoRefused) and the lesson unchanged."""
    lesson = db.session.get(Lesson, upload.lesson_id)
    ensure_may_edit_course(actor, lesson.course)
    if upload.received_bytes != upload.total_bytes:
        raise UploadRefused("incomplete", f"{upload.received_bytes}/{upload.total_bytes}")
    part = upload_part(upload)
    if not _part_holds(upload):
        raise UploadRefused("gone")
    try:
        probe = probe_video(part)
    except VideoRefused:
        part.unlink(missing_ok=True)  # the row goes with the next purge
        raise
    video = _install(lesson, probe, filename=upload.filename, size=upload.total_bytes,
                     sha256=file_sha256(part), actor=actor,
                     place=lambda target: os.replace(part, target))
    db.session.delete(upload)
    db.session.flush()
    return AcceptedVideo(video=video, silent=not probe.has_audio)


def attach_video_file(lesson: Lesson, source_path: Path, filename: str, *,
                      actor: User | None, subtitles: dict[str, str] | None = None
                      ) -> LessonVideo:
    """Make a file on disk the lesson's video (course import, demo seed: ``actor`` None is
    the operator). The same file as the lesson's current video changes nothing but the
    subtitles given; anything else is checked and processed as an upload is."""
    if actor is not None:
        ensure_may_edit_course(actor, lesson.course)
    size = source_path.stat().st_size
    _check_size(size)
    sha256 = file_sha256(source_path)
    video = lesson.video
    if video is None or video.source_sha256 != sha256:
        probe = probe_video(source_path)
        video = _install(lesson, probe, filename=clean_filename(filename), size=size,
                         sha256=sha256, actor=actor,
                         place=lambda target: shutil.copyfile(source_path, target))
    for language, text in (subtitles or {}).items():
        current = next((s.vtt for s in video.subtitles if s.language == language), None)
        if current is None or current.strip() != text.replace("\r\n", "\n").strip():
            set_video_subtitles(video, language, text, actor=actor)
    return video


def delete_lesson_video(video: LessonVideo, *, actor: User | None) -> None:
    """The lesson goes back to text only; its video's files go once the request commits.
    ``actor`` None is the operator (a course file that no longer names the video)."""
    lesson = video.lesson
    if actor is not None:
        ensure_may_edit_course(actor, lesson.course)
    folder = video_folder(video)
    db.session.execute(delete(VideoWatch).where(VideoWatch.video_id == video.id))
    record_event("authoring.video_deleted", actor=actor, target=f"lesson:{lesson.id}",
                 details={"course": lesson.course.code, "lesson": lesson.number,
                          "file": video.original_filename})
    lesson.video = None
    db.session.flush()
    refresh_course_hours(lesson.course)
    after_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


def purge_abandoned_uploads(*, now) -> int:
    """Delete uploads nobody added to for a day, and their part files."""
    stale = list(db.session.scalars(select(VideoUpload).where(
        VideoUpload.updated_at < now - ABANDONED_AFTER)))
    for upload in stale:
        upload_part(upload).unlink(missing_ok=True)
        db.session.delete(upload)
    db.session.flush()
    return len(stale)


def video_state(video: LessonVideo | None) -> dict:
    """What the upload page polls: status, progress, and the reason of a failure."""
    if video is None:
        return {"status": "none"}
    return {"status": video.status.value, "progress": video.progress, "error": video.error,
            "duration_seconds": float(video.duration_seconds or 0),
            "width": video.width, "height": video.height,
            "filename": video.original_filename}


def clean_filename(filename: str) -> str:
    """The name to show: the last path part, control characters dropped, at most 200."""
    name = os.path.basename(filename.replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[-MAX_FILENAME:] or "video"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _check_size(total_bytes: int) -> None:
    if total_bytes <= 0:
        raise UploadRefused("empty")
    limit = current_app.config["VIDEO_MAX_BYTES"]
    if total_bytes > limit:
        raise UploadRefused("too_large", str(limit))


def _part_holds(upload: VideoUpload) -> bool:
    """The part file exists with at least the bytes the row says were received."""
    part = upload_part(upload)
    return part.exists() and part.stat().st_size >= upload.received_bytes


def _install(lesson: Lesson, probe: VideoProbe, *, filename: str, size: int, sha256: str,
             actor: User | None, place) -> LessonVideo:
    """Place the source in a new storage folder and point the lesson's video at it."""
    key = new_storage_key()
    folder = video_root() / key
    folder.mkdir(parents=True)
    on_rollback(lambda: shutil.rmtree(folder, ignore_errors=True))
    place(folder / SOURCE)
    video = lesson.video
    replaced = video_folder(video) if video is not None else None
    if video is None:
        video = LessonVideo(lesson=lesson)
        db.session.add(video)
    video.status, video.storage_key, video.progress, video.error = (
        VideoStatus.PROCESSING, key, 0, None)
    video.original_filename, video.source_bytes, video.source_sha256 = filename, size, sha256
    video.duration_seconds = video.width = video.height = video.processed_at = None
    video.uploaded_by_id, video.created_at = (actor.id if actor else None), utcnow()
    db.session.flush()
    if replaced is not None:
        after_commit(lambda: shutil.rmtree(replaced, ignore_errors=True))
    queue_video_processing(video)
    record_event("authoring.video_uploaded", actor=actor, target=f"lesson:{lesson.id}",
                 details={"course": lesson.course.code, "lesson": lesson.number,
                          "file": filename, "bytes": size, "sha256": sha256,
                          "seconds": round(probe.duration_seconds, 1),
                          "replaced": replaced is not None, "sound": probe.has_audio})
    return video
