"""`flask video process-pending|purge-uploads|worker`."""

from datetime import timedelta

from sqlalchemy import select

from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.models import LessonVideo, VideoUpload, VideoWatch
from app.models.types import utcnow
from app.services.video.storage import new_storage_key, source_file, upload_part
from tests.factories import make_course, make_tree, make_user
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


def _demo_courses(count=12):
    """DC101 and SE220, each with a first lesson, and demo-named cadres enrolled in both."""
    from app.services.learning.enrollment import enroll_in_course

    unit = make_tree()["jiefangbei"]
    courses = [make_course("DC101", lessons=1), make_course("SE220", lessons=1)]
    for number in range(count):
        cadre = make_user(unit=unit, username=f"CQ{100001 + number}")
        for course in courses:
            enroll_in_course(course, actor=cadre)
    db.session.commit()
    return courses


@needs_ffmpeg
def test_the_demo_videos_are_attached_processed_and_watched_once(runner, app, tmp_path,
                                                                  monkeypatch):
    from app.services.platform.demo import videos as demo_videos

    def quick_lecture(markdown, title, out_dir, *, course_title=""):  # the generator's shape
        out_dir.mkdir(parents=True, exist_ok=True)
        make_video(out_dir / "lecture.mp4", seconds=6)
        (out_dir / "lecture.zh.vtt").write_text(
            f"WEBVTT\n\n00:00:00.000 --> 00:00:05.000\n{title}\n", encoding="utf-8")

    monkeypatch.setattr(demo_videos, "build_lecture_video", quick_lecture)
    monkeypatch.setattr(demo_videos, "lecture_tools_missing", lambda: [])
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    courses = _demo_courses()
    first = runner.invoke(args=["video", "demo"])
    assert "2 attached (2 processed" in first.output, first.output
    db.session.expire_all()
    videos = [course.lessons[0].video for course in courses]
    assert [video.status for video in videos] == [VideoStatus.READY] * 2
    assert [s.vtt.splitlines()[-1] for s in videos[0].subtitles] == ["第1课"]
    watches = db.session.scalars(select(VideoWatch)).all()
    assert 0 < len(watches) < 2 * 12 and all(w.watched_seconds > 0 for w in watches)
    second = runner.invoke(args=["video", "demo"])
    assert "0 attached" in second.output and "2 already there; 0 demo viewings" in second.output
    assert len(db.session.scalars(select(VideoWatch)).all()) == len(watches)


def test_without_the_tools_the_demo_says_what_to_install(runner, app, monkeypatch):
    from app.services.platform.demo import videos as demo_videos

    monkeypatch.setattr(demo_videos, "lecture_tools_missing", lambda: ["espeak-ng"])
    _demo_courses(count=1)
    result = runner.invoke(args=["video", "demo"])
    assert result.exit_code == 0
    assert "espeak-ng missing (Debian: apt-get install ffmpeg espeak-ng)" in result.output
    assert db.session.scalars(select(LessonVideo)).all() == []
