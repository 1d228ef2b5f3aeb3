"""Rules of learning: eligibility, progress, completion, hours and recommendations."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.domain.vocabulary import CourseTier, CreditKind, Rank, WorkCategory

CITY_TIMEZONE = ZoneInfo("Asia/Shanghai")

# Which tiers suit a rank first: grassroots and staff build foundations, leaders go further.
PREFERRED_TIERS: Mapping[Rank, tuple[CourseTier, ...]] = {
    Rank.GRASSROOTS: (CourseTier.FOUNDATION, CourseTier.INTERMEDIATE),
    Rank.STAFF: (CourseTier.FOUNDATION, CourseTier.INTERMEDIATE),
    Rank.SECTION: (CourseTier.INTERMEDIATE, CourseTier.FOUNDATION, CourseTier.ADVANCED),
    Rank.DIVISION: (CourseTier.ADVANCED, CourseTier.INTERMEDIATE, CourseTier.FOUNDATION),
    Rank.BUREAU: (CourseTier.ADVANCED, CourseTier.INTERMEDIATE, CourseTier.FOUNDATION),
}


def local_year(moment: datetime) -> int:
    """The city's calendar year of an aware datetime (hours count in the year earned)."""
    return moment.astimezone(CITY_TIMEZONE).year


def selectable_years(current: int, first: int, count: int = 10) -> list[int]:
    """The years a page offers in its list, newest first: ``count`` back from ``current``,
    never before ``first`` (older years stay reachable by URL)."""
    return list(range(current, max(first, current - count + 1) - 1, -1))


def local_year_bounds(year: int) -> tuple[datetime, datetime]:
    """The city's calendar year ``year`` as a half-open range [start, end) of aware UTC moments."""
    return (datetime(year, 1, 1, tzinfo=CITY_TIMEZONE).astimezone(UTC),
            datetime(year + 1, 1, 1, tzinfo=CITY_TIMEZONE).astimezone(UTC))


def local_today(moment: datetime) -> date:
    return moment.astimezone(CITY_TIMEZONE).date()


def credit_kind(*, assigned: bool) -> CreditKind:
    """How a completed course's hours count: required when a training plan assigned it,
    elective when the cadre chose it, whatever the course's kind (a required-eligible
    course taken by choice is elective hours)."""
    return CreditKind.REQUIRED if assigned else CreditKind.ELECTIVE


def progress_percent(done: int, total: int) -> int:
    if total <= 0:
        return 0
    return min(100, (100 * done) // total)


def audience_matches(ranks: Sequence[str], categories: Sequence[str],
                     rank: Rank, category: WorkCategory) -> bool:
    """Empty lists mean everyone; otherwise the person's rank and category must be listed."""
    return (not ranks or rank.value in ranks) and (not categories or category.value in categories)


def missing_prerequisites(prerequisites: Iterable[str], completed: Iterable[str]) -> list[str]:
    done = set(completed)
    return sorted(code for code in prerequisites if code not in done)


def is_overdue(due_on: date | None, completed: bool, today: date) -> bool:
    return due_on is not None and not completed and today > due_on


@dataclass(frozen=True)
class Candidate:
    """A published course the person has not enrolled in, as the recommender sees it."""

    code: str
    tier: CourseTier
    ranks: tuple[str, ...]
    categories: tuple[str, ...]
    prerequisites: tuple[str, ...]


def recommend_courses(candidates: Iterable[Candidate], *, rank: Rank, category: WorkCategory,
                      completed: Iterable[str], limit: int = 4) -> list[str]:
    """服务找人: courses for the person's audience whose prerequisites are met, best tier first.

    Courses aimed explicitly at the person's category come before general ones.
    """
    done = set(completed)
    preferred = PREFERRED_TIERS[rank]
    scored = []
    for course in candidates:
        if not audience_matches(course.ranks, course.categories, rank, category):
            continue
        if missing_prerequisites(course.prerequisites, done):
            continue
        tier_rank = preferred.index(course.tier) if course.tier in preferred else len(preferred)
        targeted = 0 if category.value in course.categories else 1
        scored.append((tier_rank, targeted, course.code))
    return [code for *_, code in sorted(scored)[:limit]]
