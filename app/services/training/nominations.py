"""Nominating cadres to a class (HR and the class's managers): everyone of a unit in the
class's subtree (narrowed by ranks and work categories) or a roster file of 工号.

From the tree, the work is a handful of set-based statements whatever the unit's size (a
district of 20,000 cadres is two INSERT … SELECTs): the free places are filled in order (by
unit, then 工号) and everyone beyond them waits. A roster file is checked whole first; any
unknown 工号, person outside the class's audience or repeated row is reported by row and
nothing changes. Nobody who is already a member is nominated twice.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, insert, literal, or_, select, update

from app.domain.class_vocabulary import MemberSource, MemberStatus
from app.domain.orgtree import in_subtree
from app.domain.roster import RosterFileError, cell_text
from app.domain.roster.normalize import LostPrecision
from app.domain.training_classes import (
    Person,
    RowProblem,
    check_name_list,
    split_by_capacity,
    username_column,
)
from app.domain.usernames import canonical_username
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import ClassMember, OrgUnit, Role, TrainingClass, User
from app.models.org import path_in_subtree
from app.models.types import UTCDateTime, utcnow
from app.services.core.audit import record_event
from app.services.people.roster.reading import read_roster_table
from app.services.training.access import ensure_may_manage_class
from app.services.training.classes import ClassRefused, class_audience, class_target, ensure_running
from app.services.training.members import lock_places, status_counts

#: The most 工号 one file may nominate (a class is not a roster import).
MAX_FILE_ROWS = 20_000
#: 工号 looked up per query.
LOOKUP_CHUNK = 1000


@dataclass(frozen=True)
class TreeChoice:
    unit: OrgUnit
    ranks: Sequence[Rank] = ()
    categories: Sequence[WorkCategory] = ()


@dataclass(frozen=True)
class NominationCount:
    matching: int  # cadres of the choice within the class's audience
    already: int  # of those, members already (in any status)
    enrolled: int  # of the rest, how many get a place
    waitlisted: int  # and how many wait

    @property
    def new(self) -> int:
        return self.enrolled + self.waitlisted


class NameListInvalid(ClassRefused):
    """A roster file that cannot be applied: its problems by row (or of the whole file)."""

    def __init__(self, problems: list[RowProblem], file_error: RosterFileError | None = None):
        super().__init__("file", "invalid")
        self.problems = problems
        self.file_error = file_error


def preview_tree_nomination(training_class: TrainingClass, choice: TreeChoice, *,
                            actor: User) -> NominationCount:
    """What nominating this choice would do (two queries; nothing changes)."""
    _check_choice(training_class, choice, actor)
    matching, already = _matching_and_members(training_class, choice)
    enrolled = status_counts(training_class).get(MemberStatus.ENROLLED, 0)
    places, waiting = split_by_capacity(matching - already, capacity=training_class.capacity,
                                        enrolled=enrolled)
    return NominationCount(matching, already, places, waiting)


def nominate_from_tree(training_class: TrainingClass, choice: TreeChoice, *, actor: User,
                       now: datetime | None = None) -> NominationCount:
    _check_choice(training_class, choice, actor)
    lock_places(training_class)
    now = now or utcnow()
    matching, already = _matching_and_members(training_class, choice)
    enrolled = status_counts(training_class).get(MemberStatus.ENROLLED, 0)
    places, _ = split_by_capacity(matching - already, capacity=training_class.capacity,
                                  enrolled=enrolled)
    placed = _insert_newcomers(training_class, choice, MemberStatus.ENROLLED, actor, now,
                               limit=places) if places else 0
    waiting = _insert_newcomers(training_class, choice, MemberStatus.WAITLISTED, actor, now)
    result = NominationCount(matching, already, placed, waiting)
    record_event("classes.nominated", actor=actor, target=class_target(training_class),
                 details={"source": "tree", "unit": choice.unit.code,
                          "ranks": sorted(r.value for r in choice.ranks),
                          "categories": sorted(c.value for c in choice.categories),
                          "enrolled": placed, "waitlisted": waiting, "unchanged": already})
    db.session.expire_all()  # members were written behind the ORM's back
    return result


def list_nomination_units(training_class: TrainingClass) -> list[OrgUnit]:
    """The active units a nomination may choose: the class's unit and those below it."""
    return list(db.session.scalars(
        select(OrgUnit).where(path_in_subtree(training_class.org_unit.path),
                              OrgUnit.active.is_(True)).order_by(OrgUnit.path)))


def _check_choice(training_class: TrainingClass, choice: TreeChoice, actor: User) -> None:
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    if not in_subtree(choice.unit.path, training_class.org_unit.path):
        raise ClassRefused("unit", "outside_class")


def _candidates(training_class: TrainingClass, choice: TreeChoice):
    """SELECT of the active cadres of the choice within the class's audience (User joined
    with OrgUnit)."""
    conditions = [path_in_subtree(choice.unit.path), User.active.is_(True),
                  exists().where(Role.user_id == User.id, Role.name == RoleName.CADRE)]
    for chosen, of_class, column, kind in (
            (choice.ranks, training_class.ranks, User.rank, Rank),
            (choice.categories, training_class.categories, User.category, WorkCategory)):
        if of_class:
            conditions.append(column.in_([kind(value) for value in of_class]))
        if chosen:
            conditions.append(column.in_(list(chosen)))
    return (select(User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(and_(*conditions)))


def _matching_and_members(training_class: TrainingClass, choice: TreeChoice) -> tuple[int, int]:
    candidates = _candidates(training_class, choice).subquery()
    row = db.session.execute(
        select(func.count(candidates.c.id), func.count(ClassMember.id))
        .select_from(candidates)
        .outerjoin(ClassMember, and_(ClassMember.class_id == training_class.id,
                                     ClassMember.user_id == candidates.c.id))).one()
    return row[0], row[1]


def _insert_newcomers(training_class: TrainingClass, choice: TreeChoice, status: MemberStatus,
                      actor: User, now: datetime, *, limit: int | None = None) -> int:
    """INSERT … SELECT the candidates not yet members, in order (ids follow it, and the
    waitlist goes by requested time, then id); how many were inserted."""
    newcomers = (_candidates(training_class, choice)
                 .where(~exists().where(ClassMember.class_id == training_class.id,
                                        ClassMember.user_id == User.id))
                 .order_by(OrgUnit.path, User.username))
    if limit is not None:
        newcomers = newcomers.limit(limit)
    rows = newcomers.with_only_columns(
        User.id, literal(training_class.id), literal(status.value),
        literal(MemberSource.NOMINATED.value), literal(now, UTCDateTime()), literal(actor.id),
        literal(now, UTCDateTime()), literal(""))
    # RETURNING, because drivers may report -1 as the rowcount of INSERT … SELECT.
    result = db.session.execute(insert(ClassMember).from_select(
        ["user_id", "class_id", "status", "source", "requested_at", "decided_by_id",
         "decided_at", "reason"], rows).returning(ClassMember.id))
    return len(result.all())


# A roster file of 工号.

def nominate_from_file(training_class: TrainingClass, data: bytes, *, actor: User,
                       now: datetime | None = None) -> NominationCount:
    """Nominate the people a file names, in its order; NameListInvalid (nothing changes)
    when any row is wrong."""
    ensure_may_manage_class(actor, training_class)
    ensure_running(training_class)
    rows = _read_name_list(data)
    people = _find_people(text for _row, text in rows)
    check = check_name_list(rows, people, class_audience(training_class))
    if check.problems:
        raise NameListInvalid(check.problems)
    if not check.user_ids:
        raise NameListInvalid([], RosterFileError("no_data"))
    lock_places(training_class)
    result = _place_in_order(training_class, check.user_ids, actor, now or utcnow())
    record_event("classes.nominated", actor=actor, target=class_target(training_class),
                 details={"source": "file", "rows": len(check.user_ids),
                          "enrolled": result.enrolled, "waitlisted": result.waitlisted,
                          "unchanged": result.already})
    db.session.expire_all()  # members were written behind the ORM's back
    return result


def _read_name_list(data: bytes) -> list[tuple[int, str]]:
    try:
        table = read_roster_table(data)
    except RosterFileError as error:
        raise NameListInvalid([], error) from None
    index = username_column(table.header)
    if index is None:
        raise NameListInvalid([], RosterFileError("missing_header", column="工号"))
    if len(table.rows) > MAX_FILE_ROWS:
        raise NameListInvalid([], RosterFileError("too_many_rows", limit=MAX_FILE_ROWS))
    rows, problems = [], []
    for number, cells in table.rows:
        cell = cells[index] if index < len(cells) else None
        try:
            rows.append((number, cell_text(cell)))
        except LostPrecision as lost:
            problems.append(RowProblem(number, str(cell), "lost_precision",
                                       {"digits": str(lost)}))
    if problems:
        raise NameListInvalid(problems)
    return rows


def _find_people(texts) -> dict[str, Person]:
    """Active accounts by canonical 工号 (a query per thousand)."""
    keys = sorted({canonical_username(text) for text in texts} - {""})
    people: dict[str, Person] = {}
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start:start + LOOKUP_CHUNK]
        rows = db.session.execute(
            select(User.id, User.username, OrgUnit.path, User.rank, User.category)
            .join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(or_(func.upper(User.username).in_(chunk), User.username.in_(chunk)),
                   User.active.is_(True)))
        for user_id, username, path, rank, category in rows:
            people[canonical_username(username)] = Person(user_id, path, rank, category)
    return people


@dataclass
class _Placing:
    new: list[dict] = field(default_factory=list)
    again: list[dict] = field(default_factory=list)  # rejected, withdrawn or applied before


def _place_in_order(training_class: TrainingClass, user_ids: list[int], actor: User,
                    now: datetime) -> NominationCount:
    existing = _existing_members(training_class, user_ids)
    placing = _Placing()
    enrolled = status_counts(training_class).get(MemberStatus.ENROLLED, 0)
    already = placed = waiting = 0
    for position, user_id in enumerate(user_ids):
        member = existing.get(user_id)
        if member is not None and member[1] in (MemberStatus.ENROLLED, MemberStatus.WAITLISTED):
            already += 1
            continue
        status = MemberStatus.ENROLLED if enrolled + placed < training_class.capacity \
            else MemberStatus.WAITLISTED
        placed, waiting = (placed + 1, waiting) if status is MemberStatus.ENROLLED \
            else (placed, waiting + 1)
        # A microsecond apart: the waitlist keeps the file's order.
        values = {"status": status, "source": MemberSource.NOMINATED, "decided_by_id": actor.id,
                  "decided_at": now, "requested_at": now + timedelta(microseconds=position),
                  "reason": ""}
        if member is None:
            placing.new.append({"class_id": training_class.id, "user_id": user_id, **values})
        else:
            placing.again.append({"id": member[0], **values})
    if placing.new:
        db.session.execute(insert(ClassMember), placing.new)
    if placing.again:
        db.session.execute(update(ClassMember), placing.again)
    return NominationCount(len(user_ids), already, placed, waiting)


def _existing_members(training_class: TrainingClass,
                      user_ids: list[int]) -> dict[int, tuple[int, MemberStatus]]:
    found = {}
    for start in range(0, len(user_ids), LOOKUP_CHUNK):
        rows = db.session.execute(
            select(ClassMember.user_id, ClassMember.id, ClassMember.status)
            .where(ClassMember.class_id == training_class.id,
                   ClassMember.user_id.in_(user_ids[start:start + LOOKUP_CHUNK])))
        found.update({user_id: (member_id, MemberStatus(status))
                      for user_id, member_id, status in rows})
    return found

