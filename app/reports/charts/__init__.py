"""Charts: one definition, one ReportLab Drawing, two outputs.

``render_svg`` gives inline SVG for web pages, ``as_flowable`` the same Drawing as vector
graphics in a PDF story. Empty data draws 暂无数据 rather than an empty axis. The record
page's radar has its own SVG (``radar_svg``), from the same geometry as the Drawing's.
"""

from reportlab.graphics.shapes import Drawing

from app.domain.charts import ScreenSvg
from app.reports.charts.bars import draw_bars_across, draw_columns
from app.reports.charts.common import TITLE_SIZE, Area, Pen, draw_empty
from app.reports.charts.definitions import (
    RATING_COLOURS,
    BarChart,
    Chart,
    DistributionChart,
    Histogram,
    RadarChart,
    RatingChart,
)
from app.reports.charts.radar import PHONE_RADAR, draw_radar, radar_svg
from app.reports.charts.rating import draw_rating
from app.reports.charts.svg import svg_for_html
from app.reports.palette import INK
from app.reports.theme import FontChoice, register_cjk_font

__all__ = [
    "PHONE_RADAR", "RATING_COLOURS", "BarChart", "Chart", "DistributionChart", "Histogram",
    "RadarChart", "RatingChart", "as_flowable", "build_drawing", "radar_svg",
    "render_screen_svg", "render_svg",
]
PADDING = 4
#: A phone's drawing is this many points wide and shown about 330 px wide (in a 390 px
#: phone's card), so that its smallest text (7 points) reads at 11 px or more.
PHONE_WIDTH = 200


def build_drawing(chart: Chart, width: float, height: float, *, font: FontChoice | None = None,
                  titled: bool = True) -> Drawing:
    """The chart as a Drawing of ``width`` × ``height`` points, its title at the top left."""
    pen = Pen(Drawing(width, height), font or register_cjk_font())
    top = height - PADDING
    if titled and chart.title:
        pen.text(PADDING, top - TITLE_SIZE, chart.title, size=TITLE_SIZE, colour=INK,
                 max_width=width - 2 * PADDING)
        top -= TITLE_SIZE + 10
    area = Area(PADDING, PADDING, width - 2 * PADDING, top - PADDING)
    if chart.empty:
        draw_empty(pen, area)
    else:
        _draw(pen, area, chart)
    return pen.drawing


def _draw(pen: Pen, area: Area, chart: Chart) -> None:
    match chart:
        case BarChart(horizontal=True):
            draw_bars_across(pen, area, chart.labels, chart.values, suffix=chart.value_suffix,
                             max_value=chart.max_value)
        case BarChart():
            draw_columns(pen, area, chart.labels, chart.values, suffix=chart.value_suffix,
                         max_value=chart.max_value)
        case DistributionChart():
            draw_columns(pen, area, chart.bucket_labels, chart.counts, gap=0.06)
        case RadarChart() if len(chart.labels) < 3:  # a radar needs three axes
            draw_bars_across(pen, area, chart.labels, chart.values, max_value=chart.max_value)
        case RadarChart():
            draw_radar(pen, area, chart.labels, chart.values, max_value=chart.max_value)
        case RatingChart():
            draw_rating(pen, area, chart.labels, chart.counts, chart.colours)
        case _:
            raise TypeError(f"not a chart definition: {chart!r}")


def render_svg(chart: Chart, width: float, height: float, *, font: FontChoice | None = None,
               titled: bool = True) -> str:
    """Inline SVG for an HTML page: role="img", the title for screen readers, 100% wide."""
    return svg_for_html(build_drawing(chart, width, height, font=font, titled=titled), chart)


def render_screen_svg(chart: Chart, wide: tuple[float, float], phone_height: float, *,
                      font: FontChoice | None = None) -> ScreenSvg:
    """The chart for a page: drawn ``wide`` (width, height) for wide screens and
    PHONE_WIDTH × ``phone_height`` for phones, where it is shown larger than drawn."""
    return ScreenSvg(render_svg(chart, *wide, font=font),
                     render_svg(chart, PHONE_WIDTH, phone_height, font=font))


def as_flowable(chart: Chart, width: float, height: float, *, font: FontChoice | None = None,
                titled: bool = True) -> Drawing:
    """The chart for a PDF story: a Drawing is a Flowable, drawn as vectors."""
    return build_drawing(chart, width, height, font=font, titled=titled)
