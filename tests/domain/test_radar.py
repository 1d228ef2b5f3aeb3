import math

import pytest

from app.domain.radar import (
    RING_SHARES,
    axis_direction,
    label_anchor,
    outline,
    ring,
    value_share,
    without_evidence,
)


def test_axes_run_clockwise_from_twelve_o_clock():
    assert axis_direction(0, 4) == pytest.approx((0, 1))
    assert axis_direction(1, 4) == pytest.approx((1, 0))  # then to the right
    assert axis_direction(2, 4) == pytest.approx((0, -1))
    assert [label_anchor(i, 5) for i in range(5)] == ["middle", "start", "start", "end", "end"]


def test_values_are_clamped_to_the_scale():
    assert [value_share(v) for v in (-5, 50, 250)] == [0, 0.5, 1]
    assert value_share(3, max_value=4) == 0.75


def test_finding_15_no_evidence_has_no_corner_rather_than_a_zero():
    shape = outline([0, 50, 100, None, 250], radius=120)
    assert [math.hypot(*corner) for corner in shape] == pytest.approx([0, 60, 120, 120])
    assert without_evidence([0, 50, None, None]) == [2, 3]


def test_five_rings_at_every_fifth_of_the_scale():
    assert RING_SHARES == (0.2, 0.4, 0.6, 0.8, 1.0)
    assert all(math.hypot(*corner) == pytest.approx(24) for corner in ring(5, 0.2, 120))
