"""Lesson videos and what cadres watched of them, made directly with the models (the
upload and the player are other features): shared by the video evidence tests."""

import secrets
from datetime import timedelta
from decimal import Decimal

from app.domain.learning import local_year, local_year_bounds
from app.domain.vocabulary import RoleName, VideoStatus
from app.domain.watch_time import covered_seconds, furthest_point, merge_intervals
from app.extensions import db
from app.models import CourseOwner, LessonVideo, VideoWatch
from app.models.types import utcnow
from tests.factories import make_course, make_user

YEAR = local_year(utcnow())
#: When the sample watching happened: early in this year, so this year's record shows it.
AT = local_year_bounds(YEAR)[0] + timedelta(hours=1)


def make_video(lesson, seconds=600, status=VideoStatus.READY) -> LessonVideo:
    video = LessonVideo(lesson_id=lesson.id, status=status, storage_key=secrets.token_hex(16),
                        original_filename="lecture.mp4", source_bytes=1000,
                        source_sha256="0" * 64,
                        duration_seconds=Decimal(seconds) if seconds else None)
    db.session.add(video)
    db.session.flush()
    return video


def make_watch(user, video, intervals, *, complete=False, at=AT) -> VideoWatch:
    watch = VideoWatch(user_id=user.id, video_id=video.id, intervals=merge_intervals(intervals),
                       watched_seconds=Decimal(str(covered_seconds(intervals))),
                       furthest_seconds=Decimal(str(furthest_point(intervals))),
                       completed_at=at if complete else None, updated_at=at)
    db.session.add(watch)
    db.session.flush()
    return watch


def own(course, trainer):
    db.session.add(CourseOwner(course_id=course.id, user_id=trainer.id))
    db.session.flush()


def video_people(tree) -> dict:
    """Three viewers in 渝中区 (two streets), two in 江北区; the trainer owns VE101."""
    return {
        "yz1": make_user(unit=tree["jiefangbei"], name="渝中甲"),
        "yz2": make_user(unit=tree["jiefangbei"], name="渝中乙"),
        "yz3": make_user(unit=tree["chaotianmen"], name="渝中丙"),
        "jb1": make_user(unit=tree["guanyinqiao"], name="江北甲"),
        "jb2": make_user(unit=tree["guanyinqiao"], name="江北乙"),
        "trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER]),
        "other_trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER]),
        "admin": make_user(unit=tree["city"], roles=[RoleName.ADMIN]),
        "hr_city": make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"]),
        "hr_yuzhong": make_user(unit=tree["yuzhong"], roles=[RoleName.HR],
                                scope=tree["yuzhong"]),
        "cadre": make_user(unit=tree["jiefangbei"]),
    }


def watch_course(people) -> tuple:
    """VE101: lesson 1 has a 100 s video, lesson 2 a 200 s one, lesson 3 none."""
    course = make_course("VE101")
    own(course, people["trainer"])
    first, second = make_video(course.lessons[0], 100), make_video(course.lessons[1], 200)
    make_watch(people["yz1"], first, [[0, 100]], complete=True)
    make_watch(people["yz2"], first, [[0, 50]])
    make_watch(people["yz3"], first, [[0, 20], [80, 100]])
    make_watch(people["jb1"], first, [[0, 100]], complete=True)
    make_watch(people["jb2"], first, [[0, 0]])  # opened, nothing credited: not a viewer
    make_watch(people["jb1"], second, [[0, 200]], complete=True)
    db.session.commit()
    return course, first, second
