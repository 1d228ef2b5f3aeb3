"""The checked roster against the accounts that exist: what importing it would change.

Roles in the file are added, never taken away (a roster does not revoke an administrator);
a file without a category or roles for a person leaves theirs as they are. Only with
``deactivate_missing`` are active accounts absent from the file deactivated, and never the
acting administrator nor anyone holding the admin role: those are listed as kept.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.domain.roster.rows import RosterRow
from app.domain.usernames import canonical_username
from app.domain.vocabulary import Rank, RoleName, WorkCategory


@dataclass(frozen=True)
class ExistingAccount:
    id: int
    username: str
    name: str
    org_code: str
    unit_id: int
    rank: Rank
    category: WorkCategory
    roles: frozenset[RoleName]
    active: bool


@dataclass(frozen=True)
class FieldChange:
    field: str  # name, org_code, rank, category, roles, active
    old: object
    new: object


@dataclass(frozen=True)
class RosterUpdate:
    row: RosterRow
    account: ExistingAccount
    changes: tuple[FieldChange, ...]

    @property
    def added_roles(self) -> frozenset[RoleName]:
        return self.row.roles - self.account.roles


@dataclass
class RosterDiff:
    creates: list[RosterRow] = field(default_factory=list)
    updates: list[RosterUpdate] = field(default_factory=list)
    unchanged: int = 0
    deactivations: list[ExistingAccount] = field(default_factory=list)
    #: Active accounts absent from the file that deactivate-missing leaves alone.
    kept: list[ExistingAccount] = field(default_factory=list)


def diff_roster(rows: Iterable[RosterRow], existing: dict[str, ExistingAccount], *,
                deactivate_missing: bool = False, active_accounts: Iterable[ExistingAccount] = (),
                actor_id: int | None = None, listed: set[str] | None = None) -> RosterDiff:
    """Compare rows with ``existing`` (keyed by canonical 工号); ``active_accounts`` feeds
    deactivations. Rows carry canonical 工号, so ``hx1001`` finds the account ``HX1001``.

    ``listed`` holds every username in the file (rows with errors too): never "missing".
    """
    diff = RosterDiff()
    seen: set[str] = set(listed or ())
    for row in rows:
        seen.add(row.username)
        account = existing.get(row.username)
        if account is None:
            diff.creates.append(row)
            continue
        changes = changes_for(row, account)
        if changes:
            diff.updates.append(RosterUpdate(row, account, changes))
        else:
            diff.unchanged += 1
    if deactivate_missing:
        for account in active_accounts:
            if canonical_username(account.username) in seen or not account.active:
                continue
            if account.id == actor_id or RoleName.ADMIN in account.roles:
                diff.kept.append(account)
            else:
                diff.deactivations.append(account)
    return diff


def changes_for(row: RosterRow, account: ExistingAccount) -> tuple[FieldChange, ...]:
    changes = []
    if row.name != account.name:
        changes.append(FieldChange("name", account.name, row.name))
    if row.unit_id != account.unit_id:
        changes.append(FieldChange("org_code", account.org_code, row.org_code))
    if row.rank != account.rank:
        changes.append(FieldChange("rank", account.rank, row.rank))
    if row.category is not None and row.category != account.category:
        changes.append(FieldChange("category", account.category, row.category))
    if row.roles - account.roles:
        changes.append(FieldChange("roles", account.roles, account.roles | row.roles))
    if not account.active:
        changes.append(FieldChange("active", False, True))
    return tuple(changes)
