"""Bars across (units with long names) and columns up (score buckets, short labels)."""

from reportlab.graphics.shapes import Line, Rect

from app.domain.chart_labels import wrap_label
from app.reports.charts.common import EMPTY_TEXT, Area, Pen, axis_steps, colour, number
from app.reports.palette import INK, MUTED, RULE

BAR_COLOUR = "#2F6DB5"
AXIS_ROW = 12  # room under the plot for tick or bucket labels


def draw_bars_across(pen: Pen, area: Area, labels, values, *, suffix="", max_value=None):
    """One row per label, top to bottom; the label at most a third of the width, on two lines
    when the rows are tall enough, else cut with …. A None value (no data) gets no bar, only
    暂无数据 in grey: it is not a 0."""
    steps = axis_steps(max((v for v in values if v is not None), default=0), max_value)
    top_value = steps[-1]
    row = min(26.0, (area.height - AXIS_ROW) / len(labels))
    size = max(5.5, min(8.5, row * 0.6))
    names = [wrap_label(label, area.width * 0.34 - 6, size, lines=2 if row >= 2.3 * size else 1)
             for label in labels]
    label_width = min(area.width * 0.34,
                      max(pen.width(line, size) for lines in names for line in lines) + 6)
    value_width = max(pen.width(_value_text(value, suffix), size) for value in values) + 6
    plot = Area(area.x + label_width, area.top - row * len(labels),
                area.width - label_width - value_width, row * len(labels))
    _vertical_grid(pen, plot, steps, suffix, size)
    for index, (lines, value) in enumerate(zip(names, values, strict=True)):
        middle = plot.top - (index + 0.5) * row
        for row_line, line in enumerate(lines):  # the lines' block centred on the row
            lift = (len(lines) / 2 - row_line - 0.5) * size * 1.1
            pen.text(plot.x - 4, middle - size / 3 + lift, line, size=size, anchor="end",
                     max_width=label_width - 6)
        if value is None:
            pen.text(plot.x + 3, middle - size / 3, EMPTY_TEXT, size=size, colour=MUTED)
            continue
        length = plot.width * min(value, top_value) / top_value
        pen.drawing.add(Rect(plot.x, middle - row * 0.32, length, row * 0.64,
                             fillColor=colour(BAR_COLOUR), strokeColor=None))
        pen.text(plot.x + length + 3, middle - size / 3, number(value) + suffix, size=size)


def _value_text(value, suffix) -> str:
    return EMPTY_TEXT if value is None else number(value) + suffix


def _vertical_grid(pen: Pen, plot: Area, steps, suffix, size):
    for tick in steps:
        x = plot.x + plot.width * tick / steps[-1]
        pen.drawing.add(Line(x, plot.y, x, plot.top, strokeColor=RULE, strokeWidth=0.5))
        pen.text(x, plot.y - size - 2, number(tick) + suffix, size=size - 1, colour=MUTED,
                 anchor="middle")


def draw_columns(pen: Pen, area: Area, labels, values, *, suffix="", max_value=None, gap=0.3):
    """One column per label, left to right, the value above each; ``gap`` 0.06 for buckets.
    A None value (no data) gets no column, only 暂无数据 in grey above its label."""
    steps = axis_steps(max((v for v in values if v is not None), default=0), max_value)
    top_value = steps[-1]
    size = 8.0
    axis_width = max(pen.width(number(tick) + suffix, size - 1) for tick in steps) + 6
    plot = Area(area.x + axis_width, area.y + AXIS_ROW + 2, area.width - axis_width,
                area.height - AXIS_ROW - 2 - size - 4)
    _horizontal_grid(pen, plot, steps, suffix)
    slot = plot.width / len(labels)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        centre = plot.x + (index + 0.5) * slot
        if value is None:
            pen.text(centre, plot.y + 3, EMPTY_TEXT, size=size - 1, colour=MUTED,
                     anchor="middle", max_width=slot)
        height = 0 if value is None else plot.height * min(value, top_value) / top_value
        width = slot * (1 - gap)
        pen.drawing.add(Rect(centre - width / 2, plot.y, width, height,
                             fillColor=colour(BAR_COLOUR), strokeColor=None))
        pen.text(centre, plot.y - AXIS_ROW + 2, label, size=size, colour=INK, anchor="middle",
                 max_width=slot - 2)
        if value:
            pen.text(centre, plot.y + height + 3, number(value) + suffix, size=size,
                     anchor="middle", max_width=slot)


def _horizontal_grid(pen: Pen, plot: Area, steps, suffix):
    for tick in steps:
        y = plot.y + plot.height * tick / steps[-1]
        pen.drawing.add(Line(plot.x, y, plot.right, y, strokeColor=RULE, strokeWidth=0.5))
        pen.text(plot.x - 4, y - 2.5, number(tick) + suffix, size=7, colour=MUTED, anchor="end")
