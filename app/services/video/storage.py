"""Where a video's files live: VIDEO_DIR/<storage_key>/ (source, video.mp4, poster.jpg),
and partial uploads under VIDEO_DIR/uploads/. Paths come only from keys the server made,
never from a name a user sent."""

import secrets
from pathlib import Path

from flask import current_app

from app.models import LessonVideo, VideoUpload

PLAYABLE = "video.mp4"
POSTER = "poster.jpg"
SOURCE = "source"


def video_root() -> Path:
    return Path(current_app.config["VIDEO_DIR"])


def new_storage_key() -> str:
    return secrets.token_hex(16)


def video_folder(video: LessonVideo) -> Path:
    return video_root() / video.storage_key


def playable_file(video: LessonVideo) -> Path:
    return video_folder(video) / PLAYABLE


def poster_file(video: LessonVideo) -> Path:
    return video_folder(video) / POSTER


def source_file(video: LessonVideo) -> Path:
    return video_folder(video) / SOURCE


def upload_part(upload: VideoUpload) -> Path:
    return video_root() / "uploads" / f"{upload.id}.part"
