"""Server-rendered SVG charts of query results: bars and lines, no JavaScript.

Learners chart their own query results in the workspace. Drawing on the server as
plain SVG keeps chart libraries and scripts off the page and gives an image that can
be saved into a report. All text is escaped; the output holds no scripts, links or
event handlers; colours come from a fixed colour-blind-safe palette, and every shape
carries a class so that CSS can restyle it. The limits keep one chart small.
"""

import html
import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from app.domain.chart_labels import fit_label, text_width

KINDS = ("bar", "line")
MAX_LABELS = 200
MAX_SERIES = 6
MAX_LABEL_CHARS = 18
FONT_SIZE = 12
#: Slanted (45°) x labels this far apart along the axis are an em and a quarter apart across
#: their lines, so neighbours never touch.
SLANT_SPACING = 1.25 * FONT_SIZE * math.sqrt(2)
LEGEND_ROW = 20
#: Chart sizes for a page's wide column and for a phone, whose chart is drawn at about the
#: width it is shown at, so that its text stays at 12 px instead of shrinking with the chart.
WIDE_SIZE, PHONE_SIZE = (720, 360), (320, 320)
PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00")  # Okabe-Ito
SVG_NS = "http://www.w3.org/2000/svg"

Series = list[tuple[str, list[float | None]]]

_HUGE, _TINY = 1e300, 1e-300  # beyond these a scale's arithmetic would overflow
#: Chinese number units (万, 亿), not k/M/B: the charts sit on Chinese pages.
_UNITS = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ScreenSvg:
    """One chart drawn twice, for wide screens and for phones (the page's CSS shows one): a
    chart drawn for a wide column and scaled down to a phone would shrink its text to a
    few pixels."""

    wide: str
    phone: str


class ChartError(ValueError):
    """Data that cannot be charted; ``code`` is stable, for messages and tests."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) that cover low..high.

    Bars grow from zero, so zero is always on the axis; an all-zero range gets 0..1.
    """
    low, high = max(min(low, 0.0), -_HUGE), min(max(high, 0.0), _HUGE)
    if high - low < _TINY:
        high = 1.0
    mantissa, exponent = _nice_step(high / target - low / target)
    step = mantissa * 10.0**exponent
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    # Made from text, 3 x 1e-1 is exactly 0.3 rather than 0.30000000000000004.
    return [float(f"{k * mantissa}e{exponent}") for k in range(first, last + 1)]


def _nice_step(raw: float) -> tuple[int, int]:
    """The smallest step of 1, 2 or 5 x 10**exponent that is at least ``raw``."""
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10.0**exponent
    for mantissa in (1, 2, 5):
        if fraction <= mantissa * (1 + 1e-9):
            return mantissa, exponent
    return 1, exponent + 1


def format_tick(value: float, step: float) -> str:
    """A short axis label: 2500, 1.2万, 150万, 20亿, 0.25, 2e-07; decimals only as many as the
    step needs."""
    size = abs(value)
    if size == 0:
        return "0"
    if size >= 1e15 or step < 1e-4:
        return f"{value:.3g}"
    for unit, suffix in _UNITS:
        if size >= unit:
            return _trim(f"{value / unit:.2f}") + suffix
    return _trim(f"{value:.{max(0, math.ceil(-math.log10(step) - 1e-9))}f}")


def format_value(value: float) -> str:
    """A value as hover text shows it: whole numbers whole, others to four decimals."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return _trim(f"{value:.4f}") if 1e-4 <= abs(value) < 1e15 else f"{value:.6g}"


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(value: object) -> float | None:
    """A finite float, or None for a gap: None, non-numbers, booleans, NaN, infinities."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    return 0.0 if abs(number) < _TINY else max(-_HUGE, min(_HUGE, number))


def _f(number: float) -> str:
    """A coordinate, to two decimals: enough for the eye, short in the markup."""
    text = _trim(f"{number:.2f}")
    return "0" if text == "-0" else text


def _esc(text: object) -> str:
    """Text safe in XML content and attributes (characters XML cannot hold are dropped)."""
    return html.escape(_NOT_XML.sub("", str(text)), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cut_text(text: str, limit: int, room: float = math.inf) -> str:
    """Escaped text cut to ``limit`` characters and to ``room`` wide; the full text stays in
    a hover <title>."""
    shown = fit_label(_short(text, limit), room, FONT_SIZE)
    return _esc(shown) + (f"<title>{_esc(text)}</title>" if shown != text else "")


@dataclass(frozen=True)
class _Frame:
    """The plot area in SVG coordinates, the y range it shows and how x labels fit."""

    left: float
    top: float
    right: float
    bottom: float
    low: float
    high: float
    count: int  # labels along x
    rotate: bool  # x labels slanted, for long labels
    every: int  # one x label in this many is written, when there are many
    slant: float  # how far below their start slanted labels may reach

    def y(self, value: float) -> float:
        share = (value - self.low) / (self.high - self.low)
        return self.bottom - share * (self.bottom - self.top)

    @property
    def band(self) -> float:
        return (self.right - self.left) / self.count

    def x(self, index: int) -> float:
        return self.left + self.band * (index + 0.5)


def _plot_left(y_label: bool) -> float:
    return 56 + (20 if y_label else 0)


def _layout(labels: Sequence[str], ticks: list[float], size: tuple[int, int],
            titled: bool, legend_rows: int, y_label: bool) -> _Frame:
    """Margins make room for the title, axis labels and legend rows; x labels slant if too
    wide, one in several when they are too many to stand apart, reaching down at most a
    quarter of the chart (longer ones are cut)."""
    width, height = size
    left, right = _plot_left(y_label), width - 16
    band = (right - left) / len(labels)
    widest = max(text_width(_short(label, MAX_LABEL_CHARS)) for label in labels)
    rotate = widest > band - 4
    every = max(1, math.ceil(SLANT_SPACING / band)) if rotate else 1
    slant = min(widest / math.sqrt(2), height / 4) if rotate else 0.0
    top = 12 + (24 if titled else 0)
    bottom = height - 8 - (slant + 22 if rotate else 22) - legend_rows * LEGEND_ROW
    return _Frame(left, top, right, bottom, ticks[0], ticks[-1], len(labels), rotate, every,
                  slant)


def _grid(frame: _Frame, ticks: list[float]) -> list[str]:
    left, right, step = _f(frame.left), _f(frame.right), ticks[1] - ticks[0]
    parts = ['<g class="y-axis">']
    for tick in ticks:
        y = _f(frame.y(tick))
        parts.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y}" y2="{y}" '
                     f'stroke="#dddddd"/><text class="y-tick" x="{_f(frame.left - 6)}" '
                     f'y="{y}" dy="4" text-anchor="end">{_esc(format_tick(tick, step))}</text>')
    zero = _f(frame.y(0.0))
    parts.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{_f(frame.top)}" '
                 f'y2="{_f(frame.bottom)}" stroke="#666666"/>')
    parts.append(f'<line class="zero-line" x1="{left}" x2="{right}" y1="{zero}" y2="{zero}" '
                 f'stroke="#666666"/>')
    return [*parts, "</g>"]


def _hover(label: str, name: str, value: float, several: bool) -> str:
    where = f"{label} ({name})" if several else label
    return f"<title>{_esc(f'{where}: {format_value(value)}')}</title>"


def _bars(frame: _Frame, labels: Sequence[str], series: Series) -> list[str]:
    width, zero = frame.band * 0.8 / len(series), frame.y(0.0)
    parts = ['<g class="bars">']
    for s, (name, values) in enumerate(series):
        for i, value in enumerate(values):
            if value is None:
                continue
            x, top = frame.left + frame.band * (i + 0.1) + width * s, frame.y(value)
            parts.append(
                f'<rect class="bar series-{s}" x="{_f(x)}" y="{_f(min(top, zero))}" '
                f'width="{_f(width)}" height="{_f(abs(zero - top))}" fill="{PALETTE[s]}">'
                f"{_hover(labels[i], name, value, len(series) > 1)}</rect>")
    return [*parts, "</g>"]


def _lines(frame: _Frame, labels: Sequence[str], series: Series) -> list[str]:
    """One polyline per unbroken stretch of values (a None leaves a gap) and a marker each."""
    parts = ['<g class="lines">']
    for s, (name, values) in enumerate(series):
        stretches = groupby(range(len(values)), key=lambda i, v=values: v[i] is None)
        for gap, indexes in stretches:
            run = list(indexes)
            if not gap and len(run) > 1:
                points = " ".join(f"{_f(frame.x(i))},{_f(frame.y(values[i]))}" for i in run)
                parts.append(f'<polyline class="line series-{s}" points="{points}" '
                             f'fill="none" stroke="{PALETTE[s]}" stroke-width="2"/>')
        for i, value in enumerate(values):
            if value is not None:
                parts.append(
                    f'<circle class="point series-{s}" cx="{_f(frame.x(i))}" '
                    f'cy="{_f(frame.y(value))}" r="3" fill="{PALETTE[s]}">'
                    f"{_hover(labels[i], name, value, len(series) > 1)}</circle>")
    return [*parts, "</g>"]


def _x_labels(frame: _Frame, labels: Sequence[str]) -> list[str]:
    """Level labels centred under their band; slanted ones end at their band and are cut so
    as to stay inside the chart, on the left and at the bottom."""
    parts = ['<g class="x-axis">']
    for i in range(0, len(labels), frame.every):
        x = frame.x(i)
        y = frame.bottom + 16  # a slanted label's top corner stays clear of the tick "0"
        if frame.rotate:
            room = math.sqrt(2) * min(frame.slant, x - FONT_SIZE)
            turn = f' text-anchor="end" transform="rotate(-45 {_f(x)} {_f(y)})"'
        else:
            room, turn = math.inf, ' text-anchor="middle"'
        parts.append(f'<text class="x-label" x="{_f(x)}" y="{_f(y)}"{turn}>'
                     f"{_cut_text(labels[i], MAX_LABEL_CHARS, room)}</text>")
    return [*parts, "</g>"]


def _legend_places(names: Sequence[str], left: float, right: float) -> list[tuple[float, int]]:
    """Where each series' legend item starts: (x, row), rows wrapping at ``right``."""
    places, x, row = [], left, 0
    for name in names:
        width = 28 + text_width(fit_label(_short(name, 24), right - left - 14, FONT_SIZE))
        if x > left and x + width - 14 > right:
            x, row = left, row + 1
        places.append((x, row))
        x += width
    return places


def _legend(series: Series, places: list[tuple[float, int]], top: float,
            right: float) -> list[str]:
    parts = ['<g class="legend">']
    for s, ((name, _values), (x, row)) in enumerate(zip(series, places, strict=True)):
        y = top + 14 + row * LEGEND_ROW
        parts.append(
            f'<g class="legend-item series-{s}"><rect x="{_f(x)}" y="{_f(y - 9)}" width="10" '
            f'height="10" fill="{PALETTE[s]}"/><text x="{_f(x + 14)}" y="{_f(y)}">'
            f"{_cut_text(name, 24, right - x - 14)}</text></g>")
    return [*parts, "</g>"]


def _headings(frame: _Frame, title: str, y_label: str, width: int) -> list[str]:
    parts = []
    if title:
        parts.append(f'<text class="chart-title" x="{_f(width / 2)}" y="24" '
                     f'text-anchor="middle" font-size="15">'
                     f"{_esc(fit_label(title, width - 16, 15))}</text>")
    if y_label:
        middle = _f((frame.top + frame.bottom) / 2)
        parts.append(f'<text class="y-label" x="16" y="{middle}" text-anchor="middle" '
                     f'transform="rotate(-90 16 {middle})">'
                     f"{_cut_text(y_label, 99, frame.bottom - frame.top)}</text>")
    return parts


def _check(kind: str, labels: Sequence, series: Sequence, width: int, height: int) -> None:
    if kind not in KINDS:
        raise ChartError("bad_kind", f"chart kind must be one of {', '.join(KINDS)}")
    if not labels or not series:
        raise ChartError("empty", "a chart needs labels and at least one series")
    if len(labels) > MAX_LABELS:
        raise ChartError("too_many_labels", f"at most {MAX_LABELS} labels can be charted")
    if len(series) > MAX_SERIES:
        raise ChartError("too_many_series", f"at most {MAX_SERIES} series can be charted")
    if any(len(values) != len(labels) for _name, values in series):
        raise ChartError("length_mismatch", "every series needs one value per label")
    if not (240 <= width <= 4000 and 160 <= height <= 3000):
        raise ChartError("bad_size", "width must be 240..4000 and height 160..3000")


def render_chart(kind: str, labels: list[str], series: list[tuple[str, list[float | None]]],
                 *, title: str = "", y_label: str = "", width: int = WIDE_SIZE[0],
                 height: int = WIDE_SIZE[1]) -> str:
    """A standalone SVG bar or line chart; ChartError (with a code) when it cannot be drawn.
    Several series get a legend under the chart, wrapping onto as many rows as it needs."""
    _check(kind, labels, series, width, height)
    labels = [str(label) for label in labels]
    clean: Series = [(str(name), [_number(v) for v in values]) for name, values in series]
    found = [v for _name, values in clean for v in values if v is not None]
    if not found:
        raise ChartError("no_numbers", "there are no numbers to chart")
    ticks = nice_ticks(min(found), max(found))
    places = (_legend_places([name for name, _values in clean], _plot_left(bool(y_label)),
                             width - 16) if len(clean) > 1 else [])
    rows = 1 + max(row for _x, row in places) if places else 0
    frame = _layout(labels, ticks, (width, height), bool(title), rows, bool(y_label))
    name = _esc(title or ", ".join(name for name, _values in clean))
    parts = [f'<svg xmlns="{SVG_NS}" viewBox="0 0 {width} {height}" class="chart chart-{kind}" '
             f'role="img" aria-label="{name}" font-family="sans-serif" '
             f'font-size="{FONT_SIZE}">',
             f"<title>{name}</title>", *_headings(frame, title, y_label, width),
             *_grid(frame, ticks), *(_bars if kind == "bar" else _lines)(frame, labels, clean),
             *_x_labels(frame, labels)]
    if places:
        parts += _legend(clean, places, height - 8 - rows * LEGEND_ROW, width - 16)
    return "\n".join([*parts, "</svg>"])


def render_chart_for_screens(kind: str, labels: list[str],
                             series: list[tuple[str, list[float | None]]], *,
                             y_label: str = "") -> ScreenSvg:
    """The chart drawn for a wide column and for a phone (ChartError as render_chart)."""
    return ScreenSvg(render_chart(kind, labels, series, y_label=y_label),
                     render_chart(kind, labels, series, y_label=y_label,
                                  width=PHONE_SIZE[0], height=PHONE_SIZE[1]))


def _is_numeric_column(rows: Sequence[tuple], index: int) -> bool:
    """Some numbers and nothing else but NULLs (booleans are not numbers here)."""
    present = [row[index] for row in rows if row[index] is not None]
    return bool(present) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in present)


def _label_index(width: int, numeric: list[int], label_column: int | None) -> int | None:
    """The given column, else the first non-numeric one, else the first of several."""
    if label_column is not None:
        if not 0 <= label_column < width:
            raise ChartError("bad_column", f"there is no column {label_column}")
        return label_column
    text = [i for i in range(width) if i not in numeric]
    if text:
        return text[0]
    return 0 if width >= 2 else None


def _label_text(value: object) -> str:
    text = format_value(value) if isinstance(value, float) else str(value)
    return "NULL" if value is None else text


def chart_from_result(
    columns: list[str], rows: list[tuple], *, label_column: int | None = None
) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """Labels and series for render_chart, picked from a query result.

    Labels come from the first column that is not all numbers (or the first column,
    or row numbers for a single numeric column); every other numeric column is a series.
    """
    if not columns or not rows:
        raise ChartError("empty", "the result has no rows to chart")
    numeric = [i for i in range(len(columns)) if _is_numeric_column(rows, i)]
    label = _label_index(len(columns), numeric, label_column)
    picked = [i for i in numeric if i != label]
    if not picked:
        raise ChartError("no_numbers", "the result has no numeric column to chart")
    labels = ([str(n) for n in range(1, len(rows) + 1)] if label is None
              else [_label_text(row[label]) for row in rows])
    return labels, [(str(columns[i]), [_number(row[i]) for row in rows]) for i in picked]
