"""The radar (spider) chart's geometry: one definition for the page's SVG and the PDFs.

One axis per competency area, clockwise from twelve o'clock; five rings, at every fifth of
the scale (20, 40, 60, 80, 100); a value lies on its axis at ``radius × value / scale``,
clamped to the scale. No evidence (None) is not a value: its axis gets no corner (the
shape passes it by instead of dipping to 0) and renderings mark the axis 证据不足.
Positions are offsets from the centre with y pointing up, for a given radius (1 by
default): a renderer adds its own centre (and turns y down for SVG).
app.reports.charts.radar draws both renderings.
"""

import math
from collections.abc import Sequence

#: The rings' distances from the centre, as shares of the scale.
RING_SHARES = (0.2, 0.4, 0.6, 0.8, 1.0)
#: Beyond this horizontal share of an axis, its label sits beside the tip, not centred.
SIDE = 0.3

Offset = tuple[float, float]


def axis_direction(index: int, count: int) -> Offset:
    """Where axis ``index`` of ``count`` points (a unit vector, y up): the first points up."""
    angle = math.pi / 2 - 2 * math.pi * index / count
    return math.cos(angle), math.sin(angle)


def value_share(value: float, max_value: float = 100) -> float:
    """How far along its axis a value lies (0–1): clamped to the scale."""
    return max(0.0, min(float(value), max_value)) / max_value


def ring(count: int, share: float, radius: float = 1.0) -> list[Offset]:
    """The corners of a ring at ``share`` of the scale, one per axis."""
    return [point(index, count, share, radius) for index in range(count)]


def outline(values: Sequence[float | None], max_value: float = 100,
            radius: float = 1.0) -> list[Offset]:
    """The corners of the values' shape, one per axis with evidence (None has no corner)."""
    return [point(index, len(values), value_share(value, max_value), radius)
            for index, value in enumerate(values) if value is not None]


def without_evidence(values: Sequence[float | None]) -> list[int]:
    """The axes to mark 证据不足: those whose value is None."""
    return [index for index, value in enumerate(values) if value is None]


def point(index: int, count: int, share: float, radius: float = 1.0) -> Offset:
    """The offset from the centre of ``share`` along axis ``index`` (y up)."""
    dx, dy = axis_direction(index, count)
    return radius * share * dx, radius * share * dy


def label_anchor(index: int, count: int) -> str:
    """How an axis label aligns at its tip: away from the centre, or centred on the axis."""
    dx, _dy = axis_direction(index, count)
    return "start" if dx > SIDE else "end" if dx < -SIDE else "middle"
