"""ReportLab's SVG made fit to sit inline in an HTML page."""

import re
from html import escape

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from app.reports.charts.common import EMPTY_TEXT, NO_EVIDENCE_TEXT, number

#: The drawing's TrueType name means nothing to a browser: ask for the usual Chinese faces.
FONT_STACK = ("'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', "
              "'Source Han Sans SC', sans-serif")


def svg_for_html(drawing: Drawing, chart) -> str:
    svg = renderSVG.drawToString(drawing)
    svg = svg[svg.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    # Width 100% with the viewBox kept: the chart scales with its container.
    svg = re.sub(r'^<svg width="[^"]*" height="[^"]*"',
                 f'<svg width="100%" role="img" aria-label="{escape(chart.title)}" class="chart"',
                 svg, count=1)
    svg = svg.replace("<title>...</title>", f"<title>{escape(chart.title)}</title>", 1)
    svg = svg.replace("<desc>...</desc>", f"<desc>{escape(describe(chart))}</desc>", 1)
    # ReportLab names every clip path "clip" and group "group": two charts on one page would
    # share ids. Nothing is drawn outside the drawing, so the clip is not needed.
    svg = re.sub(r"\s*<clipPath id=\"clip\">.*?</clipPath>", "", svg, count=1, flags=re.S)
    svg = svg.replace(' id="group"', "", 1).replace(' style="clip-path: url(#clip)"', "", 1)
    return re.sub(r"font-family: [^;]+;", f"font-family: {FONT_STACK};", svg)


def describe(chart) -> str:
    """The figures in words, for screen readers (the SVG's <desc>)."""
    labels = getattr(chart, "labels", None) or getattr(chart, "bucket_labels", ())
    values = getattr(chart, "values", None) or getattr(chart, "counts", ())
    suffix = getattr(chart, "value_suffix", "")
    if not any(values):
        return EMPTY_TEXT
    missing = NO_EVIDENCE_TEXT if type(chart).__name__ == "RadarChart" else EMPTY_TEXT
    return "；".join(f"{label}：{missing if value is None else number(value) + suffix}"
                    for label, value in zip(labels, values, strict=True))
