"""Probing and transcoding lesson videos with real files made by ffmpeg."""

import shutil
import subprocess
import uuid
from decimal import Decimal

import pytest
from rq import Queue, SimpleWorker

from app.domain.vocabulary import RoleName, VideoStatus
from app.extensions import db
from app.models import LessonVideo
from app.services.core.background import rq_job_waiting, wait_for_background_jobs
from app.services.video.processing import (
    VIDEO_JOBS,
    VideoRefused,
    probe_video,
    tools_missing,
)
from app.services.video.storage import playable_file, poster_file, source_file
from app.services.video.uploads import attach_video_file
from tests.factories import make_course, make_user
from tests.local_redis import LOCAL_REDIS_URL, local_redis
from tests.video_samples import make_video, needs_ffmpeg, probe_streams, top_level_boxes

pytestmark = needs_ffmpeg


@pytest.fixture
def lesson(tree):
    course = make_course("VD101", lessons=1)
    db.session.commit()
    return course.lessons[0]


@pytest.fixture
def admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN])


def _processed(lesson, path, admin, **kwargs) -> LessonVideo:
    video = attach_video_file(lesson, path, path.name, actor=admin, **kwargs)
    db.session.commit()
    wait_for_background_jobs()
    db.session.expire_all()
    return db.session.get(LessonVideo, video.id)


def test_the_tools_are_found():
    assert tools_missing() == []


def test_a_small_video_is_processed_to_h264_aac_with_the_index_first(lesson, admin,
                                                                     tmp_path):
    sample = make_video(tmp_path / "lecture.mp4", seconds=3)
    video = _processed(lesson, sample, admin)
    assert video.status is VideoStatus.READY and video.error is None
    assert video.progress == 100 and video.processed_at is not None
    assert abs(video.duration_seconds - Decimal(3)) < Decimal("0.2")
    assert (video.width, video.height) == (320, 240)
    output = playable_file(video)
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart: playable while loading
    streams = {s["codec_type"]: s for s in probe_streams(output)["streams"]}
    assert streams["video"]["codec_name"] == "h264"
    assert streams["video"]["pix_fmt"] == "yuv420p"
    assert streams["audio"]["codec_name"] == "aac"
    assert poster_file(video).read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert not source_file(video).exists()  # the source is not kept...
    assert len(video.source_sha256) == 64  # ...but its fingerprint is


def test_a_1080p_video_comes_out_at_720p(lesson, admin, tmp_path):
    sample = make_video(tmp_path / "big.mp4", seconds=1, size="1920x1080", rate=5)
    video = _processed(lesson, sample, admin)
    assert (video.width, video.height) == (1280, 720)
    stream = probe_streams(playable_file(video))["streams"][0]
    assert (stream["width"], stream["height"]) == (1280, 720)


def test_a_small_video_is_never_enlarged_and_odd_sizes_become_even(lesson, admin, tmp_path):
    sample = make_video(tmp_path / "odd.mp4", seconds=1, size="321x241", pix_fmt="yuv444p")
    video = _processed(lesson, sample, admin)
    assert (video.width, video.height) == (320, 240)


def test_a_video_without_sound_gets_a_silent_track(lesson, admin, tmp_path):
    sample = make_video(tmp_path / "mute.mp4", seconds=2, audio=False)
    assert probe_video(sample).has_audio is False
    video = _processed(lesson, sample, admin)
    assert video.status is VideoStatus.READY
    kinds = [s["codec_type"] for s in probe_streams(playable_file(video))["streams"]]
    assert sorted(kinds) == ["audio", "video"]


def _renamed_executable(tmp):
    return shutil.copyfile("/bin/true", tmp / "renamed.mp4")


def _html(tmp):
    (tmp / "page.mp4").write_text("<!doctype html><html><body>课程</body></html>")
    return tmp / "page.mp4"


def _truncated(tmp):
    """Cut before its index (at the end, as cameras write it): unreadable."""
    (tmp / "cut.mp4").write_bytes(make_video(tmp / "whole.mp4").read_bytes()[:20000])
    return tmp / "cut.mp4"


def _zeros(tmp):
    (tmp / "zeros.mp4").write_bytes(b"\x00" * 100)
    return tmp / "zeros.mp4"


@pytest.mark.parametrize("make_bad", [_renamed_executable, _html, _truncated, _zeros],
                         ids=["executable", "html", "truncated", "zeros"])
def test_what_is_not_a_video_is_refused_by_its_content(tmp_path, app, make_bad):
    with pytest.raises(VideoRefused) as refused:
        probe_video(make_bad(tmp_path))
    assert refused.value.reason == "not_video"


def test_a_picture_and_a_sound_file_are_refused(tmp_path, app):
    make_video(tmp_path / "v.mp4", seconds=1)
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "v.mp4"), "-frames:v", "1",
                    str(tmp_path / "still.jpg")], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "v.mp4"), "-vn",
                    str(tmp_path / "sound.m4a")], check=True)
    with pytest.raises(VideoRefused, match="still_image"):
        probe_video(tmp_path / "still.jpg")
    with pytest.raises(VideoRefused, match="no_video_stream"):
        probe_video(tmp_path / "sound.m4a")


def test_a_video_longer_than_allowed_is_refused(tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "VIDEO_MAX_SECONDS", 2)
    with pytest.raises(VideoRefused) as refused:
        probe_video(make_video(tmp_path / "long.mp4", seconds=3))
    assert (refused.value.reason, refused.value.detail) == ("too_long", "2")


def test_a_file_cut_off_after_its_index_fails_with_a_reason(lesson, admin, tmp_path):
    """Its index (at the front) still claims the whole length: only transcoding finds out."""
    whole = make_video(tmp_path / "whole.mp4", seconds=6, faststart=True)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    video = _processed(lesson, cut, admin)
    assert (video.status, video.error) == (VideoStatus.FAILED, "truncated")
    assert not playable_file(video).exists()


def test_the_same_file_attached_again_changes_nothing(lesson, admin, tmp_path):
    sample = make_video(tmp_path / "lecture.mp4", seconds=1)
    first = _processed(lesson, sample, admin)
    key = first.storage_key
    again = attach_video_file(lesson, sample, "other-name.mp4", actor=None)
    assert again.storage_key == key and again.status is VideoStatus.READY
    assert not db.session.dirty and not db.session.new


def test_on_redis_the_video_waits_in_the_video_queue_for_a_worker(lesson, admin, tmp_path,
                                                                 app, monkeypatch):
    connection = local_redis()
    if connection is None:
        pytest.skip(f"Redis is not reachable at {LOCAL_REDIS_URL}")
    queue = Queue(f"video-test-{uuid.uuid4().hex[:8]}", connection=connection)
    monkeypatch.setitem(app.config, "REDIS_URL", LOCAL_REDIS_URL)
    monkeypatch.setitem(app.config, "VIDEO_QUEUE", queue.name)
    try:
        video = attach_video_file(lesson, make_video(tmp_path / "v.mp4", seconds=1), "v.mp4",
                                  actor=admin)
        db.session.commit()
        assert queue.count == 1 and rq_job_waiting(VIDEO_JOBS, str(video.id))
        SimpleWorker([queue], connection=connection).work(burst=True)
        db.session.expire_all()
        assert db.session.get(LessonVideo, video.id).status is VideoStatus.READY
    finally:
        queue.delete(delete_jobs=True)
        connection.delete(queue.finished_job_registry.key)
