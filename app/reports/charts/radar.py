"""The competency radar's two renderings, both from the one geometry (app.domain.radar).

``draw_radar`` puts it into a ReportLab Drawing (PDFs, and the dashboard's SVG through
render_svg); ``radar_svg`` writes the record page's own SVG, whose classes the page's CSS
and a table of the same figures go with (role="img", aria-label, XML-escaped text, no
JavaScript).
"""

from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Circle, Line, Polygon

from app.domain.radar import RING_SHARES, axis_direction, label_anchor, outline, point, ring
from app.reports.charts.common import TEXT_SIZE, Area, Pen, colour, number
from app.reports.palette import ACCENT, INK, RULE

AREA_COLOUR = "#2F6DB5"
# The page's SVG: wide enough for labels such as "Digital technology in practice" beside
# the side axes.
SVG_WIDTH, SVG_HEIGHT = 640, 330
SVG_CENTRE = (SVG_WIDTH / 2, SVG_HEIGHT / 2)
SVG_RADIUS = 120
SVG_LABEL_GAP = 14


def draw_radar(pen: Pen, area: Area, labels, values, *, max_value=100):
    size, count = TEXT_SIZE, len(labels)
    label_room = min(area.width * 0.26, max(pen.width(label, size) for label in labels) + 8)
    radius = max(10.0, min(area.width / 2 - label_room, area.height / 2 - 2.6 * size))
    centre_x, centre_y = area.x + area.width / 2, area.y + area.height / 2

    def at(offset):
        return centre_x + offset[0], centre_y + offset[1]

    for share in RING_SHARES:
        corners = [c for offset in ring(count, share, radius) for c in at(offset)]
        pen.drawing.add(Polygon(corners, strokeColor=RULE, strokeWidth=0.5,
                                fillColor=colour("#F6F8FA") if share == 1 else None))
    tips = [at(offset) for offset in ring(count, 1, radius)]
    for tip in tips:
        pen.drawing.add(Line(centre_x, centre_y, *tip, strokeColor=RULE, strokeWidth=0.5))
    corners = [at(offset) for offset in outline(values, max_value, radius)]
    pen.drawing.add(Polygon([c for corner in corners for c in corner],
                            fillColor=colour(AREA_COLOUR, 0.25),
                            strokeColor=colour(AREA_COLOUR), strokeWidth=1.5))
    for corner in corners:
        pen.drawing.add(Circle(*corner, 2.2, fillColor=colour(AREA_COLOUR), strokeColor=None))
    for index, (tip, label, value) in enumerate(zip(tips, labels, values, strict=True)):
        _axis_label(pen, tip, index, count, (label, number(value)), label_room)


def _axis_label(pen: Pen, tip, index: int, count: int, texts, room):
    """The area's name and score just outside the axis tip, anchored away from the centre."""
    size = TEXT_SIZE
    cos, sin = axis_direction(index, count)
    anchor = label_anchor(index, count)
    x, y = tip[0] + 6 * cos, tip[1] + 6 * sin
    if sin > 0.3:  # above the chart: the name on top, the score just over the tip
        y += size * 1.2
    elif sin < -0.3:  # below: the name just under the tip
        y -= size
    else:
        y += size * 0.1
    label, value = texts
    pen.text(x, y, label, size=size, colour=INK, anchor=anchor, max_width=room)
    pen.text(x, y - size * 1.2, value, size=size, colour=ACCENT, anchor=anchor)


def svg_point(offset) -> tuple[float, float]:
    """An offset of the geometry on the page's SVG, whose y points down."""
    return SVG_CENTRE[0] + offset[0], SVG_CENTRE[1] - offset[1]


def _points(offsets) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (svg_point(o) for o in offsets))


def radar_svg(axes: Sequence[tuple[str, float | None]], *, title: str) -> str:
    """The page's chart for (label, value 0–100 or None for no evidence) pairs, at least 3."""
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    count, (cx, cy) = len(axes), SVG_CENTRE
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" '
             f'viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" width="100%" '
             f'style="max-width: {SVG_WIDTH}px" aria-label={quoteattr(title)}>',
             f"<title>{escape(title)}</title>"]
    for share in RING_SHARES:
        corners = _points(ring(count, share, SVG_RADIUS))
        parts.append(f'<polygon class="radar-grid" points="{corners}" '
                     f'fill="none" stroke="#ced4da" stroke-width="1" '
                     f'data-level="{round(share * 100)}"/>')
    for index, (label, _value) in enumerate(axes):
        x, y = svg_point(point(index, count, 1, SVG_RADIUS))
        parts.append(f'<line class="radar-axis" x1="{cx:.1f}" y1="{cy:.1f}" '
                     f'x2="{x:.1f}" y2="{y:.1f}" stroke="#adb5bd" stroke-width="1"/>')
        lx, ly = svg_point(point(index, count, 1, SVG_RADIUS + SVG_LABEL_GAP))
        baseline = ' dominant-baseline="middle"' if abs(ly - cy) < SVG_RADIUS else ""
        parts.append(f'<text class="radar-label" x="{lx:.1f}" y="{ly:.1f}" font-size="12" '
                     f'text-anchor="{label_anchor(index, count)}"{baseline}>'
                     f'{escape(label)}</text>')
    shape = _points(outline([value for _label, value in axes], radius=SVG_RADIUS))
    parts.append(f'<polygon class="radar-shape" points="{shape}" fill="#0072b2" '
                 f'fill-opacity="0.25" stroke="#0072b2" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)
