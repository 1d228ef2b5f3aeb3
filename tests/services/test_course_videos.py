"""Issue 19: lesson videos through course files: read without loading, import hands them to
attach_video_file, export and the zip write them back so the course round-trips."""

import hashlib
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from app.domain.course_files import content_hash
from app.domain.vocabulary import HoursRule, VideoStatus
from app.models import LessonVideo, VideoSubtitle
from app.services.core.errors import ServiceError
from app.services.curriculum.authoring.course_zip import course_zip_bytes
from app.services.curriculum.authoring.publishing import validate_course_content
from app.services.curriculum.course_files import videos as course_videos
from app.services.curriculum.course_files.importing import (
    CourseImportError,
    check_course_tree,
    export_course,
    find_course_by_code,
    import_courses,
    spec_from_course,
)
from app.services.curriculum.course_files.reading import read_course_tree
from app.services.video import storage
from app.services.video.hours import refresh_course_hours
from tests.factories import audit_events

COURSE_YAML = """\
code: VD101
title: 视频课程
summary: 看视频学习。
tier: foundation
areas: [data]
hours_rule: video_length
kind: elective
"""
LESSON_1 = ("---\ntitle: 第一课\nminutes: 10\nvideo: media/intro.mov\n"
            "subtitles:\n  zh: media/intro.vtt\n---\n")
LESSON_2 = "---\ntitle: 第二课\nminutes: 5\n---\n\n正文。\n"
VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\n大家好。\n"
MOVIE = b"\x00\x00\x00\x14ftypqt  " + bytes(range(256)) * 4


def _write_course(root: Path, lesson_1=LESSON_1, media=True) -> Path:
    folder = root / "VD101"
    (folder / "lessons").mkdir(parents=True)
    (folder / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (folder / "lessons" / "01-intro.md").write_text(lesson_1, encoding="utf-8")
    (folder / "lessons" / "02-more.md").write_text(LESSON_2, encoding="utf-8")
    if media:
        (folder / "media").mkdir()
        (folder / "media" / "intro.mov").write_bytes(MOVIE)
        (folder / "media" / "intro.vtt").write_text(VTT, encoding="utf-8")
    return folder


@pytest.fixture
def fake_attach(app, monkeypatch, tmp_path):
    """A stand-in for app.services.video.uploads.attach_video_file with its signature: it
    records the calls and makes a processing LessonVideo as the real one would."""
    monkeypatch.setitem(app.config, "VIDEO_DIR", tmp_path / "video")
    calls = []

    def attach_video_file(lesson, source_path: Path, filename: str, *, actor, subtitles):
        if source_path.read_bytes().startswith(b"<html"):
            refused = ServiceError("not_video")
            refused.reason = "not_video"
            raise refused
        calls.append((lesson.number, source_path.name, filename, actor, dict(subtitles)))
        digest = hashlib.sha256(source_path.read_bytes()).hexdigest()
        if lesson.video is not None and lesson.video.source_sha256 == digest:
            return lesson.video
        lesson.video = LessonVideo(
            status=VideoStatus.PROCESSING, storage_key=f"key{len(calls)}",
            original_filename=filename, source_bytes=source_path.stat().st_size,
            source_sha256=digest,
            subtitles=[VideoSubtitle(language=k, vtt=v) for k, v in subtitles.items()])
        return lesson.video

    monkeypatch.setattr(course_videos, "attach_video_file", attach_video_file)
    return calls


def test_videos_are_described_not_read(app, tmp_path):
    tree = read_course_tree(_write_course(tmp_path))
    assert "media/intro.mov" not in tree.courses["VD101"]
    assert tree.courses["VD101"]["media/intro.vtt"] == VTT.encode()
    described = tree.videos["VD101"]["media/intro.mov"]
    assert described.size == len(MOVIE)
    assert described.sha256 == hashlib.sha256(MOVIE).hexdigest()
    assert tree.video_files["VD101"]["media/intro.mov"].read_bytes() == MOVIE
    assert check_course_tree(tmp_path / "VD101").problems == []


def test_a_video_larger_than_the_upload_limit_is_refused(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "VIDEO_MAX_BYTES", 100)
    problems = [str(p) for p in check_course_tree(_write_course(tmp_path)).problems]
    assert problems == [f"{tmp_path}/VD101/media/intro.mov: the video is {len(MOVIE)} bytes; "
                        "a lesson video may have at most 0 MiB (VIDEO_MAX_BYTES)"]


def test_import_attaches_each_video_and_a_dropped_one_is_deleted(db, tmp_path, fake_attach):
    report = import_courses(_write_course(tmp_path / "a"), actor=None)
    assert report.created == ["VD101"]
    assert fake_attach == [(1, "intro.mov", "intro.mov", None, {"zh": VTT})]
    course = find_course_by_code("VD101")
    video = course.lessons[0].video
    assert video.status is VideoStatus.PROCESSING and course.lessons[1].video is None
    # Nothing is ready yet: a micro-course.
    assert course.hours_rule is HoursRule.VIDEO_LENGTH and course.hours == Decimal("0.25")
    # The same files again: not a change, and the video is not handed over again.
    assert import_courses(tmp_path / "a" / "VD101", actor=None).unchanged == ["VD101"]
    assert len(fake_attach) == 1
    # The lesson drops its video: the row goes.
    plain = LESSON_1.split("video:")[0] + "---\n\n只剩文字。\n"
    report = import_courses(_write_course(tmp_path / "b", plain, media=False), actor=None)
    assert report.updated == ["VD101"]
    db.session.expire_all()
    assert find_course_by_code("VD101").lessons[0].video is None
    assert db.session.get(LessonVideo, video.id) is None


def test_a_file_the_uploads_refuse_stops_the_import(db, tmp_path, fake_attach):
    folder = _write_course(tmp_path / "a")
    (folder / "media" / "intro.mov").write_bytes(b"<html>not a video</html>")
    with pytest.raises(CourseImportError) as refused:
        import_courses(folder, actor=None)
    assert [str(p) for p in refused.value.problems] == [
        f"{folder}/media/intro.mov: the video cannot be used: the file is not a video "
        "(checked by its content, not its name)"]


def _ready_course(db, tmp_path, app, monkeypatch):
    """VD101 imported, its video then processed: video.mp4 in its folder, READY."""
    monkeypatch.setitem(app.config, "VIDEO_DIR", tmp_path / "video")
    course = find_course_by_code("VD101")
    video = course.lessons[0].video
    processed = b"\x00\x00\x00\x18ftypmp42processed" + bytes(512)
    storage.video_folder(video).mkdir(parents=True)
    storage.playable_file(video).write_bytes(processed)
    video.status, video.duration_seconds = VideoStatus.READY, Decimal(1200)
    # As if the processed file had been imported: the round trip then changes nothing.
    video.source_sha256 = hashlib.sha256(processed).hexdigest()
    course.content_hash = content_hash(spec_from_course(course))
    db.session.commit()
    return course, processed


def test_export_writes_the_processed_video_and_subtitles_and_round_trips(
        db, tmp_path, app, monkeypatch, fake_attach):
    import_courses(_write_course(tmp_path / "a"), actor=None)
    course, processed = _ready_course(db, tmp_path, app, monkeypatch)
    # Publishing checks the course as files without reading its video: no problem.
    assert validate_course_content(course) == []
    assert refresh_course_hours(course) and course.hours == Decimal("0.5")  # 20 minutes
    target = export_course(course, tmp_path / "out")
    assert (target / "media" / "01-intro.mp4").read_bytes() == processed
    assert (target / "media" / "01-intro.zh.vtt").read_text(encoding="utf-8") == VTT
    assert (target / "lessons" / "01-intro.md").read_text(encoding="utf-8") == (
        "---\ntitle: 第一课\nminutes: 10\nvideo: media/01-intro.mp4\nsubtitles:\n"
        "  zh: media/01-intro.zh.vtt\n---\n")
    assert "hours_rule: video_length" in (target / "course.yaml").read_text(encoding="utf-8")
    assert check_course_tree(target).problems == []
    assert import_courses(target, actor=None).unchanged == ["VD101"]
    # The zip holds the same files, the video stored as it is (it is compressed already).
    with zipfile.ZipFile(io.BytesIO(course_zip_bytes(course))) as archive:
        assert archive.read("VD101/media/01-intro.mp4") == processed
        assert archive.getinfo("VD101/media/01-intro.mp4").compress_type == zipfile.ZIP_STORED
        assert archive.read("VD101/media/01-intro.zh.vtt").decode() == VTT
    # Exporting again over the folder after the video was dropped leaves no stale file.
    course.lessons[0].video = None
    db.session.flush()
    export_course(course, tmp_path / "out", overwrite=True)
    assert not (target / "media" / "01-intro.mp4").exists()


def test_a_video_still_processing_is_exported_as_uploaded_and_a_lost_one_refused(
        db, tmp_path, app, monkeypatch, fake_attach):
    import_courses(_write_course(tmp_path / "a"), actor=None)
    course = find_course_by_code("VD101")
    video = course.lessons[0].video
    with pytest.raises(ServiceError, match="missing from the video folder"):
        export_course(course, tmp_path / "lost")
    assert not (tmp_path / "lost").exists()
    storage.video_folder(video).mkdir(parents=True)
    storage.source_file(video).write_bytes(MOVIE)
    target = export_course(course, tmp_path / "out")
    assert (target / "media" / "01-intro.mov").read_bytes() == MOVIE


def test_the_real_attach_video_file_imports_a_course_video(db, app, tmp_path, monkeypatch):
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed (Debian package ffmpeg)")
    monkeypatch.setitem(app.config, "VIDEO_DIR", tmp_path / "video")
    folder = _write_course(tmp_path / "a")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=duration=2:size=320x240:rate=10", "-f", "lavfi", "-i",
                    "sine=duration=2", "-shortest", str(folder / "media" / "intro.mov")],
                   check=True)
    report = import_courses(folder, actor=None)
    assert report.created == ["VD101"]
    video = find_course_by_code("VD101").lessons[0].video
    assert video is not None and video.original_filename == "intro.mov"
    assert [(s.language, s.vtt) for s in video.subtitles] == [("zh", VTT)]


def test_a_lesson_the_files_no_longer_have_takes_its_video_with_it(db, tmp_path, fake_attach):
    folder = _write_course(tmp_path / "a", lesson_1=LESSON_2)  # text first, then video
    (folder / "lessons" / "02-more.md").write_text(LESSON_1, encoding="utf-8")
    import_courses(folder, actor=None)
    video_id = find_course_by_code("VD101").lessons[1].video.id
    (folder / "lessons" / "02-more.md").unlink()
    shutil.rmtree(folder / "media")
    report = import_courses(folder, actor=None)
    assert report.updated == ["VD101"]
    db.session.expire_all()
    assert db.session.get(LessonVideo, video_id) is None
    assert [e.details["lesson"] for e in audit_events("authoring.video_deleted")] == [2]
