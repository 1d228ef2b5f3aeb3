"""Competency profile: recency-weighted mastery per area and the proficiency level rule.

Mastery (0–100) of an area is the share of points earned on the graded items of that
area, each attempt weighted by its age: ``weight = 0.5 ** (age_days / HALF_LIFE_DAYS)``
with a half-life of 180 days, so a result from half a year ago counts half as much as
one from today and one from a year ago a quarter. An attempt graded in the future (clock
skew) counts as today. The number of items behind each figure is the plain, unweighted
count of graded items.

Levels (DigComp-style, placed from scored evidence only, never from self-report). An
item is *demanding* when it is a data-exercise task or a bank question of difficulty 3.

- fewer than 5 graded items in the area: **not enough evidence** (no level);
- **expert** (专家): mastery ≥ 90, at least 20 items, at least 5 demanding items and a
  mastery of at least 60 on the demanding items;
- **advanced** (高级): mastery ≥ 75, at least 10 items, at least 3 demanding items and a
  mastery of at least 60 on the demanding items;
- **intermediate** (中级): mastery ≥ 60 (with the 5 items of the minimum);
- **foundation** (基础): any other area with at least 5 items.

The highest level whose every condition holds is the one placed; thresholds are
inclusive (exactly 75.0 with enough evidence is advanced).
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

HALF_LIFE_DAYS = 180
MIN_ITEMS = 5
DEMANDING_MASTERY = 60.0
DEMANDING_DIFFICULTY = 3


class ProficiencyLevel(enum.StrEnum):
    FOUNDATION = "foundation"  # 基础
    INTERMEDIATE = "intermediate"  # 中级
    ADVANCED = "advanced"  # 高级
    EXPERT = "expert"  # 专家


@dataclass(frozen=True)
class LevelRule:
    level: ProficiencyLevel
    mastery: float
    items: int
    demanding_items: int = 0


#: Highest first; the first rule met places the level.
LEVEL_RULES = (
    LevelRule(ProficiencyLevel.EXPERT, 90.0, 20, 5),
    LevelRule(ProficiencyLevel.ADVANCED, 75.0, 10, 3),
    LevelRule(ProficiencyLevel.INTERMEDIATE, 60.0, MIN_ITEMS),
    LevelRule(ProficiencyLevel.FOUNDATION, 0.0, MIN_ITEMS),
)


@dataclass(frozen=True)
class Evidence:
    """One attempt's graded items in one area (sums, not answer rows)."""

    earned: float
    possible: float
    items: int
    graded_at: datetime
    demanding_earned: float = 0.0
    demanding_possible: float = 0.0
    demanding_items: int = 0


@dataclass(frozen=True)
class AreaStanding:
    #: Recency-weighted mastery 0–100, None without any graded item.
    mastery: float | None
    items: int
    demanding_items: int
    demanding_mastery: float | None
    level: ProficiencyLevel | None  # None: not enough evidence

    @property
    def enough_evidence(self) -> bool:
        return self.level is not None


def decay_weight(age_days: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """Weight of evidence ``age_days`` old: 1 today, 0.5 after one half-life."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def _age_days(moment: datetime, now: datetime) -> float:
    return (now - moment).total_seconds() / 86400


def weighted_percent(pairs: Iterable[tuple[float, float, float]]) -> float | None:
    """Σ w·earned / Σ w·possible × 100 over (weight, earned, possible); None when nothing."""
    earned = possible = 0.0
    for weight, got, out_of in pairs:
        earned += weight * got
        possible += weight * out_of
    if possible <= 0:
        return None
    return max(0.0, min(100.0, 100.0 * earned / possible))


def place_level(mastery: float | None, items: int, demanding_items: int = 0,
                demanding_mastery: float | None = None) -> ProficiencyLevel | None:
    """The level the evidence supports, or None for "not enough evidence"."""
    if mastery is None or items < MIN_ITEMS:
        return None
    for rule in LEVEL_RULES:
        if mastery < rule.mastery or items < rule.items:
            continue
        if rule.demanding_items and (demanding_items < rule.demanding_items
                                     or (demanding_mastery or 0.0) < DEMANDING_MASTERY):
            continue
        return rule.level
    return None


def assess_area(evidence: Iterable[Evidence], *, now: datetime,
                half_life_days: float = HALF_LIFE_DAYS) -> AreaStanding:
    rows = list(evidence)
    weighted = [(decay_weight(_age_days(e.graded_at, now), half_life_days), e) for e in rows]
    mastery = weighted_percent((w, e.earned, e.possible) for w, e in weighted)
    demanding = weighted_percent((w, e.demanding_earned, e.demanding_possible)
                                 for w, e in weighted)
    items = sum(e.items for e in rows)
    demanding_items = sum(e.demanding_items for e in rows)
    return AreaStanding(mastery=None if mastery is None else round(mastery, 1), items=items,
                        demanding_items=demanding_items,
                        demanding_mastery=None if demanding is None else round(demanding, 1),
                        level=place_level(mastery, items, demanding_items, demanding))


def weakest_area(standings: dict, order: Iterable) -> object | None:
    """The area to study next: one without any evidence first, else the lowest mastery.

    Ties go to the earlier area in ``order`` (the vocabulary's order).
    """
    ranked = sorted(enumerate(order), key=lambda pair: (
        _mastery_of(standings.get(pair[1])), pair[0]))
    return ranked[0][1] if ranked else None


def _mastery_of(standing: AreaStanding | None) -> float:
    if standing is None or standing.mastery is None:
        return -1.0
    return standing.mastery
