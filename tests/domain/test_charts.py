import math
import xml.etree.ElementTree as ET

import pytest

from app.domain.chart_labels import text_width
from app.domain.charts import (
    FONT_SIZE,
    MAX_LABEL_CHARS,
    PALETTE,
    PHONE_SIZE,
    SLANT_SPACING,
    WIDE_SIZE,
    ChartError,
    chart_from_result,
    format_tick,
    nice_ticks,
    render_chart,
    render_chart_for_screens,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check its shape


def shapes(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [el for el in root.iter(SVG + tag) if css_class in el.get("class", "").split()]


def num(element: ET.Element, name: str) -> float:
    return float(element.get(name))


def zero_y(root: ET.Element) -> float:
    (line,) = shapes(root, "line", "zero-line")
    assert line.get("y1") == line.get("y2")
    return num(line, "y1")


def tick_labels(root: ET.Element) -> list[str]:
    return [el.text for el in shapes(root, "text", "y-tick")]


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]


# --- bars ---------------------------------------------------------------------------

def test_one_bar_per_value_and_none_leaves_no_bar():
    root = parse(render_chart("bar", ["a", "b", "c", "d"],
                              [("x", [3, None, 5, 0]), ("y", [1, 2, None, 4])]))
    bars = shapes(root, "rect", "bar")
    assert len(bars) == 6
    assert len(shapes(root, "rect", "series-0")) == 3
    assert {bar.get("fill") for bar in shapes(root, "rect", "series-1")} == {PALETTE[1]}


def test_bar_heights_are_proportional_to_values_and_stand_on_zero():
    root = parse(render_chart("bar", ["small", "big"], [("n", [10, 40])]))
    small, big = shapes(root, "rect", "bar")
    assert num(big, "height") == pytest.approx(4 * num(small, "height"), rel=1e-3)
    for bar in (small, big):
        assert num(bar, "y") + num(bar, "height") == pytest.approx(zero_y(root), abs=0.01)


def test_negative_bar_hangs_below_the_zero_line():
    root = parse(render_chart("bar", ["up", "down"], [("n", [5, -3])]))
    up, down = shapes(root, "rect", "bar")
    zero = zero_y(root)
    assert num(up, "y") < zero
    assert num(down, "y") == pytest.approx(zero, abs=0.01)
    assert num(down, "y") + num(down, "height") > zero + 1
    assert num(up, "height") / num(down, "height") == pytest.approx(5 / 3, rel=1e-2)
    assert "-2" in tick_labels(root) and "0" in tick_labels(root)


def test_hover_titles_say_label_and_value():
    root = parse(render_chart("bar", ["东区", "西区"], [("件数", [12, 3.14159])]))
    titles = [bar.find(SVG + "title").text for bar in shapes(root, "rect", "bar")]
    assert titles == ["东区: 12", "西区: 3.1416"]
    several = parse(render_chart("bar", ["东区"], [("a", [1]), ("b", [2])]))
    assert [b.find(SVG + "title").text for b in shapes(several, "rect", "bar")] == [
        "东区 (a): 1", "东区 (b): 2"]


def test_all_zero_values_draw_flat_bars_on_a_zero_to_one_axis():
    root = parse(render_chart("bar", ["a", "b"], [("n", [0, 0])]))
    assert [num(bar, "height") for bar in shapes(root, "rect", "bar")] == [0, 0]
    assert tick_labels(root) == ["0", "0.2", "0.4", "0.6", "0.8", "1"]


def test_non_finite_numbers_are_gaps():
    root = parse(render_chart("bar", ["a", "b", "c", "d"],
                              [("n", [1, math.nan, math.inf, 2])]))
    assert len(shapes(root, "rect", "bar")) == 2


# --- lines --------------------------------------------------------------------------

def test_line_chart_has_one_point_per_value():
    root = parse(render_chart("line", ["1月", "2月", "3月", "4月"], [("n", [4, 8, 2, 6])]))
    (line,) = shapes(root, "polyline", "line")
    coords = points(line)
    assert len(coords) == 4
    assert [x for x, _ in coords] == sorted(x for x, _ in coords)
    ys = [y for _, y in coords]
    assert ys[1] < ys[3] < ys[0] < ys[2]  # SVG y grows downwards
    assert len(shapes(root, "circle", "point")) == 4
    assert line.get("fill") == "none" and line.get("stroke") == PALETTE[0]


def test_none_breaks_the_line():
    root = parse(render_chart("line", list("abcdef"), [("n", [1, None, 3, 4, None, 6])]))
    lines = shapes(root, "polyline", "line")
    assert [len(points(line)) for line in lines] == [2]  # lone points get only a marker
    assert len(shapes(root, "circle", "point")) == 4


def test_several_lines_get_their_own_colour_and_a_legend():
    root = parse(render_chart("line", ["a", "b"], [("东区", [1, 2]), ("西区", [2, 1])]))
    lines = shapes(root, "polyline", "line")
    assert [line.get("stroke") for line in lines] == [PALETTE[0], PALETTE[1]]
    items = shapes(root, "g", "legend-item")
    assert ["".join(item.itertext()) for item in items] == ["东区", "西区"]


def test_one_series_has_no_legend():
    root = parse(render_chart("line", ["a", "b"], [("n", [1, 2])]))
    assert shapes(root, "g", "legend") == []


# --- ticks --------------------------------------------------------------------------

def test_ticks_are_round_numbers():
    assert nice_ticks(0, 87) == [0, 20, 40, 60, 80, 100]
    root = parse(render_chart("bar", ["a", "b"], [("n", [87, 12])]))
    assert tick_labels(root) == ["0", "20", "40", "60", "80", "100"]


@pytest.mark.parametrize(("low", "high", "expected"), [
    (-7, -1, [-8, -6, -4, -2, 0]),
    (3, 9, [0, 2, 4, 6, 8, 10]),
    (0, 0.3, [0, 0.1, 0.2, 0.3]),
    (0, 1.5e6, [0, 5e5, 1e6, 1.5e6]),
    (0, 3.2e12, [0, 1e12, 2e12, 3e12, 4e12]),
    (0, 0.00087, [0, 0.0002, 0.0004, 0.0006, 0.0008, 0.001]),
])
def test_nice_ticks_cover_the_data_and_zero(low, high, expected):
    assert nice_ticks(low, high) == expected


def test_nice_ticks_steps_are_one_two_or_five():
    for high in (1, 3, 7, 13, 99, 101, 4567, 0.013):
        ticks = nice_ticks(-high / 3, high)
        step = ticks[1] - ticks[0]
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m) for m in (1, 2, 5))
        assert ticks[0] <= -high / 3 and ticks[-1] >= high and 0 in ticks
        assert 3 <= len(ticks) <= 12


@pytest.mark.parametrize(("value", "step", "text"), [
    (0, 20, "0"), (40, 20, "40"), (2500, 500, "2500"), (12000, 2000, "1.2万"),
    (1.5e6, 5e5, "150万"), (-1500, 500, "-1500"), (2e9, 1e9, "20亿"), (3e12, 1e12, "3万亿"),
    (0.5, 0.1, "0.5"), (0.0004, 0.0002, "0.0004"), (5e-08, 5e-08, "5e-08"),
    (2e15, 1e15, "2e+15"),
])
def test_finding_16_tick_labels_are_compact_in_chinese_units(value, step, text):
    assert format_tick(value, step) == text


def test_huge_and_tiny_values_render():
    huge = parse(render_chart("bar", ["a", "b"], [("n", [1.2e6, 3e5])]))
    assert tick_labels(huge)[-1] in ("120万", "140万", "150万")
    tiny = parse(render_chart("line", ["a", "b"], [("n", [1.7e-7, 2e-8])]))
    assert tick_labels(tiny)[-1] == "2e-07"
    extreme = render_chart("bar", ["a", "b"], [("n", [1e308, -1e308])])
    assert "nan" not in extreme and "inf" not in extreme


# --- text ---------------------------------------------------------------------------

def test_text_is_escaped_and_round_trips():
    labels = ["<script>alert(1)</script>", "&\"'"]
    svg = render_chart("bar", labels, [("<b>n</b>", [1, 2]), ("m", [2, 1])],
                       title="<img src=x onerror=alert(1)>", y_label="&amp;")
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.get("aria-label") == "<img src=x onerror=alert(1)>"
    x_labels = shapes(root, "text", "x-label")
    assert x_labels[0].find(SVG + "title").text == labels[0]
    assert x_labels[1].text == "&\"'"
    assert shapes(root, "text", "y-label")[0].text == "&amp;"
    assert "".join(shapes(root, "g", "legend-item")[0].itertext()) == "<b>n</b>"


def test_characters_xml_cannot_hold_are_dropped():
    root = parse(render_chart("bar", ["a\x00b\x1fc"], [("n", [1])]))
    assert shapes(root, "text", "x-label")[0].text == "abc"


def test_long_labels_are_cut_with_the_full_text_in_a_title():
    full = "城市运行管理服务中心网格化管理综合指挥平台处置事件"
    root = parse(render_chart("bar", [full, "短"], [("n", [1, 2])]))
    cut, short = shapes(root, "text", "x-label")
    assert cut.text.endswith("…") and len(cut.text) == MAX_LABEL_CHARS
    assert full.startswith(cut.text[:-1])
    assert cut.find(SVG + "title").text == full
    assert short.text == "短" and short.find(SVG + "title") is None


def test_many_labels_are_slanted_and_thinned_but_every_bar_is_drawn():
    labels = [f"2025-03-{i:03d}" for i in range(200)]
    root = parse(render_chart("bar", labels, [("n", list(range(200)))]))
    x_labels = shapes(root, "text", "x-label")
    assert 10 < len(x_labels) < 200
    assert all(el.get("transform", "").startswith("rotate(-45") for el in x_labels)
    assert len(shapes(root, "rect", "bar")) == 200  # the value 0 is a bar of height 0 too
    few = parse(render_chart("bar", ["a", "b"], [("n", [1, 2])]))
    assert all(el.get("transform") is None for el in shapes(few, "text", "x-label"))


def test_output_is_a_self_contained_image_without_active_content():
    svg = render_chart("line", ["javascript:alert(1)", "b"], [("n", [1, 2]), ("m", [3, 4])],
                       title="t", width=800, height=400)
    root = parse(svg)
    assert root.tag == SVG + "svg"
    assert root.get("viewBox") == "0 0 800 400" and root.get("role") == "img"
    assert "chart-line" in root.get("class").split()
    forbidden_tags = {"script", "foreignObject", "image", "a", "use", "style", "iframe"}
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in forbidden_tags
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on")
            assert "href" not in name and "url(" not in value
    colours = {el.get("fill") for el in root.iter() if el.get("fill") not in (None, "none")}
    assert colours <= set(PALETTE)


# --- limits -------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "labels", "series", "code"), [
    ("pie", ["a"], [("n", [1])], "bad_kind"),
    ("bar", [], [("n", [])], "empty"),
    ("bar", ["a"], [], "empty"),
    ("bar", [str(i) for i in range(201)], [("n", [1] * 201)], "too_many_labels"),
    ("line", ["a"], [(str(i), [1]) for i in range(7)], "too_many_series"),
    ("bar", ["a", "b"], [("n", [None, math.nan])], "no_numbers"),
    ("bar", ["a", "b"], [("n", [1])], "length_mismatch"),
])
def test_limits_raise_chart_error_with_a_code(kind, labels, series, code):
    with pytest.raises(ChartError) as caught:
        render_chart(kind, labels, series)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)


def test_the_largest_allowed_chart_renders():
    labels = [str(i) for i in range(200)]
    series = [(f"s{s}", [float(i * s) for i in range(200)]) for s in range(6)]
    root = parse(render_chart("line", labels, series))
    assert len(shapes(root, "polyline", "line")) == 6
    assert len(shapes(root, "circle", "point")) == 1200


# --- picking data from a query result ------------------------------------------------

def test_labels_from_first_text_column_and_every_numeric_column_a_series():
    labels, series = chart_from_result(
        ["street", "count", "avg_hours", "note"],
        [("东区", 12, 3.5, "x"), ("西区", 7, None, 1)])
    assert labels == ["东区", "西区"]
    assert series == [("count", [12.0, 7.0]), ("avg_hours", [3.5, None])]


def test_text_column_need_not_come_first():
    labels, series = chart_from_result(["n", "name"], [(1, "a"), (2, "b")])
    assert labels == ["a", "b"] and series == [("n", [1.0, 2.0])]


def test_all_numeric_columns_use_the_first_as_labels():
    labels, series = chart_from_result(["year", "total"], [(2023, 10), (2024, 12.5)])
    assert labels == ["2023", "2024"] and series == [("total", [10.0, 12.5])]


def test_a_single_numeric_column_is_labelled_by_row_number():
    labels, series = chart_from_result(["total"], [(3,), (5,)])
    assert labels == ["1", "2"] and series == [("total", [3.0, 5.0])]


def test_label_column_can_be_chosen():
    labels, series = chart_from_result(["a", "b", "c"], [(1, 10, 100), (2, 20, 200)],
                                       label_column=1)
    assert labels == ["10", "20"]
    assert [name for name, _ in series] == ["a", "c"]


def test_booleans_nulls_and_all_null_columns_are_not_series():
    labels, series = chart_from_result(
        ["flag", "n", "empty"], [(True, 1, None), (False, None, None), (None, 3.5, None)])
    assert labels == ["True", "False", "NULL"]
    assert series == [("n", [1.0, None, 3.5])]


def test_picked_data_renders():
    labels, series = chart_from_result(["street", "count"], [("a", 3), ("b", 5)])
    root = parse(render_chart("bar", labels, series))
    assert len(shapes(root, "rect", "bar")) == 2


@pytest.mark.parametrize(("columns", "rows", "kwargs", "code"), [
    (["a", "b"], [], {}, "empty"),
    ([], [()], {}, "empty"),
    (["name"], [("a",), ("b",)], {}, "no_numbers"),
    (["name", "kind"], [("a", "x")], {}, "no_numbers"),
    (["n"], [(1,)], {"label_column": 0}, "no_numbers"),
    (["n", "m"], [(1, 2)], {"label_column": 2}, "bad_column"),
])
def test_unchartable_results(columns, rows, kwargs, code):
    with pytest.raises(ChartError) as caught:
        chart_from_result(columns, rows, **kwargs)
    assert caught.value.code == code


# --- phones (finding 18 of issue #17) -----------------------------------------------

def _slanted_reach(label: ET.Element) -> tuple[float, float]:
    """How far left and how far down a slanted label reaches (its text runs at 45°)."""
    run = text_width(label.text, FONT_SIZE) / math.sqrt(2)
    return num(label, "x") - run - FONT_SIZE * 0.6, num(label, "y") + run + FONT_SIZE * 0.3


def test_finding_18_slanted_labels_stay_inside_a_phone_chart_and_apart():
    labels = [f"{name}街道社区卫生服务中心" for name in ("七星岗", "南坪", "双江", "回兴")] * 10
    root = parse(render_chart("bar", labels, [("n", list(range(40)))], width=PHONE_SIZE[0],
                              height=PHONE_SIZE[1]))
    x_labels = shapes(root, "text", "x-label")
    assert all(el.get("transform", "").startswith("rotate(-45") for el in x_labels)
    for label in x_labels:
        left, bottom = _slanted_reach(label)
        assert left >= 0 and bottom <= PHONE_SIZE[1], (label.text, left, bottom)
    anchors = [num(el, "x") for el in x_labels]
    assert min(b - a for a, b in zip(anchors, anchors[1:], strict=False)) >= SLANT_SPACING - 0.01
    assert x_labels[0].find(SVG + "title").text == labels[0]  # cut, the full name on hover


def test_finding_18_the_legend_wraps_onto_rows_below_the_plot():
    series = [(f"第{n}季度医疗费用合计", [n, n + 1]) for n in range(1, 5)]
    root = parse(render_chart("line", ["甲", "乙"], series, width=PHONE_SIZE[0],
                              height=PHONE_SIZE[1]))
    items = shapes(root, "g", "legend-item")
    rows = sorted({num(item.find(SVG + "text"), "y") for item in items})
    assert len(items) == 4 and len(rows) >= 2
    lowest_label = max(num(el, "y") for el in shapes(root, "text", "x-label"))
    assert rows[0] > lowest_label + FONT_SIZE  # under the x labels, not over the plot
    for item in items:
        text = item.find(SVG + "text")  # its .text is what is shown; a cut one has a <title>
        assert num(text, "x") + text_width(text.text, FONT_SIZE) <= PHONE_SIZE[0], text.text
    assert rows[-1] <= PHONE_SIZE[1]


def test_finding_18_a_chart_for_screens_is_drawn_wide_and_for_a_phone():
    drawn = render_chart_for_screens("bar", ["甲", "乙"], [("n", [1, 2])])
    assert parse(drawn.wide).get("viewBox") == f"0 0 {WIDE_SIZE[0]} {WIDE_SIZE[1]}"
    assert parse(drawn.phone).get("viewBox") == f"0 0 {PHONE_SIZE[0]} {PHONE_SIZE[1]}"
    with pytest.raises(ChartError):
        render_chart_for_screens("bar", ["甲"], [("n", [None])])
