"""The trainer uploads a lesson video in the browser, in small chunks: a chunk lost on the
way is sent again, a reload in the middle resumes from the server's offset, and the page
follows the processing until the poster is shown."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course, Lesson, LessonVideo
from tests.e2e.signing import sign_in
from tests.video_samples import make_video, needs_ffmpeg

pytestmark = [pytest.mark.e2e, needs_ffmpeg]
CHUNK = 16 * 1024


@pytest.fixture
def video_lesson(live_app, tmp_path, monkeypatch):
    """A demo course's first lesson, with videos kept in the test's folder."""
    monkeypatch.setitem(live_app.config, "VIDEO_DIR", tmp_path / "store")
    monkeypatch.setitem(live_app.config, "VIDEO_CHUNK_BYTES", CHUNK)
    with live_app.app_context():
        code = db.session.scalar(select(Course.code).order_by(Course.code))
    yield f"/teaching/courses/{code}/lessons/1/video"
    with live_app.app_context():  # the journeys share this database: the lesson is text again
        video = _lesson_video(code)
        if video is not None:
            db.session.delete(video)
            db.session.commit()


def _lesson_video(code: str) -> LessonVideo | None:
    return db.session.scalar(select(LessonVideo).join(Lesson).join(Course).where(
        Course.code == code, Lesson.number == 1))


def test_an_upload_survives_a_lost_chunk_and_a_reload(page, live_app, video_lesson, tmp_path):
    sample = make_video(tmp_path / "讲座.mp4", seconds=4, size="640x480", rate=15)
    assert sample.stat().st_size > 4 * CHUNK
    sign_in(page, "trainer")
    page.goto(video_lesson)
    offsets, aborted = [], []

    def stop_after_two_chunks(route):
        offset = int(route.request.url.rpartition("offset=")[2])
        if len(offsets) >= 2:
            aborted.append(offset)
            route.abort()
        else:
            offsets.append(offset)
            route.continue_()

    page.route("**/uploads/*?offset=*", stop_after_two_chunks)
    page.set_input_files("#video-file", str(sample))
    page.click("#video-upload-button")
    page.wait_for_selector("#video-upload-status.text-warning")  # "connection dropped"
    assert offsets == [0, CHUNK] and aborted == [2 * CHUNK]

    page.unroute("**/uploads/*?offset=*")
    page.reload()
    assert "讲座.mp4" in page.inner_text("#video-upload-status")  # remembered: resume it
    sent = []
    page.on("request", lambda request: sent.append(request.url) if "offset=" in request.url
            else None)
    page.set_input_files("#video-file", str(sample))
    page.click("#video-upload-button")
    page.wait_for_selector("#video-poster", timeout=60000)  # processed, the page reloaded
    assert sent[0].endswith(f"offset={2 * CHUNK}")  # resumed, not started again
    assert "可以播放" in page.inner_text("#video-state")
    with live_app.app_context():
        video = _lesson_video(video_lesson.split("/")[3])
        assert video.source_bytes == sample.stat().st_size and video.width == 640
