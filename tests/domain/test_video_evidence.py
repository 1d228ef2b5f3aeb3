import pytest

from app.domain.video_evidence import (
    VideoFigures,
    figures_from_totals,
    moment_label,
    retention_curve,
    sample_moments,
    video_figures,
)


def test_sample_moments_are_the_middles_of_equal_stretches():
    assert sample_moments(100, 4) == [12.5, 37.5, 62.5, 87.5]
    assert sample_moments(0, 4) == [] and sample_moments(100, 0) == []


def test_everyone_watching_everything_is_a_flat_full_curve():
    curve = retention_curve([[[0, 100]], [[0, 100]]], 100, points=10)
    assert curve == [1.0] * 10


def test_the_curve_falls_where_viewers_stop():
    # Moments at 5, 15, ..., 95. One viewer to the end, one to 50, one to 20.
    curve = retention_curve([[[0, 100]], [[0, 50]], [[0, 20]]], 100, points=10)
    assert curve[:2] == [1.0, 1.0]  # 5 and 15: all three
    assert curve[2:5] == pytest.approx([2 / 3] * 3)  # 25, 35, 45: two
    assert curve[5:] == pytest.approx([1 / 3] * 5)  # 55 ... 95: one


def test_a_skipped_middle_is_a_dip_and_overlaps_count_a_viewer_once():
    viewer = [[0, 30], [20, 40], [70, 100]]  # two overlapping sittings, 40-70 skipped
    curve = retention_curve([viewer], 100, points=10)
    assert curve == [1, 1, 1, 1, 0, 0, 0, 1, 1, 1]


def test_a_moment_exactly_at_an_interval_end_is_covered():
    assert retention_curve([[[0, 15]]], 100, points=10)[:3] == [1, 1, 0]


def test_viewers_without_credited_time_are_not_counted():
    curve = retention_curve([[], [[10, 10]], [[0, 100]]], 100, points=4)
    assert curve == [1.0] * 4


def test_nobody_watching_gives_zeros_and_a_video_without_length_nothing():
    assert retention_curve([], 100, points=3) == [0.0, 0.0, 0.0]
    assert retention_curve([[[0, 5]]], 0) == []


def test_intervals_beyond_the_video_are_clipped_to_its_moments():
    assert retention_curve([[[-5, 500]]], 100, points=5) == [1.0] * 5


def test_the_default_is_fifty_points_and_accepts_a_stream():
    stream = ([[0, float(n)]] for n in range(1, 101))
    curve = retention_curve(stream, 100)
    assert len(curve) == 50
    assert curve[0] == pytest.approx(1.0) and curve[-1] == pytest.approx(2 / 100)
    assert curve == sorted(curve, reverse=True)


def test_figures_from_plain_views():
    figures = video_figures([(100, True), (50, False), (0, False), (300, True)], 100)
    assert figures.viewers == 3 and figures.completed == 2
    assert figures.average_share == pytest.approx((1 + 0.5 + 1) / 3)  # 300 s counts as whole
    assert figures.completion_percent == 67 and figures.average_percent == 83


def test_figures_without_viewers_are_zero_not_an_error():
    figures = video_figures([(0, False)], 100)
    assert figures == VideoFigures(0, 0, 0.0)
    assert figures.completion_rate == 0.0 and figures.average_percent == 0


def test_figures_from_database_totals_match_the_plain_ones():
    plain = video_figures([(100, True), (50, False), (30, False)], 100)
    totals = figures_from_totals(3, 1, 60.0, 100)
    assert totals == plain
    assert figures_from_totals(0, 0, None, 100) == VideoFigures(0, 0, 0.0)
    assert figures_from_totals(2, None, 50, 0) == VideoFigures(2, 0, 0.0)


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (5.9, "0:05"), (750, "12:30"),
                                               (4500, "75:00")])
def test_moments_read_as_minutes_and_seconds(seconds, text):
    assert moment_label(seconds) == text
