import re
from datetime import datetime
from decimal import Decimal

import pytest
from reportlab.graphics.shapes import Drawing, Line, Polygon, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.reports.charts import (
    PHONE_WIDTH,
    BarChart,
    DistributionChart,
    Histogram,
    RadarChart,
    RatingChart,
    as_flowable,
    build_drawing,
    render_svg,
)
from app.reports.charts.common import axis_steps
from app.reports.theme import build_document
from tests.reports.pdfs import all_text

UNITS = ["渝中区", "江北区", "重庆市渝中区解放碑街道办事处社区网格化服务管理中心"]
AREAS = ["数字认知", "数据思维", "数字技能", "数字安全", "数字治理"]
RATINGS = ["优秀", "合格", "基本合格", "不合格", "免考核"]
BUCKETS = ["0–59", "60–69", "70–79", "80–89", "90–100"]
CHARTS = [
    BarChart("各单位完成率", UNITS, [92.5, 80, 45], value_suffix="%", max_value=100),
    BarChart("各单位学时", UNITS, [1234, 880.5, 17], value_suffix=" 学时", horizontal=False),
    DistributionChart("成绩分布", BUCKETS, [3, 12, 40, 33, 9]),
    RadarChart("能力画像", AREAS, [78, 65, 90, 40, 55]),
    RatingChart("评定结果", RATINGS, [12, 60, 15, 5, 3]),
]


def strings(drawing: Drawing) -> list[str]:
    return [shape.text for shape in drawing.contents if isinstance(shape, String)]


@pytest.mark.parametrize("chart", CHARTS, ids=lambda chart: chart.title)
def test_svg_is_inline_accessible_and_responsive(chart):
    svg = render_svg(chart, 480, 240)

    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    assert 'role="img"' in svg and f'aria-label="{chart.title}"' in svg
    assert f"<title>{chart.title}</title>" in svg
    assert 'width="100%"' in svg and 'viewBox="0 0 480 240"' in svg
    assert 'id="clip"' not in svg and 'id="group"' not in svg  # two charts on a page clash
    assert "CJK-" not in svg and "sans-serif" in svg  # a font family browsers know


def test_svg_shows_labels_and_values():
    svg = render_svg(CHARTS[0], 480, 200)

    assert "渝中区" in svg and "江北区" in svg and "92.5%" in svg
    assert "渝中区：92.5%；江北区：80%" in svg  # the <desc> for screen readers


def test_long_unit_names_wrap_onto_two_lines_then_are_cut_with_an_ellipsis():
    labels = strings(build_drawing(CHARTS[0], 300, 200))

    long_name = UNITS[2]
    first = next(index for index, label in enumerate(labels) if label.startswith("重庆市渝中区"))
    shown = labels[first] + labels[first + 1]
    assert shown.endswith("…") and long_name.startswith(shown[:-1])
    short_rows = strings(build_drawing(CHARTS[0], 300, 60))  # rows too low for two lines
    cut = next(label for label in short_rows if label.startswith("重庆市渝中区"))
    assert cut.endswith("…") and long_name.startswith(cut[:-1])


def test_markup_in_labels_and_titles_is_escaped_in_svg():
    chart = BarChart('<b>"标题"</b>', ["<script>alert(1)</script>", "A & B"], [1, 2])

    svg = render_svg(chart, 480, 200)

    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "A &amp; B" in svg
    assert 'aria-label="&lt;b&gt;&quot;标题&quot;&lt;/b&gt;"' in svg


def test_the_same_definition_draws_into_a_pdf():
    story = [as_flowable(chart, 480, 220) for chart in CHARTS]

    pdf = build_document(story, title="图表", unit="渝中区", year=2026, generated_by="刘红梅",
                         generated_at=datetime(2026, 11, 27, 9, 0))

    text = all_text(pdf)
    for expected in ["各单位完成率", "渝中区", "92.5%", "1234 学时", "70–79", "数据思维",
                     "优秀 12（12.6%）", "免考核 3（3.2%）"]:
        assert expected in text


@pytest.mark.parametrize("chart", [
    BarChart("各单位完成率", [], []),
    BarChart("各单位学时", UNITS, [0, 0, 0], horizontal=False),
    Histogram("成绩分布", ["0–59", "60–100"], [0, 0]),
    RadarChart("能力画像", AREAS, [0] * 5),
    RadarChart("能力画像", [], []),
    RatingChart("评定结果", RATINGS, [0] * 5),
    RatingChart("评定结果", [], []),
], ids=lambda chart: f"{type(chart).__name__}-{len(chart.title)}")
def test_no_data_draws_a_clean_placeholder(chart):
    drawing = build_drawing(chart, 300, 160)

    assert strings(drawing) == [chart.title, "暂无数据"]
    assert "暂无数据" in render_svg(chart, 300, 160)
    assert "暂无数据" in all_text(build_document(
        [as_flowable(chart, 300, 160)], title="t", unit="u", year=2026, generated_by="g",
        generated_at="2026-11-27 09:00"))


def test_radar_draws_one_axis_per_area():
    drawing = build_drawing(CHARTS[3], 360, 280)

    polygons = [shape for shape in drawing.contents if isinstance(shape, Polygon)]
    assert len(polygons) == 5 + 1  # five rings and the mastery outline
    assert all(len(polygon.points) == 2 * 5 for polygon in polygons)
    assert {"数字认知", "数字治理", "78", "55"} <= set(strings(drawing))


def test_a_radar_with_fewer_than_three_areas_draws_bars():
    drawing = build_drawing(RadarChart("能力画像", ["数字认知", "数据思维"], [70, 30]), 360, 200)

    assert not any(isinstance(shape, Polygon) for shape in drawing.contents)
    assert {"数字认知", "70", "30"} <= set(strings(drawing))


def test_rating_legend_lists_every_rating_with_count_and_share():
    legend = [text for text in strings(build_drawing(CHARTS[4], 480, 160)) if "（" in text]

    assert legend == ["优秀 12（12.6%）", "合格 60（63.2%）", "基本合格 15（15.8%）",
                      "不合格 5（5.3%）", "免考核 3（3.2%）"]


def test_definitions_accept_query_rows_and_are_immutable():
    chart = BarChart("学时", ["渝中区", None], [Decimal("12.5"), None])

    assert chart.labels == ("渝中区", "") and chart.values == (12.5, None)
    assert hash(chart) == hash(BarChart("学时", ("渝中区", ""), (12.5, None)))
    with pytest.raises(AttributeError):
        chart.title = "x"


def test_labels_and_values_must_pair_up():
    with pytest.raises(ValueError, match="2 labels for 1 values"):
        BarChart("学时", ["渝中区", "江北区"], [1])


def test_emoji_in_labels_do_not_break_a_chart():
    chart = BarChart("学时", ["渝中区😀"], [3])
    assert "渝中区□" in strings(build_drawing(chart, 300, 120))
    assert re.search(r"渝中区□", render_svg(chart, 300, 120))


def test_axis_steps_are_round():
    assert axis_steps(37) == [0, 10, 20, 30, 40]
    assert axis_steps(3) == [0, 1, 2, 3]
    assert axis_steps(1234) == [0, 500, 1000, 1500]
    assert axis_steps(92.5, max_value=100) == [0, 25, 50, 75, 100]


def test_finding_15_radar_drawing_marks_no_evidence_instead_of_a_red_zero():
    drawing = build_drawing(RadarChart("能力画像", AREAS, [78, None, 90, None, 55]), 360, 280)

    texts = strings(drawing)
    assert texts.count("证据不足") == 2 and "0" not in texts
    assert any("未计为 0" in text for text in texts)
    shape = [s for s in drawing.contents if isinstance(s, Polygon)][-1]
    assert len(shape.points) == 2 * 3  # the shape passes the two areas by
    dashed = [s for s in drawing.contents if isinstance(s, Line) and s.strokeDashArray]
    assert len(dashed) == 2


def test_finding_15_bars_without_data_draw_no_bar_and_say_so():
    chart = BarChart("各单位完成率", UNITS, [80, None, 40], value_suffix="%", max_value=100)
    drawing = build_drawing(chart, 360, 160)

    texts = strings(drawing)
    assert "暂无数据" in texts and "0%" in texts  # the axis starts at 0 %; no bar says 0 %
    assert [t for t in texts if t.endswith("%") and t[0].isdigit()].count("0%") == 1
    assert "暂无数据" in render_svg(chart, 360, 160)


def _outside(drawing: Drawing) -> list[str]:
    """The strings of a drawing that reach beyond its edges."""
    found = []
    for shape in drawing.contents:
        if isinstance(shape, String):
            width = stringWidth(shape.text, shape.fontName, shape.fontSize)
            left = shape.x - {"start": 0, "middle": width / 2, "end": width}[shape.textAnchor]
            if left < 0 or left + width > drawing.width or shape.y - shape.fontSize * 0.2 < 0 \
                    or shape.y + shape.fontSize > drawing.height:
                found.append(shape.text)
    return found


@pytest.mark.parametrize("chart", [*CHARTS, RatingChart("评定结果", RATINGS, [12, 60, 150, 25, 3])],
                         ids=lambda chart: chart.title)
def test_finding_18_a_phone_drawing_keeps_every_text_inside(chart):
    """The dashboard draws its charts 200 points wide for phones (PHONE_WIDTH): every label,
    value and legend item still fits, wrapped or cut, the rating legend's rows included."""
    assert _outside(build_drawing(chart, PHONE_WIDTH, 120)) == []
