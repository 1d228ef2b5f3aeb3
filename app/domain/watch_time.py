"""Watch time a server can stand behind: what a player's report may credit.

The player reports, every 15 s, the media interval it played. Nothing in a report is
trusted beyond what the server can check: an interval is credited for no more media
time than the wall clock since the last report allows at the fastest permitted rate
(plus up to 30 s the previous report left unused, so network delays cost nothing),
not while the page was hidden, and on a first viewing not when it starts beyond the
furthest point reached (the player does not let anyone seek there; a forged report
gains nothing). What is credited is kept as a sorted union of intervals, so overlapping
reports from two sittings or two tabs count once and the stored list stays short.

A presence check (防挂机) is due at a random moment 10-20 minutes of playing after the
last one; what was played since the last answered check stays pending until the next
one is answered (or the viewer stops with no check outstanding), and is dropped when a
check goes unanswered.
"""

import enum
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: A report may start this far beyond the furthest point reached (a player's rounding).
SEEK_TOLERANCE_SECONDS = 1.0
#: Intervals closer than this are joined (a report boundary is not a gap in watching).
JOIN_GAP_SECONDS = 0.5

Interval = list[float]  # [start, end] in media seconds, start < end


@dataclass(frozen=True)
class WatchRules:
    max_rate: float = 1.25
    #: Media seconds of budget a report leaves unused that the next report of the same
    #: sitting may still use: a report arriving late, then the next one on time, would
    #: otherwise be clipped, and on a first viewing every later report would start beyond
    #: the furthest point (benchmarks/README.md, video heartbeats).
    carry_seconds: float = 30.0
    presence_minutes: tuple[int, int] = (10, 20)
    presence_answer_seconds: int = 60
    #: Tests only: the server's watch clock runs this many times faster than the wall clock.
    clock_factor: float = 1.0


@dataclass(frozen=True)
class Report:
    """What a player says it played since its last report."""

    start: float
    end: float
    visible: bool = True


def merge_intervals(intervals: Iterable[Sequence[float]]) -> list[Interval]:
    """The sorted union, touching intervals joined, ends rounded to a tenth of a second."""
    merged: list[Interval] = []
    for start, end in sorted((float(s), float(e)) for s, e in intervals if float(e) > float(s)):
        if merged and start <= merged[-1][1] + JOIN_GAP_SECONDS:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [[round(start, 1), round(end, 1)] for start, end in merged]


def covered_seconds(intervals: Iterable[Sequence[float]]) -> float:
    """Seconds covered by the union of the intervals."""
    return round(sum(end - start for start, end in merge_intervals(intervals)), 1)


def furthest_point(intervals: Iterable[Sequence[float]]) -> float:
    return max((float(end) for _start, end in intervals), default=0.0)


def watch_budget(last_report_at: datetime | None, now: datetime, rules: WatchRules) -> float:
    """Most media seconds a report arriving now may credit: the wall clock since the last
    report (or claim) times the fastest permitted rate; nothing without a start point."""
    if last_report_at is None:
        return 0.0
    elapsed = (now - last_report_at).total_seconds() * rules.clock_factor
    return max(0.0, elapsed) * rules.max_rate


def budget_start(now: datetime, budget: float, credited: float,
                 rules: WatchRules) -> datetime:
    """Where the next report's budget starts counting: now, less the wall-clock time that
    the budget this report left unused (at most carry_seconds of media) stands for. So
    over a sitting nothing is credited beyond the wall clock times the rate, yet a late
    report followed by a prompt one loses nothing."""
    unused = min(max(budget - credited, 0.0), rules.carry_seconds)
    return now - timedelta(seconds=unused / (rules.max_rate * rules.clock_factor))


def creditable_interval(report: Report, *, budget: float, furthest: float,
                        first_viewing: bool, duration: float) -> Interval | None:
    """The part of a reported interval that may count, or None when none may.

    Clipped to the video, to the budget from its start; refused while hidden and, on a
    first viewing, when it starts beyond the furthest point reached.
    """
    if not report.visible or budget <= 0:
        return None
    start, end = max(0.0, float(report.start)), min(float(report.end), duration)
    if first_viewing and start > furthest + SEEK_TOLERANCE_SECONDS:
        return None
    end = min(end, start + budget)
    if end - start < 0.1:
        return None
    return [round(start, 1), round(end, 1)]


class Presence(enum.StrEnum):
    """Where the presence check stands when a report arrives."""

    NOT_DUE = "not_due"
    ASK = "ask"  # due now: the player shows the check
    WAITING = "waiting"  # shown, still within the time to answer
    MISSED = "missed"  # not answered in time: pending time is dropped, playback paused


def presence_state(*, now: datetime, due_at: datetime | None, asked_at: datetime | None,
                   rules: WatchRules) -> Presence:
    if asked_at is not None:
        window = timedelta(seconds=rules.presence_answer_seconds)
        return Presence.WAITING if now <= asked_at + window else Presence.MISSED
    if due_at is not None and now >= due_at:
        return Presence.ASK
    return Presence.NOT_DUE


def next_presence_due(now: datetime, rules: WatchRules, rng: random.Random) -> datetime:
    """A random moment 10-20 minutes (of the watch clock) from now."""
    low, high = rules.presence_minutes
    seconds = rng.uniform(low * 60, high * 60) / rules.clock_factor
    return now + timedelta(seconds=seconds)


def is_complete(watched_seconds: float, duration: float, complete_percent: int) -> bool:
    """A video is complete once this share of its duration has been credited."""
    return duration > 0 and watched_seconds * 100 >= duration * complete_percent


def watched_percent(watched_seconds: float, duration: float) -> int:
    if duration <= 0:
        return 0
    return min(100, int(watched_seconds * 100 // duration))
