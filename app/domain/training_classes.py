"""Training classes (培训班) on plain values: the schedule's rules, places and the waitlist,
who a class is for, who may apply, and a roster file of 工号 checked row by row.

Sessions are typed in Beijing time (a date, a start and an end) and stored in UTC. A session
lies inside the class's dates, ends after it starts, overlaps no other session of the class,
and credits no more hours than its length allows: the length in hours rounded up to the next
half hour, so a 45-minute talk may count one 学时 and a 3-hour morning three.

Capacity counts enrolled members only. Beyond it, members wait in the order they were
nominated or applied; a freed place goes to the first in line.
"""

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal

from app.domain.class_vocabulary import ClassStatus, MemberStatus
from app.domain.learning import CITY_TIMEZONE, audience_matches
from app.domain.orgtree import in_subtree
from app.domain.roster import COLUMNS, normalize_code
from app.domain.usernames import canonical_username
from app.domain.vocabulary import Rank, WorkCategory

#: A session's hours may reach its length rounded up to this step (in hours).
HOURS_STEP = Decimal("0.5")
#: Statuses that hold a place or a place in line: the member is "in" the class.
ACTIVE_STATUSES = frozenset({MemberStatus.APPLIED, MemberStatus.WAITLISTED,
                             MemberStatus.ENROLLED})
#: A class takes members, sessions and edits until it is finished or cancelled.
RUNNING_STATUSES = frozenset({ClassStatus.DRAFT, ClassStatus.OPEN})


# The schedule.

@dataclass(frozen=True)
class Slot:
    """A session's times (aware, UTC); ``id`` None for one not yet saved."""

    starts_at: datetime
    ends_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class ScheduleProblem:
    field: str  # "day", "ends", "hours"
    code: str  # "outside_dates", "end_before_start", "overlaps", "hours_positive",
    #            "hours_too_many"
    params: dict = field(default_factory=dict)


def session_times(day: date, starts: time, ends: time) -> Slot:
    """A session typed in Beijing time, as UTC instants."""
    def instant(clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=CITY_TIMEZONE).astimezone(UTC)

    return Slot(instant(starts), instant(ends))


def local_day(moment: datetime) -> date:
    return moment.astimezone(CITY_TIMEZONE).date()


def local_clock(moment: datetime) -> time:
    """The time of day in Beijing, as the schedule was typed."""
    return moment.astimezone(CITY_TIMEZONE).time()


def most_hours(slot: Slot) -> Decimal:
    """The most hours a session of this length may credit: its length rounded up to half an
    hour (0 when it does not end after it starts)."""
    minutes = (slot.ends_at - slot.starts_at).total_seconds() / 60
    if minutes <= 0:
        return Decimal(0)
    return HOURS_STEP * math.ceil(minutes / 30)


def schedule_problems(slot: Slot, hours: Decimal, *, starts_on: date, ends_on: date,
                      others: Iterable[Slot]) -> list[ScheduleProblem]:
    """What is wrong with a session of the class running ``starts_on``..``ends_on`` whose
    other sessions are ``others`` (the session itself may be among them, by id)."""
    problems = []
    day = local_day(slot.starts_at)
    if not starts_on <= day <= ends_on:
        problems.append(ScheduleProblem("day", "outside_dates",
                                        {"starts_on": starts_on, "ends_on": ends_on}))
    if slot.ends_at <= slot.starts_at:
        problems.append(ScheduleProblem("ends", "end_before_start"))
    else:
        clash = first_overlap(slot, others)
        if clash is not None:
            problems.append(ScheduleProblem("ends", "overlaps", {"other": clash}))
    if hours <= 0:
        problems.append(ScheduleProblem("hours", "hours_positive"))
    elif slot.ends_at > slot.starts_at and hours > most_hours(slot):
        problems.append(ScheduleProblem("hours", "hours_too_many", {"most": most_hours(slot)}))
    return problems


def first_overlap(slot: Slot, others: Iterable[Slot]) -> Slot | None:
    """The earliest other session sharing any time with ``slot`` (touching ends do not)."""
    clashes = [other for other in others
               if (slot.id is None or other.id != slot.id)
               and other.starts_at < slot.ends_at and slot.starts_at < other.ends_at]
    return min(clashes, key=lambda other: other.starts_at, default=None)


def sessions_outside(slots: Iterable[Slot], starts_on: date, ends_on: date) -> list[Slot]:
    """Sessions that would fall outside new class dates."""
    return [slot for slot in slots if not starts_on <= local_day(slot.starts_at) <= ends_on]


# Places and the waitlist.

def places_left(capacity: int, enrolled: int) -> int:
    return max(0, capacity - enrolled)


def split_by_capacity(count: int, *, capacity: int, enrolled: int) -> tuple[int, int]:
    """How many of ``count`` newcomers (in order) are enrolled and how many wait."""
    taken = min(count, places_left(capacity, enrolled))
    return taken, count - taken


def placement(*, capacity: int, enrolled: int) -> MemberStatus:
    """Where one newcomer goes: a free place, or the end of the line."""
    return MemberStatus.ENROLLED if enrolled < capacity else MemberStatus.WAITLISTED


def to_promote(*, capacity: int, enrolled: int, waiting: int) -> int:
    """How many waiting members move up now (the first ones in line)."""
    return min(waiting, places_left(capacity, enrolled))


def may_withdraw(status: MemberStatus) -> bool:
    return status in ACTIVE_STATUSES


def may_decide(status: MemberStatus) -> bool:
    """An application waits for the organizer's decision."""
    return status is MemberStatus.APPLIED


# Who a class is for, and who may apply.

@dataclass(frozen=True)
class Audience:
    """The class unit's subtree, narrowed by ranks and work categories (empty: all)."""

    root_path: str
    ranks: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


def in_audience(audience: Audience, *, unit_path: str, rank: Rank,
                category: WorkCategory) -> bool:
    return in_subtree(unit_path, audience.root_path) and audience_matches(
        audience.ranks, audience.categories, rank, category)


class ApplyRefusal(enum.StrEnum):
    NOT_OPEN = "not_open"  # a draft, finished or cancelled class
    NOMINATION_ONLY = "nomination_only"  # the class takes no applications
    STARTED = "started"  # applications close when the class starts
    NOT_IN_AUDIENCE = "not_in_audience"
    ALREADY = "already"  # applied, waiting or enrolled already
    REJECTED = "rejected"  # turned down: the organizer decided
    REMOVED = "removed"  # withdrawn by the organizer


@dataclass(frozen=True)
class ApplicationCase:
    class_status: ClassStatus
    open_to_applications: bool
    starts_on: date
    in_audience: bool
    member_status: MemberStatus | None = None  # None: never a member
    withdrew_themselves: bool = False


def application_refusal(case: ApplicationCase, today: date) -> ApplyRefusal | None:
    """Why this cadre may not apply today (None: they may). A cadre who withdrew their own
    application may apply again; one the organizer removed or rejected may not."""
    if case.class_status is not ClassStatus.OPEN:
        return ApplyRefusal.NOT_OPEN
    if not case.open_to_applications:
        return ApplyRefusal.NOMINATION_ONLY
    if today >= case.starts_on:
        return ApplyRefusal.STARTED
    if case.member_status in ACTIVE_STATUSES:
        return ApplyRefusal.ALREADY
    if case.member_status is MemberStatus.REJECTED:
        return ApplyRefusal.REJECTED
    if case.member_status is MemberStatus.WITHDRAWN and not case.withdrew_themselves:
        return ApplyRefusal.REMOVED
    if not case.in_audience:
        return ApplyRefusal.NOT_IN_AUDIENCE
    return None


# A roster file of 工号 (one a row, under the header 工号) to nominate.

#: The header names of the 工号 column, as the people roster accepts them.
USERNAME_HEADERS = frozenset(
    normalize_code(name).lower()
    for column in COLUMNS if column.key == "username"
    for name in (column.chinese, column.english, *column.aliases))


def username_column(header: Sequence) -> int | None:
    """The index of the 工号 column in a header row, if it has one."""
    for index, cell in enumerate(header):
        if cell is not None and normalize_code(str(cell)).lower() in USERNAME_HEADERS:
            return index
    return None


@dataclass(frozen=True)
class Person:
    user_id: int
    unit_path: str
    rank: Rank
    category: WorkCategory


@dataclass(frozen=True)
class RowProblem:
    row: int
    value: str
    code: str  # "missing", "unknown", "outside_audience", "duplicate"
    params: dict = field(default_factory=dict)


@dataclass
class NameListCheck:
    user_ids: list[int] = field(default_factory=list)  # in file order, each once
    problems: list[RowProblem] = field(default_factory=list)


def check_name_list(rows: Iterable[tuple[int, str]], people: Mapping[str, Person],
                    audience: Audience) -> NameListCheck:
    """Each (row number, 工号) against the accounts found (by canonical 工号, active
    cadres only) and the class's audience; blank rows are skipped."""
    result = NameListCheck()
    first_row: dict[str, int] = {}
    for row, text in rows:
        key = canonical_username(text)
        if not key:
            continue
        person = people.get(key)
        if key in first_row:
            result.problems.append(RowProblem(row, text, "duplicate",
                                              {"first_row": first_row[key]}))
        elif person is None:
            result.problems.append(RowProblem(row, text, "unknown"))
        elif not in_audience(audience, unit_path=person.unit_path, rank=person.rank,
                             category=person.category):
            result.problems.append(RowProblem(row, text, "outside_audience"))
        else:
            result.user_ids.append(person.user_id)
        first_row.setdefault(key, row)
    return result
