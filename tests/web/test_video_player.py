"""The lesson video on the web: the page, the file with HTTP ranges, subtitles, the
player's reports, and who may fetch any of it."""

import pytest

from app.extensions import db
from app.models import LessonProgress
from app.services.learning.enrollment import enroll_in_course
from app.services.video.watching import find_video_watch
from tests.factories import audit_events, make_course, make_ready_video

CONTENT = bytes(range(256)) * 40  # the factory's 10,240 bytes standing in for an MP4
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n数据是新的生产要素。\n"
BASE = "/courses/VD101/lessons/1"


@pytest.fixture
def video(app, tree):
    course = make_course("VD101", lessons=2)
    video = make_ready_video(course.lessons[0], seconds=120, files=True)
    video.subtitles[0].vtt = VTT
    db.session.commit()
    return video


@pytest.fixture
def enrolled(login_as, video):
    user = login_as("cadre")
    enroll_in_course(video.lesson.course, actor=user)
    db.session.commit()
    return user


def test_the_lesson_page_plays_the_video_with_subtitles_and_transcript(client, enrolled):
    html = client.get(BASE).get_data(as_text=True)
    assert f'src="{BASE}/video.mp4"' in html and "playsinline" in html
    assert f'src="{BASE}/subtitles/zh.vtt"' in html
    assert "数据是新的生产要素。" in html  # the transcript panel
    assert 'id="complete-button"' not in html  # the video completes the lesson
    assert "js/video_player.js" in html


@pytest.mark.parametrize(("header", "status", "content_range", "body"), [
    ("bytes=0-", 206, "bytes 0-10239/10240", CONTENT),
    ("bytes=100-199", 206, "bytes 100-199/10240", CONTENT[100:200]),
    ("bytes=10000-", 206, "bytes 10000-10239/10240", CONTENT[10000:]),
    ("bytes=-40", 206, "bytes 10200-10239/10240", CONTENT[-40:]),
    ("bytes=20000-30000", 416, "bytes */10240", None),
])
def test_ranges_are_served_as_asked(client, enrolled, header, status, content_range, body):
    response = client.get(f"{BASE}/video.mp4", headers={"Range": header})
    assert response.status_code == status
    assert response.headers["Content-Range"] == content_range
    if body is not None:
        assert response.data == body and response.headers["Accept-Ranges"] == "bytes"


def test_the_whole_file_without_a_range(client, enrolled):
    response = client.get(f"{BASE}/video.mp4")
    assert response.status_code == 200 and response.data == CONTENT
    assert response.mimetype == "video/mp4"
    assert response.headers["Cache-Control"].startswith("private")


def test_nginx_serves_the_bytes_when_configured(app, client, enrolled, video):
    app.config["VIDEO_ACCEL_REDIRECT"] = "/protected-video/"
    try:
        response = client.get(f"{BASE}/video.mp4")
    finally:
        app.config["VIDEO_ACCEL_REDIRECT"] = ""
    assert response.headers["X-Accel-Redirect"] == f"/protected-video/{video.storage_key}/video.mp4"
    assert response.data == b""


def test_subtitles_and_poster(client, enrolled):
    vtt = client.get(f"{BASE}/subtitles/zh.vtt")
    assert vtt.mimetype == "text/vtt" and "数据是新的生产要素" in vtt.get_data(as_text=True)
    assert client.get(f"{BASE}/subtitles/en.vtt").status_code == 404
    assert client.get(f"{BASE}/poster.jpg").data.startswith(b"\xff\xd8")


def test_a_cadre_not_enrolled_is_refused_and_audited(client, login_as, video):
    login_as("cadre")
    assert client.get(f"{BASE}/video.mp4").status_code == 403
    assert client.post(f"{BASE}/watch/claim", json={"tab": "abcdefgh1234"}).status_code == 403
    assert audit_events("access.refused")


def test_a_trainer_previews_without_anything_recorded(client, login_as, video):
    login_as("trainer")
    assert client.get(f"{BASE}/video.mp4", headers={"Range": "bytes=0-9"}).status_code == 206
    html = client.get(BASE).get_data(as_text=True)
    assert 'id="watch-preview"' in html and "data-report-url" not in html


def test_anonymous_visitors_sign_in_first(client, video):
    response = client.get(f"{BASE}/video.mp4")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_lesson_without_a_video_has_no_video_url(client, enrolled):
    assert client.get("/courses/VD101/lessons/2/video.mp4").status_code == 404


def test_the_player_reports_through_json(client, enrolled, video):
    tab = {"tab": "abcdefgh1234"}
    claimed = client.post(f"{BASE}/watch/claim", json=tab)
    assert claimed.status_code == 200 and claimed.json["watched_seconds"] == 0
    report = client.post(f"{BASE}/watch/report", json={**tab, "start": 0, "end": 0.5,
                                                       "final": True})
    assert report.status_code == 200 and set(report.json) >= {"percent", "presence"}
    assert find_video_watch(video, enrolled).active_tab == "abcdefgh1234"
    assert client.post(f"{BASE}/watch/report", json={**tab, "start": "x"}).status_code == 400
    assert client.post(f"{BASE}/watch/report", json={"tab": "<bad>", "start": 0,
                                                     "end": 1}).status_code == 400


def test_reports_need_the_csrf_token(app, client, enrolled):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"{BASE}/watch/claim", json={"tab": "abcdefgh1234"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400


def test_the_lesson_button_refuses_until_the_video_is_watched(client, enrolled):
    response = client.post(f"{BASE}/complete", follow_redirects=True)
    assert "本课在看完视频后自动完成，请继续观看。" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(LessonProgress)).all() == []


def test_a_report_reads_a_bounded_handful_of_rows(client, enrolled, count_queries):
    tab = {"tab": "abcdefgh1234"}
    client.post(f"{BASE}/watch/claim", json=tab)
    db.session.commit()
    with count_queries(own_context=True) as counter:
        response = client.post(f"{BASE}/watch/report", json={**tab, "start": 0, "end": 0.5})
    assert response.status_code == 200
    assert counter.count <= 4, counter.statements  # user, video+enrollment, watch, update


def test_the_course_page_marks_lessons_with_a_ready_video(client, enrolled):
    html = client.get("/courses/VD101").get_data(as_text=True)
    assert html.count("lesson-video-badge") == 1 and "视频 2 分钟" in html
