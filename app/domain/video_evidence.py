"""What the evidence pages say about a video: who watched it, how far, and where they left.

A viewer is a cadre with some credited watch time. The retention curve samples the video at
``points`` evenly spaced moments (the middle of each of ``points`` equal stretches, so the
first and last moments are not the very ends a player rarely reports) and gives, at each,
the share of viewers whose credited intervals cover it: the share still watching there.
Only credited intervals count (what the server accepted, app.domain.watch_time), so the
curve shows verified watching, not what a player claimed.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.watch_time import merge_intervals

DEFAULT_POINTS = 50


def sample_moments(duration: float, points: int = DEFAULT_POINTS) -> list[float]:
    """The media seconds at which the curve is sampled: the middle of each equal stretch."""
    if duration <= 0 or points <= 0:
        return []
    step = duration / points
    return [(k + 0.5) * step for k in range(points)]


def retention_curve(intervals_per_viewer: Iterable[Iterable[Sequence[float]]],
                    duration: float, points: int = DEFAULT_POINTS) -> list[float]:
    """Share (0–1) of viewers covering each sample moment; zeros when nobody watched.

    Each viewer's intervals are merged first, so overlapping intervals count a viewer once;
    a viewer with no interval of positive length is not a viewer. One pass over the
    intervals (a difference array over the sample moments): the caller may stream them.
    """
    if duration <= 0 or points <= 0:
        return []
    step = duration / points
    changes = [0] * (points + 1)
    viewers = 0
    for intervals in intervals_per_viewer:
        merged = merge_intervals(intervals)
        if not merged:
            continue
        viewers += 1
        for start, end in merged:
            # Moment k sits at (k + 0.5) * step; the interval covers start <= moment <= end.
            first = max(0, math.ceil(start / step - 0.5))
            last = min(points - 1, math.floor(end / step - 0.5))
            if first <= last:
                changes[first] += 1
                changes[last + 1] -= 1
    if viewers == 0:
        return [0.0] * points
    curve, running = [], 0
    for change in changes[:points]:
        running += change
        curve.append(running / viewers)
    return curve


@dataclass(frozen=True)
class VideoFigures:
    """A video's summary: viewers, how many completed it, the average share watched."""

    viewers: int
    completed: int
    #: Mean over viewers of the share of the video credited to them, 0–1.
    average_share: float

    @property
    def completion_rate(self) -> float:
        return self.completed / self.viewers if self.viewers else 0.0

    @property
    def completion_percent(self) -> int:
        return round(self.completion_rate * 100)

    @property
    def average_percent(self) -> int:
        return round(self.average_share * 100)


def video_figures(views: Iterable[tuple[float, bool]], duration: float) -> VideoFigures:
    """The figures from each cadre's (credited seconds, completed?); those with no credited
    time are not viewers. A share never exceeds the whole video."""
    viewers = completed = 0
    shares = 0.0
    for watched, done in views:
        if watched <= 0:
            continue
        viewers += 1
        completed += bool(done)
        shares += min(1.0, watched / duration) if duration > 0 else 0.0
    return VideoFigures(viewers, completed, shares / viewers if viewers else 0.0)


def figures_from_totals(viewers: int, completed: int, average_watched: float | None,
                        duration: float) -> VideoFigures:
    """The figures from aggregates a database computed (count, count completed, mean of the
    credited seconds, each already capped at the duration)."""
    if not viewers or duration <= 0:
        return VideoFigures(viewers or 0, completed or 0, 0.0)
    return VideoFigures(viewers, completed or 0,
                        min(1.0, float(average_watched or 0) / duration))


def moment_label(seconds: float) -> str:
    """A moment of the video as minutes and seconds: 0:05, 12:30, 75:00."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
