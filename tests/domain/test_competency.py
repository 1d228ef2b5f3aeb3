from datetime import UTC, datetime, timedelta

import pytest

from app.domain.competency import (
    HALF_LIFE_DAYS,
    MIN_ITEMS,
    AreaStanding,
    Evidence,
    ProficiencyLevel,
    assess_area,
    decay_weight,
    place_level,
    weakest_area,
    weighted_percent,
)

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def _evidence(earned, possible, items, days_ago=0, **demanding):
    return Evidence(earned=earned, possible=possible, items=items,
                    graded_at=NOW - timedelta(days=days_ago), **demanding)


def test_decay_halves_per_half_life_and_never_exceeds_one():
    assert decay_weight(0) == 1
    assert decay_weight(HALF_LIFE_DAYS) == pytest.approx(0.5)
    assert decay_weight(2 * HALF_LIFE_DAYS) == pytest.approx(0.25)
    assert decay_weight(-10) == 1  # graded "in the future" (clock skew) counts as today


def test_recent_evidence_weighs_more():
    old_fail = _evidence(0, 10, 5, days_ago=HALF_LIFE_DAYS)
    new_pass = _evidence(10, 10, 5, days_ago=0)
    standing = assess_area([old_fail, new_pass], now=NOW)
    # weights 0.5 and 1: (0 + 10) / (5 + 10) = 66.7, not the unweighted 50
    assert standing.mastery == pytest.approx(66.7)
    assert standing.items == 10


def test_weighted_percent_without_possible_points_is_none():
    assert weighted_percent([]) is None
    assert weighted_percent([(1.0, 0, 0)]) is None
    assert weighted_percent([(1.0, 3, 4)]) == 75


def test_no_evidence_gives_no_level():
    standing = assess_area([], now=NOW)
    assert standing.mastery is None and standing.items == 0 and standing.level is None
    assert not standing.enough_evidence


def test_too_few_items_is_not_enough_evidence_however_high_the_mastery():
    assert place_level(100.0, MIN_ITEMS - 1) is None
    assert place_level(100.0, MIN_ITEMS) is ProficiencyLevel.INTERMEDIATE


@pytest.mark.parametrize(("mastery", "items", "demanding", "demanding_mastery", "level"), [
    (59.9, 5, 0, None, ProficiencyLevel.FOUNDATION),
    (60.0, 5, 0, None, ProficiencyLevel.INTERMEDIATE),
    (0.0, 5, 0, None, ProficiencyLevel.FOUNDATION),
    (74.9, 10, 3, 100.0, ProficiencyLevel.INTERMEDIATE),
    (75.0, 10, 3, 60.0, ProficiencyLevel.ADVANCED),
    (75.0, 9, 3, 60.0, ProficiencyLevel.INTERMEDIATE),  # too few items for advanced
    (80.0, 10, 2, 100.0, ProficiencyLevel.INTERMEDIATE),  # too few demanding items
    (80.0, 10, 3, 59.9, ProficiencyLevel.INTERMEDIATE),  # demanding items failed
    (90.0, 20, 5, 60.0, ProficiencyLevel.EXPERT),
    (89.9, 20, 5, 100.0, ProficiencyLevel.ADVANCED),
    (95.0, 19, 5, 100.0, ProficiencyLevel.ADVANCED),
    (95.0, 20, 4, 100.0, ProficiencyLevel.ADVANCED),
])
def test_level_thresholds(mastery, items, demanding, demanding_mastery, level):
    assert place_level(mastery, items, demanding, demanding_mastery) is level


def test_assess_area_uses_demanding_evidence():
    rows = [_evidence(19, 20, 20, demanding_earned=5, demanding_possible=5, demanding_items=5)]
    standing = assess_area(rows, now=NOW)
    assert standing.mastery == 95.0 and standing.demanding_items == 5
    assert standing.level is ProficiencyLevel.EXPERT


def test_weakest_area_prefers_areas_without_evidence_then_lowest_mastery():
    def standing(mastery):
        return AreaStanding(mastery, 5, 0, None, ProficiencyLevel.FOUNDATION)

    order = ["a", "b", "c"]
    assert weakest_area({"a": standing(50), "b": standing(40), "c": standing(40)},
                        order) == "b"
    assert weakest_area({"a": standing(50), "b": standing(10)}, order) == "c"
    assert weakest_area({}, []) is None
