"""The competency radar: one axis per area, rings every fifth of the scale."""

import math

from reportlab.graphics.shapes import Circle, Line, Polygon

from app.reports.charts.common import TEXT_SIZE, Area, Pen, colour, number
from app.reports.palette import ACCENT, INK, RULE

AREA_COLOUR = "#2F6DB5"
RINGS = 5


def draw_radar(pen: Pen, area: Area, labels, values, *, max_value=100):
    size = TEXT_SIZE
    label_room = min(area.width * 0.26, max(pen.width(label, size) for label in labels) + 8)
    radius = max(10.0, min(area.width / 2 - label_room, area.height / 2 - 2.6 * size))
    centre_x, centre_y = area.x + area.width / 2, area.y + area.height / 2
    angles = [math.pi / 2 - 2 * math.pi * index / len(labels) for index in range(len(labels))]

    def point(angle, share):
        return (centre_x + radius * share * math.cos(angle),
                centre_y + radius * share * math.sin(angle))

    for ring in range(1, RINGS + 1):
        corners = [coordinate for angle in angles for coordinate in point(angle, ring / RINGS)]
        pen.drawing.add(Polygon(corners, strokeColor=RULE, strokeWidth=0.5,
                                fillColor=colour("#F6F8FA") if ring == RINGS else None))
    for angle in angles:
        pen.drawing.add(Line(centre_x, centre_y, *point(angle, 1), strokeColor=RULE,
                             strokeWidth=0.5))
    shares = [min(value, max_value) / max_value for value in values]
    outline = [coordinate for angle, share in zip(angles, shares, strict=True)
               for coordinate in point(angle, share)]
    pen.drawing.add(Polygon(outline, fillColor=colour(AREA_COLOUR, 0.25),
                            strokeColor=colour(AREA_COLOUR), strokeWidth=1.5))
    for angle, share in zip(angles, shares, strict=True):
        pen.drawing.add(Circle(*point(angle, share), 2.2, fillColor=colour(AREA_COLOUR),
                               strokeColor=None))
    for angle, label, value in zip(angles, labels, values, strict=True):
        _axis_label(pen, point(angle, 1), angle, label, number(value), label_room)


def _axis_label(pen: Pen, tip, angle, label, value, room):
    """The area's name and score just outside the axis tip, anchored away from the centre."""
    size = TEXT_SIZE
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    x, y = tip[0] + 6 * cos, tip[1] + 6 * sin
    if sin > 0.3:  # above the chart: the name on top, the score just over the tip
        y += size * 1.2
    elif sin < -0.3:  # below: the name just under the tip
        y -= size
    else:
        y += size * 0.1
    pen.text(x, y, label, size=size, colour=INK, anchor=anchor, max_width=room)
    pen.text(x, y - size * 1.2, value, size=size, colour=ACCENT, anchor=anchor)
