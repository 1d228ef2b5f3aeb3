"""What the chart drawings share: the plot area, text, number formats, axis steps, 暂无数据."""

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from app.reports.palette import INK, MUTED, RULE
from app.reports.theme import FontChoice, drawable_text, fit_text

TITLE_SIZE = 11
TEXT_SIZE = 8.5
EMPTY_TEXT = "暂无数据"
#: An area (or unit) without evidence: said so, never drawn as a 0.
NO_EVIDENCE_TEXT = "证据不足"


@dataclass(frozen=True)
class Area:
    """A rectangle of the drawing, in points from the bottom left."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Pen:
    """Draws text with the CJK font into one drawing."""

    drawing: Drawing
    font: FontChoice

    def text(self, x, y, text, *, size=TEXT_SIZE, colour=INK, anchor="start", max_width=None):
        text = drawable_text(text, self.font)
        if max_width is not None:
            text = fit_text(text, self.font.name, size, max(max_width, size))
        self.drawing.add(String(x, y, text, fontName=self.font.name, fontSize=size,
                                fillColor=colour, textAnchor=anchor))

    def width(self, text, size=TEXT_SIZE) -> float:
        return pdfmetrics.stringWidth(drawable_text(text, self.font), self.font.name, size)


def number(value: float) -> str:
    """85 rather than 85.0, 92.5 rather than 92.50."""
    return str(int(round(value))) if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def axis_steps(largest: float, max_value: float | None = None) -> list[float]:
    """Tick values from 0 to a round top at or above ``largest`` (four or five steps)."""
    if max_value:
        return [max_value * share / 4 for share in range(5)]
    largest = max(largest, 1e-9)
    raw = largest / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if largest >= 1:
        step = max(step, 1)  # counts and hours: no 0.5 ticks when the values are whole
    top = step * math.ceil(largest / step - 1e-9)
    return [step * index for index in range(round(top / step) + 1)]


def colour(hex_code: str, alpha: float = 1.0) -> colors.Color:
    base = colors.HexColor(hex_code)
    return colors.Color(base.red, base.green, base.blue, alpha=alpha)


def draw_empty(pen: Pen, area: Area) -> None:
    """A calm placeholder instead of an empty axis: 暂无数据 in a dashed box."""
    pen.drawing.add(Rect(area.x, area.y, area.width, area.height, rx=4, ry=4,
                         strokeColor=RULE, strokeDashArray=[3, 3], fillColor=None))
    pen.text(area.x + area.width / 2, area.y + area.height / 2 - 4, EMPTY_TEXT, size=10,
             colour=MUTED, anchor="middle")
