"""The competency radar: the page's SVG and the PDFs' Drawing, from one geometry."""

import math
import xml.etree.ElementTree as ET

import pytest
from reportlab.graphics.shapes import Polygon, String

from app.domain.chart_labels import text_width
from app.domain.radar import RING_SHARES, point
from app.reports.charts import RadarChart, build_drawing
from app.reports.charts.radar import PHONE_RADAR, radar_svg, svg_point
from app.reports.charts.radar import SVG_CENTRE as CENTRE
from app.reports.charts.radar import SVG_RADIUS as RADIUS

NS = {"svg": "http://www.w3.org/2000/svg"}
AREAS = ["思维", "数据", "治理", "安全", "应用"]


def _parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check its shape


def _shape_points(root):
    shape = root.find("svg:polygon[@class='radar-shape']", NS)
    return [tuple(map(float, p.split(","))) for p in shape.get("points").split()]


def test_svg_parses_with_five_axes_and_five_gridlines():
    root = _parse(radar_svg(list(zip(AREAS, [10, 20, 30, 40, 50], strict=True)), title="画像"))
    assert root.get("role") == "img" and root.get("aria-label") == "画像"
    assert len(root.findall("svg:line[@class='radar-axis']", NS)) == 5
    grids = root.findall("svg:polygon[@class='radar-grid']", NS)
    assert [int(g.get("data-level")) for g in grids] == [round(100 * s) for s in RING_SHARES]
    assert [t.text for t in root.findall("svg:text", NS)] == AREAS


@pytest.mark.parametrize("value", [0, 50, 100])
def test_points_lie_at_the_value_radius(value):
    root = _parse(radar_svg([(a, value) for a in AREAS], title="t"))
    for x, y in _shape_points(root):
        distance = math.hypot(x - CENTRE[0], y - CENTRE[1])
        assert distance == pytest.approx(RADIUS * value / 100, abs=0.1)


def test_first_axis_points_up():
    x, y = svg_point(point(0, 5, 1, RADIUS))
    assert x == pytest.approx(CENTRE[0]) and y == pytest.approx(CENTRE[1] - RADIUS)


def test_finding_15_page_radar_shows_no_evidence_as_no_evidence():
    values = [80, None, 60, None, 40]
    svg = radar_svg(list(zip(AREAS, values, strict=True)), title="t")
    root = _parse(svg)
    # Three corners, none at the centre: the areas without evidence are not drawn as 0.
    corners = _shape_points(root)
    assert len(corners) == 3
    assert all(math.dist(p, CENTRE) > RADIUS * 0.3 for p in corners)
    dashed = root.findall("svg:line[@class='radar-axis radar-no-evidence']", NS)
    assert len(dashed) == 2 and all(line.get("stroke-dasharray") for line in dashed)
    assert svg.count(">证据不足<") == 2 and "未计为 0" in svg
    nothing = _parse(radar_svg([(a, None) for a in AREAS], title="t"))
    assert nothing.find("svg:polygon[@class='radar-shape']", NS) is None


def test_values_are_clamped_to_the_scale():
    root = _parse(radar_svg([(a, 250) for a in AREAS], title="t"))
    for x, y in _shape_points(root):
        assert math.hypot(x - CENTRE[0], y - CENTRE[1]) == pytest.approx(RADIUS, abs=0.1)


def test_labels_and_title_are_escaped():
    svg = radar_svg([('<script>"x"&', 10)] + [(a, 10) for a in AREAS[1:]],
                    title='A "quoted" <b>title</b> & more')
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    assert root.find("svg:text", NS).text == '<script>"x"&'
    assert root.get("aria-label") == 'A "quoted" <b>title</b> & more'


def test_fewer_than_three_axes_are_refused():
    with pytest.raises(ValueError):
        radar_svg([("a", 1), ("b", 2)], title="t")


def _unit_shape(corners, centre, radius, *, y_down):
    """Corners as offsets from the centre on a circle of radius 1, y up, flattened."""
    sign = -1 if y_down else 1
    return [c for x, y in corners for c in ((x - centre[0]) / radius,
                                            sign * (y - centre[1]) / radius)]


def test_the_page_and_the_pdf_draw_the_same_shape():
    values = [78, 65, 90, 40, 55]
    root = _parse(radar_svg(list(zip(AREAS, values, strict=True)), title="t"))
    page = _unit_shape(_shape_points(root), CENTRE, RADIUS, y_down=True)
    drawing = build_drawing(RadarChart("t", AREAS, values), 360, 280)
    rings = [s for s in drawing.contents if isinstance(s, Polygon)]
    outer, shape = rings[len(RING_SHARES) - 1], rings[-1]
    corners = list(zip(outer.points[::2], outer.points[1::2], strict=True))
    centre = (sum(x for x, _ in corners) / 5, sum(y for _, y in corners) / 5)
    radius = math.dist(centre, corners[0])
    pdf = _unit_shape(zip(shape.points[::2], shape.points[1::2], strict=True), centre, radius,
                      y_down=False)
    assert pdf == pytest.approx(page, abs=0.002)
    assert page[:2] == pytest.approx([0, 0.78], abs=0.002)  # the first axis points up


AREA_NAMES = ["数字思维与战略", "数据素养与决策", "数字治理与服务", "数据安全与隐私",
              "数字技术应用"]


def _text_box(text):
    """(left, top, right, bottom) of a <text> of the page's SVG, from its anchor and size."""
    x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
    width = text_width(text.text, size)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
    return left, y - size * 0.9, left + width, y + size * 0.2


def test_finding_18_the_phone_radar_keeps_its_labels_whole_and_inside():
    values = [70, None, 80, 60, None]
    root = _parse(radar_svg(list(zip(AREA_NAMES, values, strict=True)), title="t",
                            frame=PHONE_RADAR))
    assert root.get("viewBox") == f"0 0 {PHONE_RADAR.width} {PHONE_RADAR.height}"
    texts = root.findall("svg:text", NS)
    assert all(float(t.get("font-size")) >= 12 for t in texts)
    for text in texts:
        left, top, right, bottom = _text_box(text)
        assert left >= 0 and right <= PHONE_RADAR.width, (text.text, left, right)
        assert top >= 0 and bottom <= PHONE_RADAR.height, (text.text, top, bottom)
    shown = "".join(t.text for t in texts if t.get("class") == "radar-label")
    assert shown == "".join(AREA_NAMES)  # wrapped onto lines where needed, never cut
    page = _parse(radar_svg(list(zip(AREA_NAMES, values, strict=True)), title="t"))
    assert [t.text for t in page.findall("svg:text[@class='radar-label']", NS)] == AREA_NAMES


def test_finding_18_a_narrow_drawing_wraps_area_names_instead_of_cutting_them():
    drawing = build_drawing(RadarChart("t", AREA_NAMES, [70, 60, 80, 50, 90]), 200, 210)
    texts = [s.text for s in drawing.contents if isinstance(s, String)]
    assert "…" not in "".join(texts)
    assert "".join(t for t in texts if not t.replace(".", "").isdigit() and t != "t") == \
        "".join(AREA_NAMES)
