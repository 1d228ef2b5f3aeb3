"""The figures of a unit's year (the HR dashboard): frozen dataclasses that pages, workbooks
and PDFs read.

Every figure is a plain count or sum, so a parent's figures are the sum of its parts and
the cadres directly in a unit (in none of its child units) are the unit's figures minus
its children's. Rates are fractions (0.5 is 50 %) or None when there is nothing to divide.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from app.domain.appraisal import Rating
from app.domain.vocabulary import CompetencyArea, OrgLevel, Rank, WorkCategory

ZERO = Decimal(0)
HOURS = Decimal("0.1")
#: Buckets of the score distribution: (label, lowest score in it), best last.
SCORE_BUCKETS = (("0–59", 0), ("60–69", 60), ("70–79", 70), ("80–89", 80), ("90–100", 90))


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    level: OrgLevel


@dataclass(frozen=True)
class Figures:
    """A group of cadres in a year: how many, their enrollments, hours and scores."""

    cadres: int = 0
    #: Cadres with at least one enrollment open during the year.
    enrolled: int = 0
    #: Enrollments open during the year, and those of them completed in the year.
    enrollments: int = 0
    completed: int = 0
    hours: Decimal = ZERO
    #: Cadres whose hours of the year reach the target of their rank in their scheme, with
    #: at least its online minimum in online hours.
    on_target: int = 0
    #: Cadres with a graded score in the year, and the sum of their average scores.
    scored: int = 0
    score_total: Decimal = ZERO
    #: ``hours`` by kind (they add up to it), and the sum of the cadres' five-year totals.
    hours_online: Decimal = ZERO
    hours_face_to_face: Decimal = ZERO
    hours_recognized: Decimal = ZERO
    five_year_hours: Decimal = ZERO

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.enrollments if self.enrollments else None

    @property
    def enrolled_rate(self) -> float | None:
        return self.enrolled / self.cadres if self.cadres else None

    @property
    def average_hours(self) -> Decimal | None:
        return (self.hours / self.cadres).quantize(HOURS) if self.cadres else None

    def average_of(self, hours: Decimal) -> Decimal | None:
        """Hours of one kind (or the five-year sum) per cadre."""
        return (hours / self.cadres).quantize(HOURS) if self.cadres else None

    @property
    def on_target_rate(self) -> float | None:
        return self.on_target / self.cadres if self.cadres else None

    @property
    def average_score(self) -> float | None:
        return float(self.score_total) / self.scored if self.scored else None

    @property
    def has_activity(self) -> bool:
        return bool(self.enrollments or self.hours or self.scored)

    def plus(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def minus(self, other: Figures) -> Figures:
        return Figures(*(getattr(self, f.name) - getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class ChildRow:
    """One line of the unit table: a child unit, or (own) the unit's direct cadres."""

    unit: UnitRef
    figures: Figures
    has_children: bool
    own: bool = False


@dataclass(frozen=True)
class AreaMastery:
    area: CompetencyArea
    #: Average of the cadres' percent of points earned in the area; None without answers.
    percent: float | None
    cadres: int


@dataclass(frozen=True)
class ScoreBucket:
    label: str
    low: int
    count: int


@dataclass(frozen=True)
class UnitDashboard:
    unit: UnitRef
    year: int
    rank: Rank | None
    category: WorkCategory | None
    tiles: Figures
    children: tuple[ChildRow, ...]
    score_buckets: tuple[ScoreBucket, ...]
    mastery: tuple[AreaMastery, ...]
    #: Cadres per rating from the year's appraisal run; empty when it has not run.
    ratings: tuple[tuple[Rating, int], ...]
    #: From the highest unit the actor may open down to this unit (itself included).
    breadcrumbs: tuple[UnitRef, ...]
    sort: str = ""
    #: When the figures were computed by the rollup refresh; None: computed live just now.
    as_of: datetime | None = None

    @property
    def has_data(self) -> bool:
        return self.tiles.has_activity or bool(self.ratings)

    @property
    def rated(self) -> int:
        return sum(count for _rating, count in self.ratings)


@dataclass(frozen=True)
class HoursByKind:
    """A cadre's year by kind, the online minimum, and the five-year total and target."""

    online: Decimal = ZERO
    face_to_face: Decimal = ZERO
    recognized: Decimal = ZERO
    online_minimum: int = 0
    five_year: Decimal = ZERO
    five_year_target: int = 0

    @property
    def online_met(self) -> bool:
        return self.online >= self.online_minimum

    @property
    def online_short(self) -> Decimal:
        return max(Decimal(self.online_minimum) - self.online, ZERO)

    @property
    def five_year_met(self) -> bool:
        return self.five_year >= self.five_year_target


@dataclass(frozen=True)
class CadreRow:
    """One cadre's year: for the drill-down list and its workbook."""

    user_id: int
    username: str
    name: str
    unit_name: str
    rank: Rank
    category: WorkCategory
    hours: Decimal
    target: int
    enrollments: int
    completed: int
    average_score: float | None
    rating: Rating | None
    hours_by_kind: HoursByKind = field(default_factory=lambda: HoursByKind())

    @property
    def on_target(self) -> bool:
        return self.hours >= self.target and self.hours_by_kind.online_met


@dataclass(frozen=True)
class ComplianceRow:
    """A cadre behind on hours, or with assigned courses past their (extended) due date."""

    user_id: int
    username: str
    name: str
    unit_name: str
    rank: Rank
    category: WorkCategory
    hours: Decimal
    target: int
    overdue_courses: int
    first_overdue_on: date | None
    hours_by_kind: HoursByKind = field(default_factory=lambda: HoursByKind())

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal(self.target) - self.hours, ZERO)

    @property
    def behind_on_hours(self) -> bool:
        return self.hours < self.target or not self.hours_by_kind.online_met


@dataclass(frozen=True)
class ComplianceList:
    unit: UnitRef
    year: int
    today: date
    rows: tuple[ComplianceRow, ...]


def _sort_value(row: ChildRow, key: str):
    """The value a column sorts by; units sort by code (GB/T 2260 codes follow the tree)."""
    figures = row.figures
    return {"name": row.unit.code, "cadres": figures.cadres, "enrolled": figures.enrolled,
            "completion": figures.completion_rate, "hours": figures.average_hours,
            "on_target": figures.on_target_rate, "score": figures.average_score}[key]


SORT_KEYS = ("name", "cadres", "enrolled", "completion", "hours", "on_target", "score")


def sort_children(rows: list[ChildRow], sort: str) -> list[ChildRow]:
    """Rows by a column (``-column``: descending); empty values last either way."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        return rows
    present = [r for r in rows if _sort_value(r, key) is not None]
    missing = [r for r in rows if _sort_value(r, key) is None]
    present.sort(key=lambda r: _sort_value(r, key), reverse=sort.startswith("-"))
    return present + missing
