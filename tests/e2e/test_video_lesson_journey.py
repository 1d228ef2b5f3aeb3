"""Issue 19's journey: the trainer builds a video course (hours by video length), uploads a
lecture made here by ffmpeg, waits for processing and publishes; a cadre watches it on a
clock the server runs 16 times faster (so 5 minutes play in about 20 seconds), answers a
presence check, cannot skip ahead on the first viewing, completes it, and the ledger holds
the micro-course's 0.25 hours; a second tab then stops the first one's crediting."""

import time

import pytest
from sqlalchemy import select

from app.domain.vocabulary import CourseStatus
from app.extensions import db
from app.models import Course, HourCredit, User, VideoWatch
from tests.e2e.signing import sign_in
from tests.video_samples import make_video, needs_ffmpeg

pytestmark = [pytest.mark.e2e, needs_ffmpeg]

CODE = "VD901"
SECONDS = 300  # five minutes: a micro-course (at most 15 minutes) by the default buckets
SPEED = 16  # Chromium's fastest playback; the server's watch clock runs as fast
LEARNER = "CQ100003"


@pytest.fixture
def fast_clock(live_app, tmp_path, monkeypatch):
    """Videos in the test's folder; the watch clock 16x, reports every 2 s, presence checks
    every 2-3 minutes of the watch clock (7.5-11 s of the test's time)."""
    for key, value in {"VIDEO_DIR": tmp_path / "store", "VIDEO_CLOCK_FACTOR": float(SPEED),
                       "VIDEO_REPORT_SECONDS": 2, "VIDEO_PRESENCE_MINUTES": (2, 3)}.items():
        monkeypatch.setitem(live_app.config, key, value)
    yield
    with live_app.app_context():  # the journeys share this database: out of the catalog
        course = db.session.scalar(select(Course).where(Course.code == CODE))
        if course is not None:
            course.status = CourseStatus.ARCHIVED
            db.session.commit()


def _new_page(browser, live_server):
    page = browser.new_context(base_url=live_server, locale="zh-CN").new_page()
    page.set_default_timeout(30000)
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def _build_and_publish(page, lecture):
    sign_in(page, "trainer")
    page.goto("/teaching/courses/new")
    form = page.locator("#course-form")
    form.locator("#code").fill(CODE)
    form.locator("#title").fill("视频课：数据驱动的网格治理")
    form.locator("#summary").fill("一节五分钟的视频微课。")
    form.locator("#tier").select_option("foundation")
    form.locator('input[name="areas"][value="data"]').check()
    form.locator("#hours_rule").select_option("video_length")
    form.locator('input[name="kind"][value="elective"]').check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/lessons")
    page.locator("#new-lesson").click()
    page.locator("#title").fill("第一课 网格事件的来龙去脉")
    page.locator("#minutes").fill("5")
    page.locator("#body").fill("## 课后笔记\n\n看完视频后，回顾事件从上报到办结的每一步。\n")
    page.locator('#lesson-form button[name="action"][value="save"]').click()
    page.wait_for_url(f"**/teaching/courses/{CODE}/lessons/1/edit")

    page.goto(f"/teaching/courses/{CODE}/lessons/1/video")
    page.set_input_files("#video-file", str(lecture))
    page.click("#video-upload-button")
    page.wait_for_selector("#video-poster", timeout=90000)  # processed: the page shows it

    page.goto(f"/teaching/courses/{CODE}/publish")
    page.locator("#publish-button").click()
    page.locator("#course-status", has_text="已发布").wait_for()


def _player(page, script: str):
    return page.evaluate(f"(() => {{ const v = document.getElementById('lesson-player'); "
                         f"{script} }})()")


def _play_fast(page):
    _player(page, f"v.muted = true; v.playbackRate = {SPEED}; return v.play().then(() => 1)")


def test_a_cadre_watches_a_video_lesson_and_earns_its_hours(
        browser, live_server, live_app, fast_clock, tmp_path):
    lecture = make_video(tmp_path / "网格治理讲座.mp4", seconds=SECONDS, size="320x240", rate=10)
    trainer = _new_page(browser, live_server)
    _build_and_publish(trainer, lecture)
    trainer.context.close()

    page = _new_page(browser, live_server)
    sign_in(page, LEARNER)
    page.goto(f"/courses/{CODE}")
    page.locator("#enroll-button").click()
    page.goto(f"/courses/{CODE}/lessons/1")
    assert page.locator("#complete-button").count() == 0  # the video completes the lesson
    page.wait_for_function("() => document.getElementById('lesson-player').readyState >= 1")
    _play_fast(page)

    # A first viewing cannot jump ahead: the player comes back to what was watched.
    page.wait_for_function("() => document.getElementById('lesson-player').currentTime > 20")
    _player(page, "v.currentTime = 280;")
    page.wait_for_timeout(400)
    assert _player(page, "return v.currentTime;") < 120

    answered = 0
    deadline = time.monotonic() + 120
    while not page.locator("#lesson-done").count():
        assert time.monotonic() < deadline, page.inner_text("#watch-status")
        if page.locator("#presence-check").is_visible():
            page.locator("#presence-answer").click()
            answered += 1
        page.wait_for_timeout(300)
    assert answered >= 1  # the presence check came and was answered
    assert "已完成" in page.inner_text("#lesson-done")

    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.username == LEARNER))
        course = db.session.scalar(select(Course).where(Course.code == CODE))
        credit = db.session.scalar(select(HourCredit).where(
            HourCredit.user_id == user.id, HourCredit.course_id == course.id))
        watch = db.session.scalar(select(VideoWatch).where(VideoWatch.user_id == user.id))
        assert str(course.hours) == "0.25" and str(credit.hours) == "0.25"
        assert float(watch.watched_seconds) >= 0.95 * SECONDS and len(watch.intervals) == 1

    # A second tab takes over: the first pauses and says so.
    page.goto(f"/courses/{CODE}/lessons/1")
    page.wait_for_function("() => document.getElementById('lesson-player').readyState >= 1")
    _play_fast(page)
    second = page.context.new_page()
    second.goto(f"{live_server}/courses/{CODE}/lessons/1")
    second.wait_for_function("() => document.getElementById('lesson-player').readyState >= 1")
    _play_fast(second)
    page.locator("#watch-elsewhere").wait_for(state="visible")
    assert _player(page, "return v.paused;") is True
    assert "已在其他设备学习" in page.inner_text("#watch-elsewhere")
    page.context.close()
