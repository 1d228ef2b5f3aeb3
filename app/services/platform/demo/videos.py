"""The demo's video lessons: lecture videos generated from two shipped lessons' text,
attached and processed as a trainer's upload would be, then watched by some demo cadres
through the watch-time use case, so the player, the evidence pages and the records have
something real to show (docs/video.md). Needs ffmpeg and espeak-ng; says so without them.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.domain.demo_videos import DEMO_LECTURES, VIEWER_SHARE, demo_stop_point, report_windows
from app.domain.watch_time import Report
from app.extensions import db
from app.models import Course, Enrollment, Lesson, LessonVideo, User, VideoWatch
from app.models.types import clock_shifted, utcnow
from app.services.core.errors import ServiceError
from app.services.platform.demo.lecture_video import build_lecture_video, lecture_tools_missing
from app.services.video.uploads import attach_video_file
from app.services.video.watching import claim_video_watch, report_video_watch

#: The demo's viewers watched within the last weeks, one sitting each.
WATCHED_WITHIN_DAYS = 40


@dataclass
class DemoVideos:
    missing_tools: list[str] = field(default_factory=list)
    attached: list[LessonVideo] = field(default_factory=list)
    already_ready: int = 0


def attach_demo_videos(folder: Path) -> DemoVideos:
    """Build (once; the files are kept in ``folder``) and attach each demo lecture whose
    lesson has no ready video yet. The caller commits, then processes ``attached``."""
    if not current_app.config.get("DEMO_ALLOWED", False):
        raise ServiceError("demo data is refused under this configuration (production)")
    outcome = DemoVideos(missing_tools=lecture_tools_missing())
    if outcome.missing_tools:
        return outcome
    for lecture in DEMO_LECTURES:
        lesson = db.session.scalar(select(Lesson).join(Course).where(
            Course.code == lecture.course_code, Lesson.number == lecture.lesson_number))
        if lesson is None:
            continue
        if lesson.video is not None and lesson.video.is_ready:
            outcome.already_ready += 1
            continue
        target = folder / lecture.folder
        video_file, subtitles = target / "lecture.mp4", target / "lecture.zh.vtt"
        if not (video_file.exists() and subtitles.exists()):
            build_lecture_video(lesson.body_markdown, lesson.title, target,
                                course_title=f"{lesson.course.code} {lesson.course.title}")
        outcome.attached.append(attach_video_file(
            lesson, video_file, f"{lecture.folder}.mp4", actor=None,
            subtitles={"zh": subtitles.read_text(encoding="utf-8")}))
    return outcome


def watch_demo_videos(seed: int = 19) -> int:
    """Some enrolled demo cadres watch each ready demo lecture nobody has watched yet (so a
    second run adds nothing); returns how many sittings were played."""
    rng, sittings = random.Random(seed), 0
    for lecture in DEMO_LECTURES:
        video = db.session.scalar(select(LessonVideo).join(Lesson).join(Course).where(
            Course.code == lecture.course_code, Lesson.number == lecture.lesson_number))
        if video is None or not video.is_ready:
            continue
        for cadre in _demo_viewers(video, rng):
            _watch(video, cadre, rng)
            sittings += 1
    return sittings


def _demo_viewers(video: LessonVideo, rng: random.Random) -> list[User]:
    if db.session.scalar(select(VideoWatch.id).where(VideoWatch.video_id == video.id).limit(1)):
        return []
    cadres = list(db.session.scalars(
        select(User).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.course_id == video.lesson.course_id, User.username.like("CQ%"))
        .order_by(User.id)))
    return [cadre for cadre in cadres if rng.random() < VIEWER_SHARE]


def _watch(video: LessonVideo, cadre: User, rng: random.Random) -> None:
    """One sitting from the start to where this viewer stopped, reported every 15 s."""
    duration = float(video.duration_seconds)
    stop = demo_stop_point(rng, duration)
    tab = f"demo{cadre.id:08d}"
    with clock_shifted(-timedelta(days=rng.randint(1, WATCHED_WITHIN_DAYS),
                                  minutes=rng.randint(0, 600))):
        start = utcnow()
        claim_video_watch(video, actor=cadre, tab=tab, now=start)
        windows = report_windows(stop)
        for index, (begin, end) in enumerate(windows):
            report_video_watch(video, Report(begin, end), actor=cadre, tab=tab,
                               now=start + timedelta(seconds=end + 0.5),
                               final=index == len(windows) - 1)
