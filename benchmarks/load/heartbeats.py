"""The video-heartbeat benchmark's database side: the course and lesson video the viewers
watch, the viewers, a clean start, and what the watch rows hold afterwards.

Unlike dataset.py this writes, but only what a benchmark owns: a READY lesson video (no
file: reports never read it) when the lesson has none, and the chosen viewers' watch rows
of that video, deleted so a rerun starts clean. Everything else goes through the app.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, create_engine, text

from app.domain import watch_time
from benchmarks.load.wrk import Request

STORAGE_KEY = "benchmark-heartbeats"
VIDEO_SECONDS = 3600  # a 60-minute lecture: a minute's reports never reach its end
LESSON = 1

COURSE = text("""
SELECT c.id, c.code FROM course c
WHERE c.status = 'published'
  AND EXISTS (SELECT 1 FROM lesson l WHERE l.course_id = c.id AND l.number = :lesson)
  AND (CAST(:code AS VARCHAR) IS NULL OR c.code = :code)
ORDER BY (SELECT count(*) FROM enrollment e WHERE e.course_id = c.id) DESC, c.code
LIMIT 1
""")
VIDEO = text("""
SELECT v.id, v.status, v.duration_seconds FROM lesson_video v
JOIN lesson l ON l.id = v.lesson_id WHERE l.course_id = :course AND l.number = :lesson
""")
ADD_VIDEO = text("""
INSERT INTO lesson_video (lesson_id, status, storage_key, original_filename, source_bytes,
  source_sha256, duration_seconds, width, height, progress, created_at, processed_at)
SELECT l.id, 'ready', :key, 'benchmark-heartbeats.mp4', 0, :sha, :seconds, 1280, 720, 100,
  :now, :now
FROM lesson l WHERE l.course_id = :course AND l.number = :lesson
""")
VIEWERS = text("""
SELECT u.id, u.username FROM user_account u
JOIN enrollment e ON e.user_id = u.id AND e.course_id = :course
JOIN user_role r ON r.user_id = u.id AND r.name = 'cadre'
WHERE u.active AND NOT u.must_change_password
  AND NOT EXISTS (SELECT 1 FROM user_role o WHERE o.user_id = u.id AND o.name <> 'cadre')
ORDER BY random() LIMIT :n
""")
CLEAR = text("DELETE FROM video_watch WHERE video_id = :video AND user_id IN :ids"
             ).bindparams(bindparam("ids", expanding=True))
WATCHES = text("""
SELECT user_id, intervals, pending, watched_seconds FROM video_watch
WHERE video_id = :video AND user_id IN :ids
""").bindparams(bindparam("ids", expanding=True))


@dataclass(frozen=True)
class Setup:
    course_code: str
    video_id: int
    duration: float
    added_video: bool
    viewers: list[tuple[int, str]]  # (user id, username)


def prepare(url: str, *, viewers: int, course_code: str | None = None) -> Setup:
    """The most-enrolled published course (or ``course_code``), a ready video on its lesson 1,
    ``viewers`` random active cadres enrolled in it, their watch rows of it deleted."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            course = connection.execute(COURSE, {"lesson": LESSON, "code": course_code}).first()
            if course is None:
                raise RuntimeError("no published course with a lesson 1 in the database")
            course_id, code = course
            video = connection.execute(VIDEO, {"course": course_id, "lesson": LESSON}).first()
            added = video is None
            if added:
                connection.execute(ADD_VIDEO, {
                    "key": STORAGE_KEY, "sha": "0" * 64, "seconds": VIDEO_SECONDS,
                    "now": datetime.now(UTC).replace(tzinfo=None), "course": course_id,
                    "lesson": LESSON})
                video = connection.execute(VIDEO, {"course": course_id, "lesson": LESSON}).first()
            video_id, status, duration = video
            if status != "ready":
                raise RuntimeError(f"{code} lesson {LESSON}'s video is {status}, not ready")
            chosen = [tuple(row) for row in
                      connection.execute(VIEWERS, {"course": course_id, "n": viewers})]
            if not chosen:
                raise RuntimeError(f"no active cadre is enrolled in {code}")
            clear(connection, video_id, [user_id for user_id, _ in chosen])
    finally:
        engine.dispose()
    return Setup(code, video_id, float(duration or 0), added, chosen)


def clear(connection, video_id: int, user_ids: list[int]) -> None:
    connection.execute(CLEAR, {"video": video_id, "ids": user_ids})


def clear_watches(url: str, setup: Setup) -> None:
    """Delete the viewers' watch rows of the video (between the timed and the real-rate part)."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            clear(connection, setup.video_id, [user_id for user_id, _ in setup.viewers])
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Readout:
    """What the viewers' watch rows of the video hold."""

    rows: int
    viewers: int
    most_intervals: int  # stored intervals (credited + pending) in the fullest row
    interval_counts: dict[int, int]  # stored intervals -> rows
    credited_seconds: float
    pending_seconds: float
    covered: dict[int, float]  # user id -> seconds covered by credited and pending intervals


def read_watches(url: str, setup: Setup) -> Readout:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = list(connection.execute(WATCHES, {
                "video": setup.video_id, "ids": [user_id for user_id, _ in setup.viewers]}))
    finally:
        engine.dispose()
    counts: dict[int, int] = {}
    covered, credited, pending = {}, 0.0, 0.0
    for user_id, intervals, pending_list, watched in rows:
        intervals, pending_list = _json(intervals), _json(pending_list)
        stored = len(intervals) + len(pending_list)
        counts[stored] = counts.get(stored, 0) + 1
        credited += float(watched)
        pending += watch_time.covered_seconds(pending_list)
        covered[user_id] = watch_time.covered_seconds([*intervals, *pending_list])
    return Readout(rows=len(rows), viewers=len(setup.viewers),
                   most_intervals=max(counts, default=0),
                   interval_counts=dict(sorted(counts.items())), credited_seconds=credited,
                   pending_seconds=pending, covered=covered)


def _json(value) -> list:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def report_path(code: str) -> str:
    return f"/courses/{code}/lessons/{LESSON}/watch/report"


def claim_path(code: str) -> str:
    return f"/courses/{code}/lessons/{LESSON}/watch/claim"


def heartbeat(code: str, cookie: str, csrf: str, tab: str) -> Request:
    """One viewer's report for wrk: replay.lua fills in the line's next 15 s window."""
    body = f'{{"tab":"{tab}","start":{{start}},"end":{{end}},"final":false,"visible":true}}'
    return Request("POST", report_path(code), cookie, csrf, body)
