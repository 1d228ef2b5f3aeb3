"""The competency radar's two renderings, both from the one geometry (app.domain.radar).

``draw_radar`` puts it into a ReportLab Drawing (PDFs, and the dashboard's SVG through
render_svg); ``radar_svg`` writes the record page's own SVG, whose classes the page's CSS
and a table of the same figures go with (role="img", aria-label, XML-escaped text, no
JavaScript).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Circle, Line, Polygon, PolyLine

from app.domain.chart_labels import wrap_label
from app.domain.radar import (
    RING_SHARES,
    axis_direction,
    label_anchor,
    outline,
    point,
    ring,
    without_evidence,
)
from app.reports.charts.common import NO_EVIDENCE_TEXT, TEXT_SIZE, Area, Pen, colour, number
from app.reports.palette import ACCENT, INK, MUTED, RULE

#: What an area without evidence says, on its axis and in the note under the chart.
NO_EVIDENCE = NO_EVIDENCE_TEXT
NO_EVIDENCE_NOTE = "虚线轴：证据不足，未计为 0"

AREA_COLOUR = "#2F6DB5"
LINE_HEIGHT = 1.25  # of the label font, between stacked lines of the page's SVG


@dataclass(frozen=True)
class RadarFrame:
    """The page's SVG radar: its size (in px when shown at that size), the scale's radius,
    the labels' font size and their gap to the axis tips."""

    width: float
    height: float
    radius: float
    font: float
    gap: float = 14

    @property
    def centre(self) -> tuple[float, float]:
        return self.width / 2, self.height / 2


#: Wide enough for labels such as "Digital technology in practice" beside the side axes.
PAGE_RADAR = RadarFrame(640, 330, 120, 12)
#: A phone's: drawn at about the phone's width so that its text stays at 13 px (a page's
#: radar shrunk to a phone has 6 px labels); labels wrap onto two lines where they must.
PHONE_RADAR = RadarFrame(340, 320, 88, 13)
SVG_CENTRE, SVG_RADIUS = PAGE_RADAR.centre, PAGE_RADAR.radius


def draw_radar(pen: Pen, area: Area, labels, values, *, max_value=100):
    """Rings, spokes, the shape through the areas with evidence, and 证据不足 (dashed spoke,
    grey text, a note) on the areas without: no evidence is not drawn as a 0. A label too
    wide for the room beside the chart wraps onto a second line."""
    size, count = TEXT_SIZE, len(labels)
    missing = set(without_evidence(values))
    note = size * 1.6 if missing else 0
    label_room = min(area.width * 0.26, max(pen.width(label, size) for label in labels) + 8)
    names = [wrap_label(label, label_room - 6, size) for label in labels]
    stacked = (max(len(lines) for lines in names) + 1) * 1.2 + 0.2  # name lines and the score
    radius = max(10.0, min(area.width / 2 - label_room,
                           (area.height - note) / 2 - stacked * size))
    centre_x, centre_y = area.x + area.width / 2, area.y + (area.height + note) / 2

    def at(offset):
        return centre_x + offset[0], centre_y + offset[1]

    for share in RING_SHARES:
        corners = [c for offset in ring(count, share, radius) for c in at(offset)]
        pen.drawing.add(Polygon(corners, strokeColor=RULE, strokeWidth=0.5,
                                fillColor=colour("#F6F8FA") if share == 1 else None))
    tips = [at(offset) for offset in ring(count, 1, radius)]
    for index, tip in enumerate(tips):
        pen.drawing.add(Line(centre_x, centre_y, *tip, strokeWidth=0.5 if index not in missing
                             else 1, strokeColor=RULE if index not in missing else MUTED,
                             strokeDashArray=[2, 2] if index in missing else None))
    _shape(pen, [at(offset) for offset in outline(values, max_value, radius)])
    for index, (tip, lines, value) in enumerate(zip(tips, names, values, strict=True)):
        _axis_label(pen, tip, index, count, (lines, value), label_room)
    if missing:
        pen.text(area.x + area.width / 2, area.y + 2, NO_EVIDENCE_NOTE, size=size - 1,
                 colour=MUTED, anchor="middle", max_width=area.width)


def _shape(pen: Pen, corners) -> None:
    """The mastery shape: a filled polygon from three corners, else a line or a dot."""
    flat = [c for corner in corners for c in corner]
    if len(corners) >= 3:
        pen.drawing.add(Polygon(flat, fillColor=colour(AREA_COLOUR, 0.25),
                                strokeColor=colour(AREA_COLOUR), strokeWidth=1.5))
    elif len(corners) == 2:
        pen.drawing.add(PolyLine(flat, strokeColor=colour(AREA_COLOUR), strokeWidth=1.5))
    for corner in corners:
        pen.drawing.add(Circle(*corner, 2.2, fillColor=colour(AREA_COLOUR), strokeColor=None))


def _axis_label(pen: Pen, tip, index: int, count: int, texts, room):
    """The area's name (one or two lines) and its score just outside the axis tip, anchored
    away from the centre: above an upward tip, below a downward one, centred beside."""
    size, step = TEXT_SIZE, TEXT_SIZE * 1.2
    cos, sin = axis_direction(index, count)
    anchor = label_anchor(index, count)
    lines, value = texts
    x, y = tip[0] + 6 * cos, tip[1] + 6 * sin
    if sin > 0.3:  # above the chart: the score just over the tip, the name on top of it
        y += step * len(lines)
    elif sin < -0.3:  # below: the name just under the tip
        y -= size
    else:
        y += size * 0.1 + (len(lines) - 1) * step / 2
    for row, line in enumerate(lines):
        pen.text(x, y - row * step, line, size=size, colour=INK, anchor=anchor,
                 max_width=room)
    y -= len(lines) * step
    if value is None:
        pen.text(x, y, NO_EVIDENCE, size=size, colour=MUTED, anchor=anchor)
    else:
        pen.text(x, y, number(value), size=size, colour=ACCENT, anchor=anchor)


def svg_point(offset, frame: RadarFrame = PAGE_RADAR) -> tuple[float, float]:
    """An offset of the geometry on the page's SVG, whose y points down."""
    return frame.centre[0] + offset[0], frame.centre[1] - offset[1]


def _points(offsets, frame: RadarFrame) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (svg_point(o, frame) for o in offsets))


def radar_svg(axes: Sequence[tuple[str, float | None]], *, title: str,
              frame: RadarFrame = PAGE_RADAR) -> str:
    """The page's chart for (label, value 0–100 or None for no evidence) pairs, at least 3."""
    if len(axes) < 3:
        raise ValueError("a radar chart needs at least three axes")
    count, cx = len(axes), frame.centre[0]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" '
             f'viewBox="0 0 {frame.width} {frame.height}" width="100%" '
             f'style="max-width: {frame.width}px" aria-label={quoteattr(title)}>',
             f"<title>{escape(title)}</title>"]
    for share in RING_SHARES:
        corners = _points(ring(count, share, frame.radius), frame)
        parts.append(f'<polygon class="radar-grid" points="{corners}" '
                     f'fill="none" stroke="#ced4da" stroke-width="1" '
                     f'data-level="{round(share * 100)}"/>')
    missing = set(without_evidence([value for _label, value in axes]))
    for index, (label, _value) in enumerate(axes):
        parts.extend(_svg_axis(frame, index, count, label, index in missing))
    shape = _points(outline([value for _label, value in axes], radius=frame.radius), frame)
    if shape:
        parts.append(f'<polygon class="radar-shape" points="{shape}" fill="#0072b2" '
                     f'fill-opacity="0.25" stroke="#0072b2" stroke-width="2"/>')
    if missing:
        parts.append(f'<text class="radar-note" x="{cx:.1f}" y="{frame.height - 4}" '
                     f'font-size="{frame.font - 1}" fill="#6c757d" text-anchor="middle">'
                     f'{NO_EVIDENCE_NOTE}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_axis(frame: RadarFrame, index: int, count: int, label: str,
              missing: bool) -> list[str]:
    """One spoke and its label; a spoke without evidence is dashed and says 证据不足."""
    (cx, cy), (x, y) = frame.centre, svg_point(point(index, count, 1, frame.radius), frame)
    style = ' stroke-dasharray="4 3"' if missing else ""
    parts = [f'<line class="radar-axis{" radar-no-evidence" if missing else ""}" '
             f'x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#adb5bd" '
             f'stroke-width="1"{style}/>']
    anchor = label_anchor(index, count)
    lines = [("radar-label", text, "") for text in
             wrap_label(label, _label_room(frame, index, count), frame.font)]
    if missing:
        lines.append(("radar-no-evidence", NO_EVIDENCE, ' fill="#6c757d"'))
    lx, top = _label_block(frame, index, count, len(lines))
    for row, (css, text, fill) in enumerate(lines):
        baseline = top + frame.font * (LINE_HEIGHT * row + 0.9)
        parts.append(f'<text class="{css}" x="{lx:.1f}" y="{baseline:.1f}" '
                     f'font-size="{frame.font}"{fill} text-anchor="{anchor}">'
                     f'{escape(text)}</text>')
    return parts


def _label_room(frame: RadarFrame, index: int, count: int) -> float:
    """How wide an axis's label may be: from its start to the edge it runs towards."""
    lx, _ly = svg_point(point(index, count, 1, frame.radius + frame.gap), frame)
    anchor = label_anchor(index, count)
    if anchor == "start":
        return frame.width - lx - 4
    if anchor == "end":
        return lx - 4
    return 2 * min(lx, frame.width - lx) - 8


def _label_block(frame: RadarFrame, index: int, count: int, lines: int) -> tuple[float, float]:
    """Where an axis's lines start (x, top): above an upward tip, below a downward one,
    beside a sideways one, centred on it."""
    lx, ly = svg_point(point(index, count, 1, frame.radius + frame.gap), frame)
    height = frame.font * LINE_HEIGHT * lines
    _dx, dy = axis_direction(index, count)
    if dy > 0.5:
        return lx, ly - height
    if dy < -0.5:
        return lx, ly
    return lx, ly - height / 2
