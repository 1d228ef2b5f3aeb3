"""`flask video process-pending|purge-uploads|worker`."""

from datetime import timedelta

from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.models import LessonVideo, VideoUpload
from app.models.types import utcnow
from app.services.video.storage import new_storage_key, source_file, upload_part
from tests.factories import make_course, make_user
from tests.video_samples import make_video, needs_ffmpeg


@needs_ffmpeg
def test_a_video_left_in_processing_by_a_restart_is_processed_again(runner, tree, tmp_path):
    """Its job died with the process that ran it: the row says processing, nothing runs."""
    course = make_course("VD401", lessons=1)
    video = LessonVideo(lesson=course.lessons[0], status=VideoStatus.PROCESSING,
                        storage_key=new_storage_key(), original_filename="v.mp4",
                        source_bytes=1, source_sha256="0" * 64, progress=37)
    db.session.add(video)
    db.session.commit()
    source_file(video).parent.mkdir(parents=True)
    make_video(source_file(video), seconds=1)
    result = runner.invoke(args=["video", "process-pending"])
    assert result.exit_code == 0, result.output
    assert "1 videos processed, 1 ready." in result.output
    db.session.expire_all()
    assert (video.status, video.progress) == (VideoStatus.READY, 100)
    again = runner.invoke(args=["video", "process-pending"])
    assert "0 videos processed" in again.output


def test_unfinished_uploads_older_than_a_day_are_purged(runner, tree):
    course = make_course("VD402", lessons=1)
    owner = make_user(unit=tree["city"])
    upload = VideoUpload(id="a" * 32, lesson_id=course.lessons[0].id, owner_id=owner.id,
                         filename="v.mp4", total_bytes=10,
                         updated_at=utcnow() - timedelta(days=2))
    db.session.add(upload)
    db.session.commit()
    upload_part(upload).parent.mkdir(parents=True, exist_ok=True)
    upload_part(upload).write_bytes(b"12345")
    result = runner.invoke(args=["video", "purge-uploads"])
    assert "1 unfinished uploads removed." in result.output
    assert not upload_part(upload).exists()
    assert db.session.scalars(db.select(VideoUpload)).all() == []


def test_the_worker_needs_redis(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    result = runner.invoke(args=["video", "worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output
