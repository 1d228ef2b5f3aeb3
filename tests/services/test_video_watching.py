"""Watch time through the use cases: honest viewing completes the lesson and credits the
hours once; forged reports gain no more than the clock allows; two tabs never both count."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.watch_time import Report
from app.extensions import db
from app.models import HourCredit, LessonProgress, VideoWatch
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.video.watching import (
    answer_presence_check,
    claim_video_watch,
    describe_video_watch,
    find_video_watch,
    report_video_watch,
)
from tests.factories import make_course, make_ready_video, make_tree, make_user

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
TAB, OTHER = "tabaaaaaaaa1", "tabbbbbbbbb2"


@pytest.fixture
def setup(app):
    tree = make_tree()
    cadre = make_user(unit=tree["jiefangbei"])
    course = make_course("VD101", lessons=1, hours="2")
    video = make_ready_video(course.lessons[0], seconds=120)
    enrollment = enroll_in_course(course, actor=cadre)
    return cadre, course, video, enrollment


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def watch_honestly(video, cadre, until: int, *, tab=TAB, start=0, claim_at=0):
    """Play from ``start`` to ``until``, reporting every 15 s and answering each check."""
    claim_video_watch(video, actor=cadre, tab=tab, now=at(claim_at))
    state = None
    for position in range(start + 15, until + 1, 15):
        now = at(claim_at + position - start)
        state = report_video_watch(video, Report(position - 15, position), actor=cadre,
                                   tab=tab, now=now, final=position == until)
        if state.presence == "ask":
            state = answer_presence_check(video, actor=cadre, tab=tab, now=now)
    return state


def test_watching_to_the_end_completes_the_lesson_and_credits_the_hours_once(setup):
    cadre, course, video, enrollment = setup
    state = watch_honestly(video, cadre, 120)
    assert state.complete and state.course_completed and state.percent == 100
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 1
    credits = db.session.scalars(select(HourCredit)).all()
    assert [(c.user_id, str(c.hours)) for c in credits] == [(cadre.id, "2.0")]
    watch_honestly(video, cadre, 120, claim_at=500)  # a second viewing credits nothing more
    assert db.session.scalar(select(func.count(HourCredit.id))) == 1


def test_pending_time_counts_only_when_the_viewer_stops_or_answers(setup):
    cadre, _course, video, _enrollment = setup
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    state = report_video_watch(video, Report(0, 15), actor=cadre, tab=TAB, now=at(15))
    assert (state.watched_seconds, state.pending_seconds) == (0.0, 15.0)
    state = report_video_watch(video, Report(15, 30), actor=cadre, tab=TAB, now=at(30),
                               final=True)
    assert (state.watched_seconds, state.pending_seconds) == (30.0, 0.0)


def test_an_hour_posted_after_a_minute_credits_no_more_than_the_clock_allows(setup):
    cadre, _course, video, _enrollment = setup
    video.duration_seconds = 7200
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    state = report_video_watch(video, Report(0, 3600), actor=cadre, tab=TAB, now=at(60),
                               final=True)
    assert state.watched_seconds == 75.0  # 60 s at 1.25x


def test_a_player_at_sixteen_times_speed_is_credited_at_one_and_a_quarter(setup):
    cadre, _course, video, _enrollment = setup
    video.duration_seconds = 7200
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    for step in range(1, 9):  # 15 s of wall clock, 240 s of media each
        state = report_video_watch(video, Report((step - 1) * 240, step * 240), actor=cadre,
                                   tab=TAB, now=at(step * 15), final=step == 8)
    assert state.watched_seconds <= 120 * 1.25
    # and nothing beyond the furthest point reached: each report started past it
    assert state.watched_seconds == 18.8


def test_intervals_in_the_future_or_ahead_on_a_first_viewing_credit_nothing(setup):
    cadre, _course, video, _enrollment = setup
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    ahead = report_video_watch(video, Report(90, 105), actor=cadre, tab=TAB, now=at(15),
                               final=True)
    future = report_video_watch(video, Report(500, 515), actor=cadre, tab=TAB, now=at(30),
                                final=True)
    assert ahead.watched_seconds == future.watched_seconds == 0.0


def test_a_hidden_page_credits_nothing(setup):
    cadre, _course, video, _enrollment = setup
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    state = report_video_watch(video, Report(0, 15, visible=False), actor=cadre, tab=TAB,
                               now=at(15), final=True)
    assert state.watched_seconds == 0.0


def test_a_second_tab_takes_over_and_the_first_is_told_so(setup):
    cadre, _course, video, _enrollment = setup
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    report_video_watch(video, Report(0, 15), actor=cadre, tab=TAB, now=at(15))
    claim_video_watch(video, actor=cadre, tab=OTHER, now=at(16))
    first = report_video_watch(video, Report(15, 30), actor=cadre, tab=TAB, now=at(30))
    assert first.superseded
    second = report_video_watch(video, Report(15, 29), actor=cadre, tab=OTHER, now=at(30),
                                final=True)
    assert not second.superseded and second.watched_seconds == 29.0


def test_two_tabs_taking_turns_never_count_more_than_the_wall_clock(setup):
    cadre, _course, video, _enrollment = setup
    video.duration_seconds = 3600
    for step in range(40):  # every 15 s the other tab claims and reports the same stretch
        tab = TAB if step % 2 else OTHER
        claim_video_watch(video, actor=cadre, tab=tab, now=at(step * 15))
        report_video_watch(video, Report(step * 15, step * 15 + 15), actor=cadre, tab=tab,
                           now=at(step * 15 + 15), final=True)
        report_video_watch(video, Report(step * 15, step * 15 + 15), actor=cadre,
                           tab=OTHER if tab == TAB else TAB, now=at(step * 15 + 15), final=True)
    watch = find_video_watch(video, cadre)
    assert float(watch.watched_seconds) <= 40 * 15 * 1.25
    assert float(watch.watched_seconds) == 600.0  # the overlap counted once


def test_an_answered_presence_check_credits_what_was_pending(setup):
    cadre, _course, video, _enrollment = setup
    video.duration_seconds = 3600
    claim_video_watch(video, actor=cadre, tab=TAB, now=T0)
    find_video_watch(video, cadre).presence_due_at = at(600)
    states = [report_video_watch(video, Report(position - 15, position), actor=cadre,
                                 tab=TAB, now=at(position)) for position in range(15, 646, 15)]
    assert [s.presence for s in states[38:41]] == ["not_due", "ask", "waiting"]
    assert states[-1].watched_seconds == 0.0 and states[-1].pending_seconds == 645.0
    state = answer_presence_check(video, actor=cadre, tab=TAB, now=at(650))
    assert state.watched_seconds == 645.0 and state.presence == "not_due"


def test_an_unanswered_check_drops_the_time_since_the_last_answered_one(setup):
    cadre, _course, video, _enrollment = setup
    video.duration_seconds = 3600
    watch_honestly(video, cadre, 60)  # credited at its final report
    claim_video_watch(video, actor=cadre, tab=TAB, now=at(100))
    find_video_watch(video, cadre).presence_due_at = at(440)
    for position in range(75, 391, 15):
        report_video_watch(video, Report(position - 15, position), actor=cadre, tab=TAB,
                           now=at(100 + position - 60))
    asked = report_video_watch(video, Report(390, 405), actor=cadre, tab=TAB, now=at(445))
    assert asked.presence == "ask"
    missed = report_video_watch(video, Report(405, 420), actor=cadre, tab=TAB, now=at(520))
    assert missed.presence == "missed" and missed.pending_seconds == 0.0
    assert missed.watched_seconds == 60.0
    late = answer_presence_check(video, actor=cadre, tab=TAB, now=at(530))
    assert late.watched_seconds == 60.0 and late.furthest == 60.0


def test_the_row_stays_one_with_few_intervals_however_many_reports(setup):
    cadre, _course, video, _enrollment = setup
    video.duration_seconds = 3600
    watch_honestly(video, cadre, 1800)
    watch_honestly(video, cadre, 900, claim_at=5000)
    assert db.session.scalar(select(func.count(VideoWatch.id))) == 1
    assert find_video_watch(video, cadre).intervals == [[0.0, 1800.0]]


def test_only_enrolled_cadres_have_their_watching_recorded(setup):
    _cadre, _course, video, _enrollment = setup
    stranger = make_user(unit=_cadre.org_unit)
    with pytest.raises(PermissionDenied):
        claim_video_watch(video, actor=stranger, tab=TAB, now=T0)


def test_the_lesson_button_does_not_complete_a_lesson_whose_video_is_unwatched(setup):
    cadre, course, _video, enrollment = setup
    with pytest.raises(ServiceError):
        complete_lesson(enrollment, course.lessons[0], actor=cadre)
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 0


def test_the_viewer_resumes_where_they_stopped(setup):
    cadre, _course, video, _enrollment = setup
    watch_honestly(video, cadre, 45)
    state = describe_video_watch(video, cadre)
    assert state.position == 45.0 and state.furthest == 45.0 and not state.complete
