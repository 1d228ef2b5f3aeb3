"""The rating distribution: one bar split by rating, and a legend with counts and shares."""

from reportlab.graphics.shapes import Rect
from reportlab.lib import colors

from app.reports.charts.common import TEXT_SIZE, Area, Pen, colour, number
from app.reports.palette import INK


def draw_rating(pen: Pen, area: Area, labels, counts, colours):
    total = sum(counts)
    bar_height = min(28.0, area.height * 0.4)
    bar_y = area.top - 6 - bar_height
    x = area.x
    fills = [colour(colours[index % len(colours)]) for index in range(len(labels))]
    for count, fill in zip(counts, fills, strict=True):
        width = area.width * count / total
        if width <= 0:
            continue
        pen.drawing.add(Rect(x, bar_y, width, bar_height, fillColor=fill,
                             strokeColor=colors.white, strokeWidth=1))
        text = number(count)
        if pen.width(text) + 6 < width:
            pen.text(x + width / 2, bar_y + bar_height / 2 - TEXT_SIZE / 3, text,
                     colour=colors.white, anchor="middle")
        x += width
    _legend(pen, Area(area.x, area.y, area.width, bar_y - 10 - area.y), labels, counts, fills)


def _legend(pen: Pen, area: Area, labels, counts, fills):
    """Items left to right, wrapping to a new row when the width runs out."""
    total = sum(counts)
    x, y = area.x, area.top - TEXT_SIZE
    for label, count, fill in zip(labels, counts, fills, strict=True):
        text = f"{label} {number(count)}（{number(100 * count / total)}%）"
        width = 12 + pen.width(text) + 14
        if x > area.x and x + width > area.right:
            x, y = area.x, y - TEXT_SIZE * 2
        pen.drawing.add(Rect(x, y - 1, 8, 8, fillColor=fill, strokeColor=None))
        pen.text(x + 12, y, text, colour=INK, max_width=area.width - 12)
        x += width
