"""The annual appraisal (年度考核): scheme rules, the index, ratings and the excellent quota.

Pure rules, no database. Every component and the index are computed in Decimal and rounded
once, half up, to 0.01 (73.915 → 73.92), the index from the rounded components; the same on
SQLite and PostgreSQL, because the database only adds and counts (exact_sum, mean_percent).
Defaults follow DESIGN.md §7: an hours target of 50 for every
rank; weights hours 40, course scores 30, data practice 20, area coverage 10; thresholds
优秀 ≥ 90, 合格 ≥ 70, 基本合格 ≥ 60, else 不合格; an excellent quota of 20 % per org unit.

The quota: in each unit, of the cadres reaching the 优秀 threshold at most
floor(quota × candidates / 100) keep 优秀 (at least 1 when the quota is above 0 and anyone
reaches the threshold); the others become 合格. Candidates are the unit's cadres who are not
exempt. Ranking is by index, then hours, then the earliest completion (the moment of the
last hour credited that year), then the lower user id so that full ties stay deterministic
and the quota is never exceeded. Exempt cadres are rated 免考核 and are no candidates.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from app.domain.training_hours import HoursTargets

AREA_COUNT = 5
COVERED_MASTERY = 60
DEFAULT_HOURS_TARGET = 50
#: The cadre education and training regulations (干部教育培训工作条例) ask county-division
#: level leaders and above for 550 hours over five years; other ranks have no default.
DEFAULT_FIVE_YEAR_TARGETS = {"bureau": 550, "division": 550}
MAX_FIVE_YEAR_TARGET = 5000
DEFAULT_WEIGHTS = {"hours": 40, "scores": 30, "practice": 20, "coverage": 10}
DEFAULT_THRESHOLDS = {"excellent": 90, "pass": 70, "basic": 60}
DEFAULT_QUOTA_PERCENT = 20
WEIGHT_FIELDS = tuple(DEFAULT_WEIGHTS)
THRESHOLD_FIELDS = tuple(DEFAULT_THRESHOLDS)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Rating(enum.StrEnum):
    """An appraisal rating; the order is best first."""

    EXCELLENT = "excellent"  # 优秀
    PASS = "pass"  # noqa: S105 - 合格, a rating, not a password
    BASIC = "basic"  # 基本合格
    FAIL = "fail"  # 不合格
    EXEMPT = "exempt"  # 免考核


@dataclass(frozen=True)
class Scheme:
    """One year's rules: targets by rank (rank value → hours), weights, thresholds, quota.

    Hours targets per rank: the year's total (every kind of hours counts), optionally a
    minimum of online hours within it, and optionally a total over five years.
    """

    hours_targets: Mapping[str, int]
    weights: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    thresholds: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    quota_percent: int = DEFAULT_QUOTA_PERCENT
    online_minimums: Mapping[str, int] = field(default_factory=dict)
    five_year_targets: Mapping[str, int] = field(
        default_factory=lambda: dict(DEFAULT_FIVE_YEAR_TARGETS))

    def target_for(self, rank: str) -> int:
        return self.hours_targets.get(rank, DEFAULT_HOURS_TARGET)

    def online_minimum_for(self, rank: str) -> int:
        return self.online_minimums.get(rank, 0)

    def five_year_target_for(self, rank: str) -> int:
        return self.five_year_targets.get(rank, 0)

    def hours_targets_for(self, rank: str) -> HoursTargets:
        return HoursTargets(Decimal(self.target_for(rank)),
                            Decimal(self.online_minimum_for(rank)),
                            Decimal(self.five_year_target_for(rank)))


def default_scheme(ranks: Iterable[str]) -> Scheme:
    return Scheme(hours_targets={rank: DEFAULT_HOURS_TARGET for rank in ranks})


@dataclass(frozen=True)
class SchemeProblem:
    """What is wrong with a scheme: the field (e.g. "weights", "hours_staff") and why."""

    field: str
    reason: str  # "sum" | "order" | "range" | "looser"


def validate_scheme(scheme: Scheme) -> list[SchemeProblem]:
    """Hours targets in range, weights each 0..100 summing to 100, thresholds strictly rising
    in 0..100, quota 0..100."""
    problems = _hours_target_problems(scheme)
    weights = [scheme.weights.get(name, -1) for name in WEIGHT_FIELDS]
    if any(not 0 <= w <= 100 for w in weights):
        problems.append(SchemeProblem("weights", "range"))
    elif sum(weights) != 100:
        problems.append(SchemeProblem("weights", "sum"))
    basic, passed, excellent = (scheme.thresholds.get(name, -1)
                                for name in ("basic", "pass", "excellent"))
    if any(not 0 <= t <= 100 for t in (basic, passed, excellent)):
        problems.append(SchemeProblem("thresholds", "range"))
    elif not basic < passed < excellent:
        problems.append(SchemeProblem("thresholds", "order"))
    if not 0 <= scheme.quota_percent <= 100:
        problems.append(SchemeProblem("quota_percent", "range"))
    return problems


def _hours_target_problems(scheme: Scheme) -> list[SchemeProblem]:
    """Yearly targets 1..1000, online minimums 0..the yearly target, five-year 0..5000."""
    problems = [SchemeProblem(f"hours_{rank}", "range")
                for rank, hours in scheme.hours_targets.items() if not 1 <= hours <= 1000]
    problems += [SchemeProblem(f"online_{rank}", "range")
                 for rank, minimum in scheme.online_minimums.items()
                 if not 0 <= minimum <= scheme.target_for(rank)]
    problems += [SchemeProblem(f"five_year_{rank}", "range")
                 for rank, hours in scheme.five_year_targets.items()
                 if not 0 <= hours <= MAX_FIVE_YEAR_TARGET]
    return problems


def loosened_fields(scheme: Scheme, city: Scheme) -> list[str]:
    """Fields where a unit's scheme is easier than the city's: lower targets or thresholds,
    a higher excellent quota. Weights may differ (they do not make passing easier as such)."""
    fields = [f"hours_{rank}" for rank, hours in scheme.hours_targets.items()
              if hours < city.target_for(rank)]
    fields += [f"online_{rank}" for rank, hours in scheme.online_minimums.items()
               if hours < city.online_minimum_for(rank)]
    fields += [f"five_year_{rank}" for rank, hours in scheme.five_year_targets.items()
               if hours < city.five_year_target_for(rank)]
    fields += [f"threshold_{name}" for name in THRESHOLD_FIELDS
               if scheme.thresholds[name] < city.thresholds[name]]
    if scheme.quota_percent > city.quota_percent:
        fields.append("quota_percent")
    return fields


@dataclass(frozen=True)
class Components:
    """The four components of the index, each 0..100."""

    hours: Decimal
    scores: Decimal
    practice: Decimal
    coverage: Decimal

    def as_dict(self) -> dict[str, Decimal]:
        return {"hours": self.hours, "scores": self.scores, "practice": self.practice,
                "coverage": self.coverage}


def exact_sum(total, unit: Decimal = CENT) -> Decimal:
    """A SQL SUM of a NUMERIC column holding ``unit`` places, as the exact decimal it is.

    PostgreSQL adds NUMERIC exactly; SQLite adds in floating point (73.91 + 73.92 =
    147.82999999999998). Values with two places sum to a multiple of 0.01, so rounding to
    that unit recovers the exact sum (the float error is far below half a unit).
    """
    return Decimal(str(total or 0)).quantize(unit, ROUND_HALF_UP)


def mean_percent(total, count: int) -> Decimal | None:
    """The mean of ``count`` percents (two places) adding up to ``total``, unrounded: the
    component rounds it once, half up. None when there is nothing to average.

    Never a database's AVG: SQLite averages in floating point, so 73.915 came out 73.91
    there and 73.92 on PostgreSQL.
    """
    if not count:
        return None
    return exact_sum(total) / Decimal(count)


def _clamp(value: Decimal) -> Decimal:
    return min(HUNDRED, max(Decimal(0), value)).quantize(CENT, ROUND_HALF_UP)


def hours_component(hours: Decimal, target: int) -> Decimal:
    """min(100, hours ÷ target × 100). ``hours`` are the counted hours
    (app.domain.training_hours.HoursStanding.counted_hours: the year's hours of every kind,
    less what the online minimum still lacks)."""
    if target <= 0:
        return HUNDRED.quantize(CENT)
    return _clamp(Decimal(hours) / Decimal(target) * HUNDRED)


def coverage_component(covered_areas: int) -> Decimal:
    """The share of the five competency areas covered, as a percentage."""
    return _clamp(Decimal(covered_areas) / Decimal(AREA_COUNT) * HUNDRED)


def make_components(*, hours: Decimal, target: int, scores: Decimal | None,
                    practice: Decimal | None, covered_areas: int) -> Components:
    """Components from the raw figures; no course quiz or no exercise counts as 0."""
    return Components(hours=hours_component(hours, target),
                      scores=_clamp(Decimal(scores or 0)),
                      practice=_clamp(Decimal(practice or 0)),
                      coverage=coverage_component(covered_areas))


def appraisal_index(components: Components, weights: Mapping[str, int]) -> Decimal:
    """The weighted sum of the components (weights add up to 100), two decimals."""
    total = sum((value * weights[name] for name, value in components.as_dict().items()),
                Decimal(0))
    return _clamp(total / HUNDRED)


def weighted_parts(components: Components, weights: Mapping[str, int]) -> dict[str, Decimal]:
    """Each component's contribution to the index, for explaining it to the cadre."""
    return {name: (value * weights[name] / HUNDRED).quantize(CENT, ROUND_HALF_UP)
            for name, value in components.as_dict().items()}


def rating_for(index: Decimal, thresholds: Mapping[str, int]) -> Rating:
    if index >= thresholds["excellent"]:
        return Rating.EXCELLENT
    if index >= thresholds["pass"]:
        return Rating.PASS
    if index >= thresholds["basic"]:
        return Rating.BASIC
    return Rating.FAIL


@dataclass(frozen=True)
class Entry:
    """One cadre as the quota sees them."""

    user_id: int
    unit_id: int
    index: Decimal
    hours: Decimal
    completed_at: datetime | None
    exempt: bool = False


def excellent_allowed(candidates: int, quota_percent: int) -> int:
    """How many may stay 优秀 in a unit of ``candidates`` non-exempt cadres."""
    if candidates == 0 or quota_percent <= 0:
        return 0
    return max(1, candidates * quota_percent // 100)


def _rank_key(entry: Entry):
    completed = entry.completed_at.timestamp() if entry.completed_at else float("inf")
    return (-entry.index, -entry.hours, completed, entry.user_id)


def rate_all(entries: Iterable[Entry], *, default: Scheme,
             unit_schemes: Mapping[int, Scheme] | None = None) -> dict[int, Rating]:
    """Every cadre's final rating: the unit's thresholds first, then its excellent quota."""
    schemes = unit_schemes or {}
    ratings: dict[int, Rating] = {}
    by_unit: dict[int, list[Entry]] = {}
    for entry in entries:
        if entry.exempt:
            ratings[entry.user_id] = Rating.EXEMPT
            continue
        scheme = schemes.get(entry.unit_id, default)
        ratings[entry.user_id] = rating_for(entry.index, scheme.thresholds)
        by_unit.setdefault(entry.unit_id, []).append(entry)
    for unit_id, members in by_unit.items():
        excellent = sorted((e for e in members if ratings[e.user_id] is Rating.EXCELLENT),
                           key=_rank_key)
        quota = schemes.get(unit_id, default).quota_percent
        for entry in excellent[excellent_allowed(len(members), quota):]:
            ratings[entry.user_id] = Rating.PASS
    return ratings
