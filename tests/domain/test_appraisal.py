from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain.appraisal import (
    Components,
    Entry,
    Rating,
    Scheme,
    SchemeProblem,
    appraisal_index,
    default_scheme,
    exact_sum,
    excellent_allowed,
    hours_component,
    loosened_fields,
    make_components,
    mean_percent,
    rate_all,
    rating_for,
    validate_scheme,
    weighted_parts,
)

RANKS = ("staff", "section")
CITY = default_scheme(RANKS)


def scheme(**changes) -> Scheme:
    values = {"hours_targets": {"staff": 50, "section": 50},
              "weights": {"hours": 40, "scores": 30, "practice": 20, "coverage": 10},
              "thresholds": {"excellent": 90, "pass": 70, "basic": 60}, "quota_percent": 20}
    values.update(changes)
    return Scheme(**values)


def test_default_scheme_follows_the_design():
    assert CITY.target_for("staff") == 50
    assert dict(CITY.weights) == {"hours": 40, "scores": 30, "practice": 20, "coverage": 10}
    assert dict(CITY.thresholds) == {"excellent": 90, "pass": 70, "basic": 60}
    assert CITY.quota_percent == 20
    assert validate_scheme(CITY) == []


def test_weights_must_add_up_to_100():
    bad = scheme(weights={"hours": 40, "scores": 30, "practice": 20, "coverage": 5})
    assert validate_scheme(bad) == [SchemeProblem("weights", "sum")]


def test_thresholds_must_rise_strictly_within_0_to_100():
    assert validate_scheme(scheme(thresholds={"excellent": 90, "pass": 60, "basic": 60})) == [
        SchemeProblem("thresholds", "order")]
    assert validate_scheme(scheme(thresholds={"excellent": 101, "pass": 70, "basic": 60})) == [
        SchemeProblem("thresholds", "range")]


def test_quota_over_100_percent_and_bad_targets_are_refused():
    assert validate_scheme(scheme(quota_percent=120)) == [SchemeProblem("quota_percent", "range")]
    assert validate_scheme(scheme(hours_targets={"staff": 0, "section": 50})) == [
        SchemeProblem("hours_staff", "range")]


def test_a_unit_may_not_loosen_the_city_scheme():
    looser = scheme(hours_targets={"staff": 40, "section": 60},
                    thresholds={"excellent": 85, "pass": 70, "basic": 60}, quota_percent=30)
    assert loosened_fields(looser, CITY) == ["hours_staff", "threshold_excellent",
                                             "quota_percent"]
    stricter = scheme(hours_targets={"staff": 60, "section": 60}, quota_percent=10)
    assert loosened_fields(stricter, CITY) == []


def test_hours_component_is_capped_at_100():
    assert hours_component(Decimal(25), 50) == Decimal("50.00")
    assert hours_component(Decimal(80), 50) == Decimal("100.00")
    assert hours_component(Decimal(0), 50) == Decimal("0.00")


def test_index_is_the_weighted_sum_of_the_components():
    parts = make_components(hours=Decimal(50), target=50, scores=Decimal(80), practice=None,
                            covered_areas=3)
    assert parts == Components(Decimal("100.00"), Decimal("80.00"), Decimal("0.00"),
                               Decimal("60.00"))
    # 100×0.4 + 80×0.3 + 0×0.2 + 60×0.1
    assert appraisal_index(parts, CITY.weights) == Decimal("70.00")
    assert sum(weighted_parts(parts, CITY.weights).values()) == Decimal("70.00")


@pytest.mark.parametrize(("index", "rating"), [
    ("95", Rating.EXCELLENT), ("90", Rating.EXCELLENT), ("89.99", Rating.PASS),
    ("70", Rating.PASS), ("65", Rating.BASIC), ("59.9", Rating.FAIL), ("0", Rating.FAIL)])
def test_rating_from_thresholds(index, rating):
    assert rating_for(Decimal(index), CITY.thresholds) is rating


def entry(user_id, index, *, unit=1, hours=50, completed=None, exempt=False):
    return Entry(user_id=user_id, unit_id=unit, index=Decimal(index), hours=Decimal(hours),
                 completed_at=completed, exempt=exempt)


def test_excellent_allowed_is_floor_of_the_quota_but_at_least_one():
    assert [excellent_allowed(n, 20) for n in (0, 1, 4, 5, 9, 10)] == [0, 1, 1, 1, 1, 2]
    assert excellent_allowed(5, 0) == 0


def test_unit_of_one_keeps_its_excellent_cadre():
    assert rate_all([entry(1, 95)], default=CITY) == {1: Rating.EXCELLENT}


def test_unit_of_four_and_of_five_keep_one_excellent():
    four = [entry(i, 90 + i) for i in range(1, 5)]
    ratings = rate_all(four, default=CITY)
    assert ratings == {4: Rating.EXCELLENT, 1: Rating.PASS, 2: Rating.PASS, 3: Rating.PASS}
    five = [entry(i, 80 + 3 * i) for i in range(1, 6)]  # 83 86 89 92 95
    ratings = rate_all(five, default=CITY)
    assert ratings == {5: Rating.EXCELLENT, 4: Rating.PASS, 3: Rating.PASS, 2: Rating.PASS,
                       1: Rating.PASS}


def test_ten_cadres_keep_two_and_units_are_counted_apart():
    cadres = [entry(i, 91, hours=50 + i) for i in range(1, 11)]
    cadres.append(entry(99, 92, unit=2))
    ratings = rate_all(cadres, default=CITY)
    assert {u for u, r in ratings.items() if r is Rating.EXCELLENT} == {10, 9, 99}


def test_ties_go_by_index_then_hours_then_earliest_completion():
    early = datetime(2026, 3, 1, tzinfo=UTC)
    late = datetime(2026, 9, 1, tzinfo=UTC)
    cadres = [entry(1, 95, hours=60, completed=late), entry(2, 95, hours=60, completed=early),
              entry(3, 95, hours=55, completed=early), entry(4, 60), entry(5, 60)]
    ratings = rate_all(cadres, default=CITY)
    assert ratings[2] is Rating.EXCELLENT
    assert ratings[1] is ratings[3] is Rating.PASS


def test_all_tied_still_respects_the_quota():
    cadres = [entry(i, 92) for i in range(1, 6)]
    ratings = rate_all(cadres, default=CITY)
    assert list(ratings.values()).count(Rating.EXCELLENT) == 1
    assert ratings[1] is Rating.EXCELLENT  # the full tie goes to the lower id


def test_nobody_above_the_threshold_keeps_threshold_ratings():
    cadres = [entry(1, 85), entry(2, 65), entry(3, 10)]
    assert rate_all(cadres, default=CITY) == {1: Rating.PASS, 2: Rating.BASIC, 3: Rating.FAIL}


def test_exempt_cadres_leave_the_quota_base():
    # Ten cadres would allow two; with five of them exempt the base is five: one 优秀.
    cadres = [entry(i, 95 - i) for i in range(1, 6)]
    cadres += [entry(i, 99, exempt=True) for i in range(6, 11)]
    ratings = rate_all(cadres, default=CITY)
    assert [ratings[i] for i in range(6, 11)] == [Rating.EXEMPT] * 5
    assert [u for u, r in ratings.items() if r is Rating.EXCELLENT] == [1]


def test_a_unit_scheme_applies_its_own_thresholds_and_quota():
    strict = scheme(thresholds={"excellent": 96, "pass": 80, "basic": 60}, quota_percent=50)
    cadres = [entry(1, 97, unit=2), entry(2, 97, unit=2), entry(3, 75, unit=2)]
    ratings = rate_all(cadres, default=CITY, unit_schemes={2: strict})
    assert ratings == {1: Rating.EXCELLENT, 2: Rating.PASS, 3: Rating.BASIC}


def test_finding_3_appraisal_rounding_is_decimal_half_up_whatever_the_database():
    """Finding 17.3: SQLite's floating sum (147.82999999999998) and PostgreSQL's exact one
    give one mean, and 73.915 rounds half up to 73.92 in the component."""
    assert exact_sum(73.91 + 73.92) == exact_sum(Decimal("147.83")) == Decimal("147.83")
    assert exact_sum(0.1 + 0.2, Decimal("0.1")) == Decimal("0.3")
    assert exact_sum(None) == 0 and mean_percent(None, 0) is None
    mean = mean_percent(73.91 + 73.92, 2)
    assert mean == Decimal("73.915")
    parts = make_components(hours=Decimal(50), target=50, scores=mean,
                            practice=Decimal("39.10"), covered_areas=0)
    assert parts.scores == Decimal("73.92")
    # 40 + 22.176 + 7.82 = 69.996 → 70.00: 合格 (from 73.91 it would be 69.99, 基本合格)
    assert appraisal_index(parts, CITY.weights) == Decimal("70.00")
