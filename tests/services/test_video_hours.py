"""Issue 19, part 5: a course's hours by its videos' length, and the admin's buckets."""

from decimal import Decimal

import pytest

from app.domain.video_hours import HoursBuckets
from app.domain.vocabulary import HoursRule, RoleName, VideoStatus
from app.extensions import db
from app.models import LessonVideo, VideoHoursScheme
from app.services.core.errors import PermissionDenied
from app.services.video.hours import (
    HoursSchemeInvalid,
    complete_percent,
    get_hours_buckets,
    refresh_course_hours,
    update_video_hours_scheme,
    video_length_courses,
)
from tests.factories import audit_events, make_course, make_question, make_quiz, make_user


def _video(lesson, minutes, status=VideoStatus.READY):
    video = LessonVideo(lesson=lesson, status=status, storage_key=f"k{lesson.id}",
                        original_filename="a.mp4", source_bytes=1, source_sha256="0" * 64,
                        duration_seconds=Decimal(minutes * 60) if minutes is not None else None)
    db.session.add(video)
    return video


def _course(code, minutes_per_lesson, *, quiz=False, rule=HoursRule.VIDEO_LENGTH):
    course = make_course(code, lessons=len(minutes_per_lesson))
    course.hours_rule = rule
    for lesson, minutes in zip(course.lessons, minutes_per_lesson, strict=True):
        if minutes is not None:
            _video(lesson, minutes)
    if quiz:
        make_quiz(course, [make_question(f"{code}-Q01", course=course)])
    db.session.flush()
    return course


@pytest.mark.parametrize(("minutes", "quiz", "hours"), [
    ((12, 8), True, "1.0"),       # 20 minutes: 0.5, and the graded test 0.5
    ((25, 15), False, "1.0"),     # 40 minutes
    ((10, None), False, "0.25"),  # a micro-course
    ((10, None), True, "0.75"),
    ((30,), False, "1.0"),        # exactly 30 minutes is a long course
    ((15,), False, "0.25"),       # exactly 15 minutes is still a micro-course
])
def test_video_length_courses_earn_the_hours_of_their_bucket(app, minutes, quiz, hours):
    course = _course("VH101", minutes, quiz=quiz)
    assert refresh_course_hours(course) is True
    db.session.flush()
    db.session.expire(course)
    assert course.hours == Decimal(hours)
    assert refresh_course_hours(course) is False  # nothing moved the second time


def test_only_ready_videos_count_and_exercises_are_not_the_test(app):
    course = _course("VH102", (10, None))
    _video(course.lessons[1], 50, status=VideoStatus.PROCESSING)
    refresh_course_hours(course)
    assert course.hours == Decimal("0.25")
    course.lessons[1].video.status = VideoStatus.READY
    refresh_course_hours(course)
    assert course.hours == Decimal("1")


def test_a_course_under_the_declared_rule_keeps_its_hours(app):
    course = _course("VH103", (40,), quiz=True, rule=HoursRule.DECLARED)
    assert refresh_course_hours(course) is False
    assert course.hours == Decimal("4")


def test_the_defaults_hold_until_an_admin_saves_and_saving_recomputes(app, tree):
    admin = make_user(unit=tree["city"], roles=(RoleName.ADMIN,), username="admin1")
    long_course = _course("VH104", (40,))
    declared = _course("VH105", (40,), rule=HoursRule.DECLARED)
    refresh_course_hours(long_course)
    assert get_hours_buckets() == HoursBuckets() and complete_percent() == 95
    buckets = HoursBuckets(long_min_minutes=45, long_hours=Decimal("2"),
                           middle_hours=Decimal("1.5"), short_max_minutes=10,
                           short_hours=Decimal("0.5"), test_bonus_hours=Decimal("0"))
    changed = update_video_hours_scheme(buckets, 90, actor=admin)
    assert changed == [long_course]
    assert long_course.hours == Decimal("1.5") and declared.hours == Decimal("4")
    assert get_hours_buckets() == buckets and complete_percent() == 90
    [event] = audit_events("video.hours_scheme_changed")
    assert event.details["long_min_minutes"] == 45 and event.details["short_hours"] == "0.5"
    assert "complete_percent" in event.details["changed"]
    assert [row.course for row in video_length_courses()] == [long_course]


@pytest.mark.parametrize(("changes", "percent", "message"), [
    ({"short_max_minutes": 30}, 95, "The micro-course limit must be below"),
    ({"short_hours": Decimal("0")}, 95, "Every bucket must earn more than 0 hours."),
    ({"middle_hours": Decimal("2")}, 95, "Longer courses may not earn fewer"),
    ({"test_bonus_hours": Decimal("-1")}, 95, "The test bonus may not be negative."),
    ({}, 40, "The completion share must be between 50 % and 100 %."),
])
def test_bad_buckets_are_refused_and_change_nothing(app, tree, changes, percent, message):
    admin = make_user(unit=tree["city"], roles=(RoleName.ADMIN,), username="admin1")
    buckets = HoursBuckets(**{**HoursBuckets().__dict__, **changes})
    with pytest.raises(HoursSchemeInvalid) as refused:
        update_video_hours_scheme(buckets, percent, actor=admin)
    assert any(problem.startswith(message) for problem in refused.value.problems)
    assert db.session.get(VideoHoursScheme, 1) is None
    assert audit_events("video.hours_scheme_changed") == []


@pytest.mark.parametrize("role", [RoleName.HR, RoleName.TRAINER, RoleName.CADRE])
def test_only_admins_change_the_buckets(app, tree, role):
    user = make_user(unit=tree["city"], roles=(role,), username="someone", scope=tree["city"])
    with pytest.raises(PermissionDenied):
        update_video_hours_scheme(HoursBuckets(), 95, actor=user)
    assert db.session.get(VideoHoursScheme, 1) is None


def test_the_admins_list_reads_the_same_queries_for_any_number_of_courses(app, count_queries):
    _course("VH111", (40,), quiz=True)
    db.session.flush()
    with count_queries() as one:
        rows = video_length_courses()
    assert [(row.video_seconds, row.has_graded_test) for row in rows] == [(Decimal(2400), True)]
    for code in ("VH112", "VH113", "VH114"):
        _course(code, (10, 5))
    db.session.flush()
    with count_queries() as four:
        rows = video_length_courses()
    assert [row.video_seconds for row in rows] == [Decimal(2400)] + [Decimal(900)] * 3
    # Courses, their areas (loaded with them), the videos' sums and the graded quizzes.
    assert four.count == one.count == 4
