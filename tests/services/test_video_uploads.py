"""Chunked uploads of lesson videos, who may upload, replacing, deleting, subtitles."""

from datetime import timedelta

import pytest

from app.domain.vocabulary import RoleName, VideoStatus
from app.extensions import db
from app.models import LessonVideo, VideoSubtitle, VideoUpload
from app.models.types import utcnow
from app.services.core.access import add_course_owner
from app.services.core.background import wait_for_background_jobs
from app.services.core.errors import NotFound, PermissionDenied
from app.services.curriculum.authoring.lessons import delete_lesson
from app.services.video.processing import VideoRefused
from app.services.video.storage import upload_part, video_folder
from app.services.video.subtitles import (
    SubtitlesRefused,
    remove_video_subtitles,
    set_video_subtitles,
)
from app.services.video.uploads import (
    ChunkOffsetMismatch,
    UploadRefused,
    delete_lesson_video,
    finish_video_upload,
    purge_abandoned_uploads,
    receive_video_chunk,
    start_video_upload,
)
from tests.factories import audit_events, make_course, make_user
from tests.video_samples import make_video, needs_ffmpeg

VTT = "WEBVTT\n\n00:00.000 --> 00:01.500\n同志们好。\n\n00:01.500 --> 00:03.000\n今天讲数据。\n"


@pytest.fixture
def lesson(tree):
    course = make_course("VD201", lessons=2)
    db.session.commit()
    return course.lessons[0]


@pytest.fixture
def trainer(tree, lesson):
    user = make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="李老师")
    add_course_owner(lesson.course, user, actor=None)
    return user


def _upload(lesson, trainer, data: bytes, *, chunk: int = 4096, name="lecture.mp4"):
    upload = start_video_upload(lesson, name, len(data), actor=trainer)
    for offset in range(0, len(data), chunk):
        receive_video_chunk(upload, offset, data[offset:offset + chunk], actor=trainer)
    return upload


@needs_ffmpeg
def test_an_upload_in_chunks_becomes_the_lessons_video(lesson, trainer, tmp_path):
    data = make_video(tmp_path / "v.mp4", seconds=2).read_bytes()
    upload = _upload(lesson, trainer, data, chunk=7000)
    accepted = finish_video_upload(upload, actor=trainer)
    video = accepted.video
    assert accepted.silent is False
    assert (video.status, video.original_filename, video.source_bytes) == (
        VideoStatus.PROCESSING, "lecture.mp4", len(data))
    assert not upload_part(upload).exists() and db.session.get(VideoUpload, upload.id) is None
    assert [e.details["file"] for e in audit_events("authoring.video_uploaded")] == ["lecture.mp4"]
    db.session.commit()
    wait_for_background_jobs()
    db.session.expire_all()
    assert lesson.video.status is VideoStatus.READY


@needs_ffmpeg
def test_a_chunk_at_the_wrong_offset_answers_where_to_resume(lesson, trainer, tmp_path):
    data = make_video(tmp_path / "v.mp4", seconds=1).read_bytes()
    upload = start_video_upload(lesson, "v.mp4", len(data), actor=trainer)
    assert receive_video_chunk(upload, 0, data[:1000], actor=trainer) == 1000
    with pytest.raises(ChunkOffsetMismatch) as behind:  # the same chunk sent twice
        receive_video_chunk(upload, 0, data[:1000], actor=trainer)
    with pytest.raises(ChunkOffsetMismatch) as ahead:  # a chunk lost on the way
        receive_video_chunk(upload, 2000, data[2000:3000], actor=trainer)
    assert behind.value.expected == ahead.value.expected == 1000
    assert upload_part(upload).stat().st_size == 1000
    # A reload starts "again" and is given the same upload, to resume at 1000.
    again = start_video_upload(lesson, "v.mp4", len(data), actor=trainer)
    assert (again.id, again.received_bytes) == (upload.id, 1000)
    receive_video_chunk(again, 1000, data[1000:], actor=trainer)
    assert upload_part(upload).read_bytes() == data
    assert finish_video_upload(again, actor=trainer).video.source_bytes == len(data)


@needs_ffmpeg
def test_bytes_past_the_committed_offset_are_overwritten(lesson, trainer):
    """A request that wrote its chunk but never committed leaves bytes past the offset."""
    upload = start_video_upload(lesson, "v.mp4", 10, actor=trainer)
    upload_part(upload).write_bytes(b"\x00stale\x00")  # what the lost request wrote
    receive_video_chunk(upload, 0, b"abcde", actor=trainer)
    assert upload_part(upload).read_bytes() == b"abcde"


@needs_ffmpeg
def test_sizes_outside_the_limits_are_refused(lesson, trainer, app, monkeypatch):
    monkeypatch.setitem(app.config, "VIDEO_MAX_BYTES", 1000)
    with pytest.raises(UploadRefused) as too_large:
        start_video_upload(lesson, "big.mp4", 1001, actor=trainer)
    assert (too_large.value.reason, too_large.value.detail) == ("too_large", "1000")
    with pytest.raises(UploadRefused, match="empty"):
        start_video_upload(lesson, "none.mp4", 0, actor=trainer)
    upload = start_video_upload(lesson, "v.mp4", 10, actor=trainer)
    with pytest.raises(UploadRefused, match="past_end"):
        receive_video_chunk(upload, 0, b"x" * 11, actor=trainer)
    receive_video_chunk(upload, 0, b"x" * 5, actor=trainer)
    with pytest.raises(UploadRefused, match="incomplete: 5/10"):
        finish_video_upload(upload, actor=trainer)


@needs_ffmpeg
def test_a_file_that_is_not_a_video_leaves_the_lesson_unchanged(lesson, trainer):
    upload = _upload(lesson, trainer, b"<!doctype html><html><body>hi</body></html>")
    with pytest.raises(VideoRefused, match="not_video"):
        finish_video_upload(upload, actor=trainer)
    assert lesson.video is None and not upload_part(upload).exists()
    assert db.session.scalars(db.select(LessonVideo)).all() == []


@needs_ffmpeg
def test_a_replacement_keeps_the_row_and_drops_the_old_files_after_commit(lesson, trainer,
                                                                          tmp_path):
    first = finish_video_upload(_upload(lesson, trainer, make_video(
        tmp_path / "a.mp4", seconds=1).read_bytes()), actor=trainer).video
    db.session.commit()
    wait_for_background_jobs()
    old_folder = video_folder(first)
    set_video_subtitles(first, "zh", VTT, actor=trainer)
    data = make_video(tmp_path / "b.mp4", seconds=2, audio=False).read_bytes()
    accepted = finish_video_upload(_upload(lesson, trainer, data, name="b.mp4"),
                                   actor=trainer)
    assert accepted.silent is True and accepted.video.id == first.id
    assert accepted.video.status is VideoStatus.PROCESSING and accepted.video.subtitles
    assert old_folder.exists()  # until the commit: someone may be watching it
    db.session.commit()
    wait_for_background_jobs()
    assert not old_folder.exists()
    db.session.expire_all()
    assert lesson.video.status is VideoStatus.READY and lesson.video.original_filename == "b.mp4"


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.HR, RoleName.TRAINER])
def test_only_the_courses_owners_and_admins_upload(lesson, tree, role):
    other = make_user(unit=tree["city"], roles=[role] if role is not RoleName.CADRE else [],
                      scope=tree["city"] if role is RoleName.HR else None)
    with pytest.raises(PermissionDenied):
        start_video_upload(lesson, "v.mp4", 100, actor=other)


@needs_ffmpeg
def test_another_users_upload_is_as_good_as_missing(lesson, trainer, tree):
    from app.services.video.uploads import find_video_upload

    upload = start_video_upload(lesson, "v.mp4", 100, actor=trainer)
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    with pytest.raises(NotFound):
        find_video_upload(upload.id, lesson, actor=admin)
    with pytest.raises(NotFound):
        receive_video_chunk(upload, 0, b"x", actor=admin)
    with pytest.raises(NotFound):
        find_video_upload(upload.id, lesson.course.lessons[1], actor=trainer)


@needs_ffmpeg
def test_uploads_left_for_a_day_are_purged(lesson, trainer):
    old = start_video_upload(lesson, "old.mp4", 100, actor=trainer)
    fresh = start_video_upload(lesson, "fresh.mp4", 100, actor=trainer)
    old.updated_at = utcnow() - timedelta(days=1, minutes=1)
    db.session.flush()
    assert purge_abandoned_uploads(now=utcnow()) == 1
    assert not upload_part(old).exists() and upload_part(fresh).exists()
    assert db.session.get(VideoUpload, fresh.id) is not None


@needs_ffmpeg
def test_subtitles_are_checked_and_replaced(lesson, trainer, tmp_path):
    video = finish_video_upload(_upload(lesson, trainer, make_video(
        tmp_path / "a.mp4", seconds=1).read_bytes()), actor=trainer).video
    set_video_subtitles(video, "zh", VTT.replace("\n", "\r\n"), actor=trainer)
    assert db.session.get(VideoSubtitle, (video.id, "zh")).vtt == VTT
    with pytest.raises(SubtitlesRefused) as refused:
        set_video_subtitles(video, "en", "WEBVTT\n\n00:01.000 -> 00:02.000\nHello\n",
                            actor=trainer)
    assert (refused.value.reason, refused.value.line) == ("timing", 3)
    with pytest.raises(SubtitlesRefused, match="language"):
        set_video_subtitles(video, "fr", VTT, actor=trainer)
    assert remove_video_subtitles(video, "zh", actor=trainer) is True
    assert video.subtitles == []


@needs_ffmpeg
def test_deleting_the_video_removes_its_files_after_commit(lesson, trainer, tmp_path):
    video = finish_video_upload(_upload(lesson, trainer, make_video(
        tmp_path / "a.mp4", seconds=1).read_bytes()), actor=trainer).video
    db.session.commit()
    wait_for_background_jobs()
    folder = video_folder(video)
    assert folder.exists()
    delete_lesson_video(video, actor=trainer)
    db.session.commit()
    assert not folder.exists() and lesson.video is None
    assert db.session.scalars(db.select(LessonVideo)).all() == []
    assert len(audit_events("authoring.video_deleted")) == 1


@needs_ffmpeg
def test_deleting_the_lesson_removes_its_video_files_too(lesson, trainer, tmp_path):
    video = finish_video_upload(_upload(lesson, trainer, make_video(
        tmp_path / "a.mp4", seconds=1).read_bytes()), actor=trainer).video
    db.session.commit()
    wait_for_background_jobs()
    folder = video_folder(video)
    delete_lesson(lesson, actor=trainer)
    db.session.commit()
    assert not folder.exists() and db.session.scalars(db.select(LessonVideo)).all() == []


@needs_ffmpeg
def test_a_rolled_back_upload_leaves_no_files(lesson, trainer, tmp_path):
    data = make_video(tmp_path / "v.mp4", seconds=1).read_bytes()
    video = finish_video_upload(_upload(lesson, trainer, data), actor=trainer).video
    folder = video_folder(video)
    assert folder.exists()
    db.session.rollback()
    wait_for_background_jobs()
    assert not folder.exists()
    assert db.session.scalars(db.select(LessonVideo)).all() == []
