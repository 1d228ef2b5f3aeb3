"""The whole hours ledger on plain values (issue 20): hours by kind, the rolling five-year
total, what a cadre still owes against yearly and cumulative targets, whether a class is
completed, and what makes a claim of hours earned elsewhere implausible.

Three kinds of hours: online (course completions), face-to-face (面授: training classes)
and recognized (认定: training elsewhere that HR approved). The cadre training regulations
set yearly targets (with, optionally, a minimum of online hours) and a cumulative target
over five years.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
#: The cumulative target is over this many calendar years, the current one included.
CUMULATIVE_YEARS = 5
#: A claim may not exceed this many hours for each day its dates span.
MAX_HOURS_A_DAY = Decimal("8")


def readable_hours(value: Decimal) -> Decimal:
    """Hours as pages show them: one decimal when the second is zero (2 hours read "2.0",
    a micro-course "0.25")."""
    tenth = value.quantize(Decimal("0.1"))
    return tenth if tenth == value else value.quantize(Decimal("0.01"))


class HoursKind(enum.StrEnum):
    ONLINE = "online"
    FACE_TO_FACE = "face_to_face"
    RECOGNIZED = "recognized"


@dataclass(frozen=True)
class LedgerLine:
    year: int
    kind: HoursKind
    hours: Decimal


@dataclass(frozen=True)
class YearHours:
    """One year's hours by kind."""

    year: int
    by_kind: dict[HoursKind, Decimal] = field(default_factory=dict)

    def of(self, kind: HoursKind) -> Decimal:
        return self.by_kind.get(kind, ZERO)

    @property
    def total(self) -> Decimal:
        return sum(self.by_kind.values(), ZERO)


def year_hours(lines: Iterable[LedgerLine], year: int) -> YearHours:
    by_kind: dict[HoursKind, Decimal] = {}
    for line in lines:
        if line.year == year:
            by_kind[line.kind] = by_kind.get(line.kind, ZERO) + line.hours
    return YearHours(year, by_kind)


def five_year_total(lines: Iterable[LedgerLine], year: int) -> Decimal:
    """Every kind of hours of ``year`` and the four years before it."""
    first = year - CUMULATIVE_YEARS + 1
    return sum((line.hours for line in lines if first <= line.year <= year), ZERO)


@dataclass(frozen=True)
class HoursTargets:
    """A rank's targets: yearly total, optional yearly online minimum, five-year total."""

    yearly: Decimal
    online_minimum: Decimal = ZERO
    five_year: Decimal = ZERO


@dataclass(frozen=True)
class HoursStanding:
    year: YearHours
    five_year: Decimal
    targets: HoursTargets

    @property
    def yearly_short(self) -> Decimal:
        return max(self.targets.yearly - self.year.total, ZERO)

    @property
    def online_short(self) -> Decimal:
        return max(self.targets.online_minimum - self.year.of(HoursKind.ONLINE), ZERO)

    @property
    def five_year_short(self) -> Decimal:
        return max(self.targets.five_year - self.five_year, ZERO)

    @property
    def on_target(self) -> bool:
        """The year's targets met: its total and its online part (the HR lists' "on
        target"; the five years are a separate figure, five_year_met)."""
        return not (self.yearly_short or self.online_short)

    @property
    def five_year_met(self) -> bool:
        return not self.five_year_short

    @property
    def counted_hours(self) -> Decimal:
        """The hours the appraisal's hours component counts: the year's total, but no more
        than the online minimum's shortfall allows (hours of other kinds cannot make up
        for online study the scheme requires)."""
        return max(self.year.total - self.online_short, ZERO)


def hours_standing(lines: Sequence[LedgerLine], year: int,
                   targets: HoursTargets) -> HoursStanding:
    return HoursStanding(year_hours(lines, year), five_year_total(lines, year), targets)


# --- training classes ---------------------------------------------------------------------

DEFAULT_ATTENDANCE_SHARE = 80


@dataclass(frozen=True)
class ClassStanding:
    """Where a cadre stands in a class: what is met and what is missing."""

    attended_hours: Decimal
    scheduled_hours: Decimal
    courses_missing: tuple[str, ...]
    test_passed: bool | None  # None: the class has no test
    attendance_share: int = DEFAULT_ATTENDANCE_SHARE

    @property
    def attendance_met(self) -> bool:
        return (self.scheduled_hours > 0
                and self.attended_hours * 100 >= self.scheduled_hours * self.attendance_share)

    @property
    def missing(self) -> list[str]:
        """Why the class is not completed yet: "attendance", "courses", "test"."""
        reasons = [] if self.attendance_met else ["attendance"]
        if self.courses_missing:
            reasons.append("courses")
        if self.test_passed is False:
            reasons.append("test")
        return reasons

    @property
    def completed(self) -> bool:
        return not self.missing

    def at_risk(self, remaining_hours: Decimal) -> bool:
        """Attendance can no longer reach the share even if every remaining session is
        attended, or it is not met and nothing remains."""
        reachable = self.attended_hours + remaining_hours
        return reachable * 100 < self.scheduled_hours * self.attendance_share


# --- hours earned elsewhere ---------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    starts: date
    ends: date
    hours: Decimal
    certificate_number: str = ""


def claim_problems(claim: Claim) -> list[str]:
    """What makes a claim impossible as written (English message ids), empty when none."""
    problems = []
    if claim.ends < claim.starts:
        problems.append("The training cannot end before it starts.")
        return problems
    if claim.hours <= 0:
        problems.append("The hours claimed must be more than 0.")
    days = (claim.ends - claim.starts).days + 1
    if claim.hours > MAX_HOURS_A_DAY * days:
        problems.append("More hours are claimed than the dates allow (at most 8 a day).")
    return problems


def overlaps(claim: Claim, starts: date, ends: date) -> bool:
    """Whether the claim's dates overlap a period of the cadre's other training."""
    return claim.starts <= ends and starts <= claim.ends


def folded_certificate_number(value: str) -> str:
    """A certificate number as compared: without spaces and case ("GB 2026-01" and
    "gb2026-01" are one certificate). Stored with each claim, so the comparison is indexed."""
    return "".join(value.split()).lower()


def repeated_certificate(claim: Claim, numbers: Iterable[str]) -> bool:
    """Whether the claim's certificate number was used by another claim (compared folded:
    folded_certificate_number)."""
    mine = folded_certificate_number(claim.certificate_number)
    return bool(mine) and any(folded_certificate_number(number) == mine for number in numbers)
