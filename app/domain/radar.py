"""A radar (spider) chart of competency areas as server-rendered SVG, no JavaScript.

One axis per area, clockwise from twelve o'clock; gridlines at 20, 40, 60, 80 and 100;
the person's polygon joins the points at ``radius × mastery / 100``. Labels come in the
reader's language from the caller and are XML-escaped, like the title. The chart has
role="img" with an aria-label; the page puts a table of the same figures under it for
screen readers and for anyone who prefers numbers.
"""

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

GRID_LEVELS = (20, 40, 60, 80, 100)
# Wide enough for labels such as "Digital technology in practice" beside the side axes.
WIDTH, HEIGHT = 640, 330
CENTRE = (WIDTH / 2, HEIGHT / 2)
RADIUS = 120
LABEL_GAP = 14


def axis_point(index: int, count: int, value: float, *,
               radius: float = RADIUS) -> tuple[float, float]:
    """Where ``value`` (0–100, clamped) lies on axis ``index`` of ``count``."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = radius * max(0.0, min(100.0, value)) / 100
    return CENTRE[0] + distance * math.cos(angle), CENTRE[1] + distance * math.sin(angle)


def _points(coordinates: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)


def _anchor(x: float) -> str:
    if abs(x - CENTRE[0]) < 1:
        return "middle"
    return "start" if x > CENTRE[0] else "end"


def radar_svg(axes: Sequence[tuple[str, float | None]], *, title: str) -> str:
    """The chart for (label, value 0–100 or None for no evidence) pairs, at least three."""
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    count, (cx, cy) = len(axes), CENTRE
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" style="max-width: {WIDTH}px" '
             f'aria-label={quoteattr(title)}>', f"<title>{escape(title)}</title>"]
    for level in GRID_LEVELS:
        ring = [axis_point(i, count, level) for i in range(count)]
        parts.append(f'<polygon class="radar-grid" points="{_points(ring)}" fill="none" '
                     f'stroke="#ced4da" stroke-width="1" data-level="{level}"/>')
    for index, (label, _value) in enumerate(axes):
        x, y = axis_point(index, count, 100)
        parts.append(f'<line class="radar-axis" x1="{cx:.1f}" y1="{cy:.1f}" '
                     f'x2="{x:.1f}" y2="{y:.1f}" stroke="#adb5bd" stroke-width="1"/>')
        lx, ly = axis_point(index, count, 100, radius=RADIUS + LABEL_GAP)
        baseline = ' dominant-baseline="middle"' if abs(ly - cy) < RADIUS else ""
        parts.append(f'<text class="radar-label" x="{lx:.1f}" y="{ly:.1f}" font-size="12" '
                     f'text-anchor="{_anchor(lx)}"{baseline}>{escape(label)}</text>')
    shape = [axis_point(i, count, value or 0.0) for i, (_label, value) in enumerate(axes)]
    parts.append(f'<polygon class="radar-shape" points="{_points(shape)}" fill="#0072b2" '
                 f'fill-opacity="0.25" stroke="#0072b2" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)
