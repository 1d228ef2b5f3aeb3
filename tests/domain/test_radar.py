import math
import xml.etree.ElementTree as ET

import pytest

from app.domain.radar import CENTRE, GRID_LEVELS, RADIUS, axis_point, radar_svg

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
    assert [int(g.get("data-level")) for g in grids] == list(GRID_LEVELS)
    assert [t.text for t in root.findall("svg:text", NS)] == AREAS


@pytest.mark.parametrize("value", [0, 50, 100])
def test_points_lie_at_the_value_radius(value):
    root = _parse(radar_svg([(a, value) for a in AREAS], title="t"))
    for x, y in _shape_points(root):
        distance = math.hypot(x - CENTRE[0], y - CENTRE[1])
        assert distance == pytest.approx(RADIUS * value / 100, abs=0.1)


def test_first_axis_points_up_and_missing_values_sit_at_the_centre():
    x, y = axis_point(0, 5, 100)
    assert x == pytest.approx(CENTRE[0]) and y == pytest.approx(CENTRE[1] - RADIUS)
    root = _parse(radar_svg([(a, None) for a in AREAS], title="t"))
    assert all(p == pytest.approx(CENTRE, abs=0.1) for p in _shape_points(root))


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
