"""Watching a lesson video: claiming the device, reports of what played, presence checks.

One VideoWatch row per cadre and video, locked for the update (two tabs reporting at once
queue behind each other). The tab that last started playing credits; any other tab's
reports are refused with `superseded`, and its player pauses ("已在其他设备学习").
What a report may credit is decided by app.domain.watch_time; reaching the completion
share completes the lesson through the same use case as the lesson's button, so the
course completes and its hours are credited once, as for any lesson.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain import watch_time
from app.domain.watch_time import Presence, Report, WatchRules
from app.extensions import db
from app.models import Enrollment, LessonVideo, User, VideoWatch
from app.models.types import utcnow
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.learning.enrollment import complete_lesson
from app.services.video.hours import complete_percent

_rng = random.SystemRandom()


class VideoNotReady(ServiceError):
    """The video is still processing or failed: nothing to watch."""


@dataclass(frozen=True)
class WatchState:
    """What the player is told after a claim, a report or an answered check."""

    watched_seconds: float
    pending_seconds: float
    percent: int
    furthest: float
    position: float
    complete: bool
    presence: str = Presence.NOT_DUE.value
    superseded: bool = False
    course_completed: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def watch_rules() -> WatchRules:
    config = current_app.config
    return WatchRules(max_rate=float(config["VIDEO_MAX_RATE"]),
                      presence_minutes=tuple(config["VIDEO_PRESENCE_MINUTES"]),
                      presence_answer_seconds=int(config["VIDEO_PRESENCE_ANSWER_SECONDS"]),
                      clock_factor=float(config["VIDEO_CLOCK_FACTOR"]))


def find_video_watch(video: LessonVideo, user: User) -> VideoWatch | None:
    return db.session.scalar(select(VideoWatch).where(
        VideoWatch.video_id == video.id, VideoWatch.user_id == user.id))


def claim_video_watch(video: LessonVideo, *, actor: User, tab: str,
                      now: datetime | None = None,
                      enrollment: Enrollment | None = None) -> WatchState:
    """The actor pressed play in this tab: it credits from now on, any other tab stops.
    What the previous sitting left pending is settled first: credited when no check was
    outstanding, dropped when one went unanswered."""
    sitting = _sit(video, actor, enrollment, now)
    watch, now, state = sitting.watch, sitting.now, sitting.presence
    if state is Presence.MISSED:
        _drop_pending(watch)
    elif state is not Presence.WAITING:
        _promote_pending(watch, now)
    if state is not Presence.WAITING:
        watch.presence_asked_at = None
        watch.presence_due_at = watch_time.next_presence_due(now, sitting.rules, _rng)
    watch.active_tab, watch.last_report_at, watch.updated_at = tab[:32], now, now
    return _state(watch, _completion(watch, sitting.enrollment, actor),
                  presence=state if state is Presence.WAITING else Presence.NOT_DUE)


def report_video_watch(video: LessonVideo, report: Report, *, actor: User, tab: str,
                       final: bool = False, now: datetime | None = None,
                       enrollment: Enrollment | None = None) -> WatchState:
    """Credit what the active tab says it played, as far as the clock makes plausible.
    ``final`` marks the report sent on pause, end or leaving the page."""
    sitting = _sit(video, actor, enrollment, now)
    watch, now, state = sitting.watch, sitting.now, sitting.presence
    if watch.active_tab != tab[:32]:
        return _state(watch, False, superseded=True)
    if state is Presence.MISSED:
        _drop_pending(watch)
        watch.last_report_at = watch.updated_at = now
        return _state(watch, False, presence=state)
    _credit(watch, report, now, sitting.rules, duration=float(video.duration_seconds or 0))
    if state is Presence.ASK:
        watch.presence_asked_at = now
    elif final and state is Presence.NOT_DUE:
        _promote_pending(watch, now)
    return _state(watch, _completion(watch, sitting.enrollment, actor), presence=state)


def answer_presence_check(video: LessonVideo, *, actor: User, tab: str,
                          now: datetime | None = None,
                          enrollment: Enrollment | None = None) -> WatchState:
    """"我在学习": in time, what was pending is credited; too late, it is dropped and the
    player starts again from a fresh check."""
    sitting = _sit(video, actor, enrollment, now)
    watch, now, state = sitting.watch, sitting.now, sitting.presence
    if watch.active_tab != tab[:32]:
        return _state(watch, False, superseded=True)
    if state is Presence.MISSED:
        _drop_pending(watch)
        watch.last_report_at = now
    elif state is Presence.WAITING:
        _promote_pending(watch, now)
    watch.presence_asked_at = None
    watch.presence_due_at = watch_time.next_presence_due(now, sitting.rules, _rng)
    watch.updated_at = now
    return _state(watch, _completion(watch, sitting.enrollment, actor),
                  presence=Presence.MISSED if state is Presence.MISSED else Presence.NOT_DUE)


def describe_video_watch(video: LessonVideo, user: User) -> WatchState:
    """The viewer's standing when the lesson page opens (nothing is written)."""
    watch = find_video_watch(video, user)
    if watch is None:
        return WatchState(0.0, 0.0, 0, 0.0, 0.0, False)
    return _state(watch, False)


# --- the rules applied to one row ------------------------------------------------------

@dataclass(frozen=True)
class _Sitting:
    """One call's view of the row: locked, with the clock and the presence check's state."""

    watch: VideoWatch
    enrollment: Enrollment
    now: datetime
    rules: WatchRules
    presence: Presence


def _sit(video: LessonVideo, actor: User, enrollment: Enrollment | None,
         now: datetime | None) -> _Sitting:
    now, rules = now or utcnow(), watch_rules()
    enrollment = _enrollment_for(video, actor, enrollment)
    watch = _watch_for_update(video, actor)
    return _Sitting(watch, enrollment, now, rules, _presence(watch, now, rules))


def _enrollment_for(video: LessonVideo, actor: User,
                    known: Enrollment | None) -> Enrollment:
    """The actor's enrollment in the video's course (``known`` when the caller read it)."""
    if not video.is_ready:
        raise VideoNotReady("video not ready")
    if known is not None and known.user_id == actor.id:
        return known
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == actor.id, Enrollment.course_id == video.lesson.course_id))
    if enrollment is None:
        raise PermissionDenied("only enrolled cadres' watching is recorded")
    return enrollment


def _watch_for_update(video: LessonVideo, actor: User) -> VideoWatch:
    query = select(VideoWatch).where(VideoWatch.video_id == video.id,
                                     VideoWatch.user_id == actor.id).with_for_update()
    watch = db.session.scalar(query)
    if watch is not None:
        return watch
    try:
        with db.session.begin_nested():
            db.session.add(VideoWatch(video_id=video.id, user_id=actor.id, intervals=[],
                                      pending=[], watched_seconds=0, furthest_seconds=0,
                                      position_seconds=0))
    except IntegrityError:
        pass  # the other tab's first report made it
    return db.session.scalar(query.execution_options(populate_existing=True))


def _presence(watch: VideoWatch, now: datetime, rules: WatchRules) -> Presence:
    return watch_time.presence_state(now=now, due_at=watch.presence_due_at,
                                     asked_at=watch.presence_asked_at, rules=rules)


def _credit(watch: VideoWatch, report: Report, now: datetime, rules: WatchRules, *,
            duration: float) -> None:
    budget = watch_time.watch_budget(watch.last_report_at, now, rules)
    interval = watch_time.creditable_interval(
        report, budget=budget, furthest=float(watch.furthest_seconds),
        first_viewing=watch.completed_at is None, duration=duration)
    if interval is not None:
        watch.pending = watch_time.merge_intervals([*watch.pending, interval])
        watch.furthest_seconds = Decimal(str(max(float(watch.furthest_seconds), interval[1])))
    position = min(max(float(report.end), 0.0), duration)
    watch.position_seconds = Decimal(str(round(position, 1)))
    credited = interval[1] - interval[0] if interval is not None else 0.0
    watch.last_report_at = watch_time.budget_start(now, budget, credited, rules)
    watch.updated_at = now


def _promote_pending(watch: VideoWatch, now: datetime) -> None:
    if not watch.pending:
        return
    watch.intervals = watch_time.merge_intervals([*watch.intervals, *watch.pending])
    watch.pending = []
    watch.watched_seconds = Decimal(str(watch_time.covered_seconds(watch.intervals)))
    watch.updated_at = now


def _drop_pending(watch: VideoWatch) -> None:
    watch.pending = []
    watch.furthest_seconds = Decimal(str(watch_time.furthest_point(watch.intervals)))


def _completion(watch: VideoWatch, enrollment: Enrollment, actor: User) -> bool:
    """Complete the video (and through it the lesson) once enough is credited; True when
    this completed the course."""
    if watch.completed_at is not None:
        return False
    duration, watched = float(watch.video.duration_seconds or 0), float(watch.watched_seconds)
    # The share is read only near the end: the scheme allows no less than half.
    if not watch_time.is_complete(watched, duration, 50) or not watch_time.is_complete(
            watched, duration, complete_percent()):
        return False
    watch.completed_at = utcnow()
    return complete_lesson(enrollment, watch.video.lesson, actor=actor)


def _state(watch: VideoWatch, course_completed: bool, *, superseded: bool = False,
           presence: Presence = Presence.NOT_DUE) -> WatchState:
    duration = float(watch.video.duration_seconds or 0)
    watched = float(watch.watched_seconds)
    return WatchState(
        watched_seconds=watched,
        pending_seconds=watch_time.covered_seconds(watch.pending),
        percent=watch_time.watched_percent(watched, duration),
        furthest=float(watch.furthest_seconds), position=float(watch.position_seconds),
        complete=watch.completed_at is not None, presence=presence.value,
        superseded=superseded, course_completed=course_completed)
