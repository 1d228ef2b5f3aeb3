from datetime import datetime
from decimal import Decimal

import pytest

from app.domain.learning import CITY_TIMEZONE
from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.services.core.errors import NotFound, PermissionDenied
from app.services.video.evidence import (
    course_video_evidence,
    find_course_video_evidence,
    video_lines_by_user,
    video_watch_lines,
)
from tests.factories import make_course, make_user
from tests.video_data import YEAR, make_video, make_watch, video_people, watch_course


@pytest.fixture
def people(tree):
    return video_people(tree)


@pytest.fixture
def watched(people):
    return watch_course(people)

def test_an_owner_sees_every_viewer(people, watched):
    course, _first, _second = watched
    evidence = course_video_evidence(course, actor=people["trainer"], points=10)
    assert not evidence.scoped
    first, second = evidence.videos
    assert (first.lesson_number, first.duration_seconds) == (1, 100.0)
    assert (first.figures.viewers, first.figures.completed) == (4, 2)
    assert first.figures.average_share == pytest.approx((1 + 0.5 + 0.4 + 1) / 4)
    assert first.figures.completion_percent == 50
    # Moments 5, 15, ..., 95: all four to 15, three to 45, two from 55 to 75, three after.
    assert first.curve == pytest.approx([1, 1, .75, .75, .75, .5, .5, .5, .75, .75])
    assert first.moments[0] == 5 and len(first.moments) == 10
    assert (second.figures.viewers, second.figures.completion_percent) == (1, 100)


def test_admin_sees_every_viewer_and_the_default_curve_has_fifty_points(people, watched):
    evidence = find_course_video_evidence("VE101", actor=people["admin"])
    assert evidence.videos[0].figures.viewers == 4 and len(evidence.videos[0].curve) == 50


def test_hr_of_yuzhong_sees_only_yuzhong_viewers(people, watched):
    course, _first, _second = watched
    evidence = course_video_evidence(course, actor=people["hr_yuzhong"], points=10)
    assert evidence.scoped
    first, second = evidence.videos
    assert (first.figures.viewers, first.figures.completed) == (3, 1)
    assert first.figures.average_share == pytest.approx((1 + 0.5 + 0.4) / 3)
    assert first.curve[0] == 1 and first.curve[5] == pytest.approx(1 / 3)
    assert (second.figures.viewers, second.curve) == (0, [0.0] * 10)  # 江北 only


def test_city_hr_sees_everyone_but_still_through_the_scope(people, watched):
    evidence = find_course_video_evidence("VE101", actor=people["hr_city"], points=10)
    assert evidence.scoped and evidence.videos[0].figures.viewers == 4


@pytest.mark.parametrize("who", ["other_trainer", "cadre"])
def test_a_trainer_not_owning_the_course_and_a_cadre_are_refused(people, watched, who):
    with pytest.raises(PermissionDenied):
        find_course_video_evidence("VE101", actor=people[who])


def test_an_unknown_course_is_not_found(people):
    with pytest.raises(NotFound):
        find_course_video_evidence("NOPE", actor=people["admin"])


def test_videos_not_ready_are_left_out_and_a_course_without_video_has_none(people, watched):
    course, _first, _second = watched
    make_video(course.lessons[2], None, status=VideoStatus.PROCESSING)
    assert [v.lesson_number for v in course_video_evidence(
        course, actor=people["admin"]).videos] == [1, 2]
    plain = make_course("TX101")
    assert course_video_evidence(plain, actor=people["admin"]).videos == []


def test_the_queries_do_not_grow_with_the_viewers(people, watched, count_queries):
    course, first, _second = watched
    with count_queries() as few:
        course_video_evidence(course, actor=people["hr_yuzhong"])
    for n in range(30):
        make_watch(make_user(unit=people["yz1"].org_unit), first, [[0, n + 1]])
    db.session.commit()
    with count_queries() as many:
        evidence = course_video_evidence(course, actor=people["hr_yuzhong"])
    video_reads = [s for s in many.statements if "video" in s]
    # The videos, the figures of all of them, one curve per video with viewers in scope.
    assert len(video_reads) == 3 and many.count == few.count
    assert evidence.videos[0].figures.viewers == 33


def test_a_cadres_lines_per_video(people, watched):
    lines = video_watch_lines(people["jb1"], actor=people["jb1"])
    assert [(line.course_code, line.lesson_number, line.percent) for line in lines] == [
        ("VE101", 1, 100), ("VE101", 2, 100)]
    line = video_watch_lines(people["yz3"], YEAR, actor=people["hr_yuzhong"])[0]
    assert line.lesson_title == "第1课" and line.watched_seconds == Decimal("40.0")
    assert line.watched_minutes == Decimal("0.7") and line.duration_minutes == Decimal("1.7")
    assert line.percent == 40 and line.completed_at is None
    assert video_watch_lines(people["jb2"], actor=people["admin"]) == []  # nothing credited


def test_lines_are_those_of_the_year_asked_for(people, watched):
    _course, first, _second = watched
    last_year_end = datetime(YEAR - 1, 12, 31, 23, tzinfo=CITY_TIMEZONE)
    make_watch(people["cadre"], first, [[0, 100]], complete=True, at=last_year_end)
    db.session.commit()
    assert len(video_watch_lines(people["cadre"], YEAR - 1, actor=people["cadre"])) == 1
    assert video_watch_lines(people["cadre"], YEAR, actor=people["cadre"]) == []
    assert len(video_watch_lines(people["cadre"], actor=people["cadre"])) == 1


def test_hr_outside_the_scope_may_not_read_a_cadres_lines(people, watched):
    with pytest.raises(PermissionDenied):
        video_watch_lines(people["jb1"], actor=people["hr_yuzhong"])
    with pytest.raises(PermissionDenied):
        video_watch_lines(people["jb1"], actor=people["cadre"])


def test_lines_of_many_cadres_take_one_query(people, watched, count_queries):
    ids = [people[k].id for k in ("yz1", "yz2", "jb1", "cadre")]
    with count_queries() as counter:
        lines = video_lines_by_user(ids, None)
    assert counter.count == 1
    assert {k: len(v) for k, v in lines.items()} == {
        people["yz1"].id: 1, people["yz2"].id: 1, people["jb1"].id: 2}
