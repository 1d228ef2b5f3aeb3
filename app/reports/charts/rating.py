"""The rating distribution: one bar split by rating, and a legend with counts and shares."""

from reportlab.graphics.shapes import Rect
from reportlab.lib import colors

from app.reports.charts.common import TEXT_SIZE, Area, Pen, colour, number
from app.reports.palette import INK

LEGEND_ROW = TEXT_SIZE * 2


def draw_rating(pen: Pen, area: Area, labels, counts, colours):
    """The bar on top, as tall as the legend's rows below it leave room for (at most 28)."""
    total = sum(counts)
    texts = [f"{label} {number(count)}（{number(100 * count / total)}%）"
             for label, count in zip(labels, counts, strict=True)]
    places = _legend_places(pen, texts, area.width)
    rows = 1 + max(row for _x, row in places)
    bar_height = max(6.0, min(28.0, area.height * 0.4, area.height - 16 - rows * LEGEND_ROW))
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
    top = bar_y - 10 - TEXT_SIZE
    for text, fill, (offset, row) in zip(texts, fills, places, strict=True):
        y = top - row * LEGEND_ROW
        pen.drawing.add(Rect(area.x + offset, y - 1, 8, 8, fillColor=fill, strokeColor=None))
        pen.text(area.x + offset + 12, y, text, colour=INK, max_width=area.width - 12)


def _legend_places(pen: Pen, texts, width) -> list[tuple[float, int]]:
    """Where each legend item starts (x from the left, row): left to right, wrapping to a new
    row when the width runs out."""
    places, x, row = [], 0.0, 0
    for text in texts:
        item = 12 + pen.width(text) + 14
        if x > 0 and x + item > width:
            x, row = 0.0, row + 1
        places.append((x, row))
        x += item
    return places
