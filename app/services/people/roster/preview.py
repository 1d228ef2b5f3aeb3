"""Reading a roster and comparing it with the accounts: what confirming would change."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select

from app.domain.roster import (
    ExistingAccount,
    Normalization,
    RosterDiff,
    RosterFileError,
    RowError,
    UnitInfo,
    check_rows,
    diff_roster,
    map_headers,
)
from app.domain.usernames import canonical_username
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import OrgUnit, Role, User
from app.services.core.errors import PermissionDenied
from app.services.people.roster.reading import read_roster_table

#: Usernames per IN (...) list: well under every database's parameter limit.
_CHUNK = 2000


@dataclass
class RosterPreview:
    kind: str | None  # "csv", "xlsx"; None when the file could not be read at all
    encoding: str | None
    data_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    diff: RosterDiff = field(default_factory=RosterDiff)
    units: dict[int, UnitInfo] = field(default_factory=dict)
    unit_codes: dict[str, UnitInfo] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    #: Values written differently from the file (工号 case and width, name padding).
    normalized: list[Normalization] = field(default_factory=list)
    deactivate_missing: bool = False

    @property
    def changes(self) -> int:
        diff = self.diff
        return len(diff.creates) + len(diff.updates) + len(diff.deactivations)

    @property
    def can_confirm(self) -> bool:
        return not self.errors and self.changes > 0

    def unit_name(self, unit_id: int) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else ""

    def unit_label(self, code: str) -> str:
        unit = self.unit_codes.get(code)
        return f"{unit.name} ({code})" if unit else code


def require_roster_admin(actor: User | None) -> None:
    """Roster imports are for administrators; None is the system itself (CLI)."""
    if actor is not None and not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only administrators import the roster")


def preview_roster(data: bytes, filename: str = "", *, actor: User | None,
                   deactivate_missing: bool = False, capped: bool = True) -> RosterPreview:
    """Everything importing ``data`` would do, and every problem in it; writes nothing.

    ``filename`` is only shown back: the kind of file is told by its content. ``capped``:
    refuse more rows than the web page takes (the CLI passes False).
    """
    require_roster_admin(actor)
    try:
        table = read_roster_table(data, capped=capped)
    except RosterFileError as error:
        return RosterPreview(None, None, errors=[RowError(0, "", "", error.code, error.params)])
    preview = RosterPreview(table.kind, table.encoding, deactivate_missing=deactivate_missing)
    headers = map_headers(table.header)
    preview.ignored_columns = headers.ignored
    preview.errors += [RowError(0, c.label, "", "missing_header", {"column": c.label})
                       for c in headers.missing]
    preview.errors += [RowError(0, c.label, "", "duplicate_header", {"column": c.label})
                       for c in headers.duplicated]
    if not headers.ok:
        return preview
    units_by_code = load_units()
    preview.units = {unit.id: unit for unit in units_by_code.values()}
    preview.unit_codes = units_by_code
    check = check_rows(headers, table.rows, units_by_code)
    preview.data_rows = check.data_rows
    preview.errors += check.errors
    preview.normalized = check.normalized
    if check.data_rows == 0:
        preview.errors.append(RowError(0, "", "", "no_data"))
    existing = load_accounts([row.username for row in check.rows])
    active = load_active_accounts() if deactivate_missing else ()
    preview.diff = diff_roster(check.rows, existing, deactivate_missing=deactivate_missing,
                               active_accounts=active,
                               actor_id=actor.id if actor is not None else None,
                               listed=check.usernames)
    return preview


def load_units() -> dict[str, UnitInfo]:
    rows = db.session.execute(select(OrgUnit.code, OrgUnit.id, OrgUnit.name, OrgUnit.active))
    return {code: UnitInfo(unit_id, name, active) for code, unit_id, name, active in rows}


_ACCOUNT_COLUMNS = (User.id, User.username, User.name, OrgUnit.code, User.org_unit_id,
                    User.rank, User.category, User.active)


def load_accounts(usernames: Iterable[str]) -> dict[str, ExistingAccount]:
    """The accounts with these canonical 工号 in any case, with their roles, keyed by the
    canonical 工号: two queries per 2,000 names (upper(username) is indexed)."""
    names = list(usernames)
    accounts: dict[str, ExistingAccount] = {}
    for start in range(0, len(names), _CHUNK):
        chunk = names[start:start + _CHUNK]
        rows = db.session.execute(select(*_ACCOUNT_COLUMNS).join(OrgUnit).where(or_(
            func.upper(User.username).in_(chunk), User.username.in_(chunk)))).all()
        roles = _roles_of([row[0] for row in rows])
        for row in rows:
            accounts[canonical_username(row[1])] = ExistingAccount(
                *row[:7], roles.get(row[0], frozenset()), row[7])
    return accounts


def load_active_accounts() -> list[ExistingAccount]:
    """Every active account, knowing only who is an administrator (all deactivation needs)."""
    admins = set(db.session.scalars(select(Role.user_id).where(Role.name == RoleName.ADMIN)))
    rows = db.session.execute(select(*_ACCOUNT_COLUMNS).join(OrgUnit).where(User.active))
    return [ExistingAccount(*row[:7], frozenset({RoleName.ADMIN}) if row[0] in admins
                            else frozenset(), row[7]) for row in rows]


def _roles_of(user_ids: list[int]) -> dict[int, frozenset[RoleName]]:
    if not user_ids:
        return {}
    found: dict[int, set] = {}
    for user_id, name in db.session.execute(
            select(Role.user_id, Role.name).where(Role.user_id.in_(user_ids))):
        found.setdefault(user_id, set()).add(name)
    return {user_id: frozenset(names) for user_id, names in found.items()}
