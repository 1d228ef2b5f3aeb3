"""The lesson video page of the authoring pages: upload in chunks, resume, processing
state, subtitles, delete; who may use it."""

import io

import pytest

from app.domain.vocabulary import RoleName, VideoStatus
from app.extensions import db
from app.models import LessonVideo
from app.services.core.access import add_course_owner
from app.services.core.background import wait_for_background_jobs
from tests.factories import PASSWORD, make_course, make_user
from tests.video_samples import make_video, needs_ffmpeg

PAGE = "/teaching/courses/VD301/lessons/1/video"
VTT = "WEBVTT\n\n00:00.000 --> 00:01.000\n同志们好。\n"


@pytest.fixture
def course(tree):
    course = make_course("VD301", lessons=2)
    db.session.commit()
    return course


@pytest.fixture
def owner(course, login_as):
    user = login_as(RoleName.TRAINER)
    add_course_owner(course, user, actor=None)
    db.session.commit()
    return user


def _upload(client, data: bytes, *, chunk: int = 5000, name="讲座.mp4"):
    started = client.post(f"{PAGE}/uploads", data={"filename": name, "size": len(data)})
    assert started.status_code == 200, started.get_data(as_text=True)
    job = started.get_json()
    for offset in range(job["offset"], len(data), chunk):
        answer = client.put(f"{job['chunk_url']}?offset={offset}",
                            data=data[offset:offset + chunk])
        assert answer.get_json() == {"offset": min(offset + chunk, len(data))}
    return job


@needs_ffmpeg
def test_a_video_uploaded_in_chunks_is_processed_and_shown(client, owner, tmp_path):
    assert "本课节还没有视频" in client.get(PAGE).get_data(as_text=True)
    job = _upload(client, make_video(tmp_path / "v.mp4", seconds=2).read_bytes())
    finished = client.post(job["finish_url"])
    assert finished.get_json() == {"status": "processing", "notice": ""}
    assert "处理中" in client.get(PAGE).get_data(as_text=True)
    wait_for_background_jobs()
    db.session.expire_all()  # the job wrote through its own sessions
    state = client.get(f"{PAGE}/status.json").get_json()
    assert (state["status"], state["progress"], state["duration"]) == ("ready", 100, "00:02")
    page = client.get(PAGE).get_data(as_text=True)
    assert 'src="/courses/VD301/lessons/1/poster.jpg"' in page and "讲座.mp4" in page
    poster = client.get("/courses/VD301/lessons/1/poster.jpg")
    assert poster.mimetype == "image/jpeg" and poster.data.startswith(b"\xff\xd8")
    edit = client.get("/teaching/courses/VD301/lessons/1/edit").get_data(as_text=True)
    assert "上传或管理视频" in edit and PAGE in edit and "可以播放" in edit


@needs_ffmpeg
def test_a_chunk_at_the_wrong_offset_is_told_where_to_resume(client, owner):
    job = client.post(f"{PAGE}/uploads", data={"filename": "v.mp4", "size": 100}).get_json()
    assert client.put(f"{job['chunk_url']}?offset=0", data=b"x" * 40).get_json() == {
        "offset": 40}
    resent = client.put(f"{job['chunk_url']}?offset=0", data=b"x" * 40)
    assert (resent.status_code, resent.get_json()) == (409, {"offset": 40})
    # A reload asks again for the same file and is given the same upload at 40.
    again = client.post(f"{PAGE}/uploads", data={"filename": "v.mp4", "size": 100})
    assert (again.get_json()["id"], again.get_json()["offset"]) == (job["id"], 40)
    early = client.post(job["finish_url"])
    assert early.status_code == 422 and "40" in early.get_json()["error"]


@needs_ffmpeg
def test_a_file_that_is_not_a_video_is_refused_in_chinese(client, owner, course):
    job = _upload(client, b"<!doctype html><html><body>hi</body></html>", name="page.mp4")
    refused = client.post(job["finish_url"])
    assert refused.status_code == 422
    assert "无法将此文件识别为视频" in refused.get_json()["error"]
    db.session.expire_all()
    assert course.lessons[0].video is None


@needs_ffmpeg
def test_a_file_over_the_limit_is_refused_before_any_byte(client, owner, app, monkeypatch):
    monkeypatch.setitem(app.config, "VIDEO_MAX_BYTES", 10 * 1024 * 1024)
    refused = client.post(f"{PAGE}/uploads", data={"filename": "big.mp4",
                                                   "size": 10 * 1024 * 1024 + 1})
    assert refused.status_code == 422 and "10 MiB" in refused.get_json()["error"]


@needs_ffmpeg
def test_a_video_without_sound_is_accepted_with_a_notice(client, owner, tmp_path):
    job = _upload(client, make_video(tmp_path / "m.mp4", seconds=1, audio=False).read_bytes())
    assert "静音音轨" in client.post(job["finish_url"]).get_json()["notice"]
    wait_for_background_jobs()


@needs_ffmpeg
def test_subtitles_are_checked_and_the_video_deleted(client, owner, course, tmp_path):
    client.post(_upload(client, make_video(tmp_path / "v.mp4", seconds=1).read_bytes())[
        "finish_url"])
    wait_for_background_jobs()
    db.session.expire_all()
    bad = client.post(f"{PAGE}/subtitles", data={
        "language": "zh", "file": (io.BytesIO(b"WEBVTT\n\n00:01,000 --> 00:02,000\nx\n"),
                                   "zh.vtt")}, follow_redirects=True)
    assert "第 3 行应为字幕时间" in bad.get_data(as_text=True)
    good = client.post(f"{PAGE}/subtitles", data={
        "language": "zh", "file": (io.BytesIO(VTT.encode()), "zh.vtt")}, follow_redirects=True)
    assert "已保存中文字幕" in good.get_data(as_text=True)
    db.session.expire_all()
    assert [s.language for s in course.lessons[0].video.subtitles] == ["zh"]
    deleted = client.post(f"{PAGE}/delete", follow_redirects=True)
    assert "视频已删除" in deleted.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(db.select(LessonVideo)).all() == []


def test_without_ffmpeg_the_page_says_what_to_install(client, owner, monkeypatch):
    monkeypatch.setattr("app.services.video.processing.shutil.which", lambda name: None)
    page = client.get(PAGE).get_data(as_text=True)
    assert "apt-get install ffmpeg" in page and 'id="video-file" name="video"' in page
    assert 'id="video-upload-button" disabled' in page
    refused = client.post(f"{PAGE}/uploads", data={"filename": "v.mp4", "size": 100})
    assert refused.status_code == 422 and "ffmpeg" in refused.get_json()["error"]


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.HR])
def test_cadres_and_hr_are_refused(client, course, login_as, role):
    login_as(role)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}/status.json").status_code == 403
    assert client.post(f"{PAGE}/uploads", data={"filename": "v", "size": 1}).status_code == 403


def test_a_trainer_not_owning_the_course_is_refused(client, course, login_as):
    login_as(RoleName.TRAINER)
    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}/uploads", data={"filename": "v", "size": 1}).status_code == 403
    assert client.post(f"{PAGE}/delete").status_code == 403


@needs_ffmpeg
def test_someone_elses_upload_is_not_found(app, client, course, owner, tree):
    job = client.post(f"{PAGE}/uploads", data={"filename": "v.mp4", "size": 100}).get_json()
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    db.session.commit()
    client = app.test_client()
    client.post("/auth/login", data={"username": admin.username, "password": PASSWORD})
    assert client.get(PAGE).status_code == 200  # admins manage every course's video...
    assert client.put(f"{job['chunk_url']}?offset=0", data=b"x").status_code == 404  # ...not
    assert client.post(job["finish_url"]).status_code == 404  # another user's upload


@needs_ffmpeg
def test_a_chunk_without_the_csrf_token_is_refused(client, owner, app, monkeypatch):
    job = client.post(f"{PAGE}/uploads", data={"filename": "v.mp4", "size": 100}).get_json()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert client.put(f"{job['chunk_url']}?offset=0", data=b"x").status_code == 400
    assert db.session.get(LessonVideo, 1) is None


def test_the_status_of_a_lesson_without_video(client, owner):
    assert client.get(f"{PAGE}/status.json").get_json() == {"status": "none"}
    assert VideoStatus.PROCESSING.value == "processing"
