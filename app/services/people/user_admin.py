"""Administering accounts: search with filters, create with a one-time password, edit;
and finding people within the acting user's scope (HR's cadre search).

Roles, deactivation and the last-administrator rules live in app.services.people.accounts;
one-time passwords in app.services.people.one_time_passwords. Everything here is for admins.
"""

from dataclasses import dataclass, field

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import contains_eager

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import OrgUnit, Role, User
from app.services.core.access import people_scope_condition
from app.services.core.audit import record_event, user_target
from app.services.core.paging import Page, paginate
from app.services.people.accounts import (
    AccountRefused,
    create_user,
    grant_role,
    require_active_unit,
    require_admin,
)
from app.services.people.one_time_passwords import set_one_time_password

#: Replaced by the one-time password in the same transaction; no password verifies against it.
_NOT_A_HASH = "!one-time-password-pending"


@dataclass(frozen=True)
class UserFilter:
    """The user list's filters; None or empty means "any"."""

    text: str = ""
    unit: OrgUnit | None = None  # with everything below it
    rank: Rank | None = None
    role: RoleName | None = None
    active: bool | None = None


@dataclass(frozen=True)
class NewAccount:
    username: str
    name: str
    unit: OrgUnit
    rank: Rank
    category: WorkCategory
    roles: list[RoleName] = field(default_factory=list)
    scope: OrgUnit | None = None  # for an HR role


@dataclass(frozen=True)
class UserChanges:
    name: str
    unit: OrgUnit
    rank: Rank
    category: WorkCategory
    language: str | None  # None: follow the browser


def search_users(filters: UserFilter, *, actor: User, page: int, per_page: int) -> Page:
    """One page of accounts (two queries, plus one for the page's roles), in tree order."""
    require_admin(actor)
    statement = (
        select(User).join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .options(contains_eager(User.org_unit))
        .where(*_conditions(filters))
        .order_by(OrgUnit.path, User.username)
    )
    return paginate(statement, page=page, per_page=per_page)


def _conditions(filters: UserFilter) -> list:
    conditions = []
    text = filters.text.strip()
    if text:
        pattern = f"%{escape_like(text)}%"
        conditions.append(or_(User.name.ilike(pattern, escape="\\"),
                              User.username.ilike(pattern, escape="\\")))
    if filters.unit is not None:
        conditions.append(filters.unit.subtree_condition())
    if filters.rank is not None:
        conditions.append(User.rank == filters.rank)
    if filters.role is not None:
        conditions.append(exists().where(Role.user_id == User.id, Role.name == filters.role))
    if filters.active is not None:
        conditions.append(User.active.is_(filters.active))
    return conditions


def create_account(data: NewAccount, *, actor: User, ip: str | None = None) -> tuple[User, str]:
    """Create the account with its roles; return it and its one-time password (show it once)."""
    require_admin(actor)
    if RoleName.HR in data.roles and data.scope is None:
        raise AccountRefused("hr_needs_scope",
                             "an HR role needs the org unit whose subtree it may see")
    user = create_user(username=data.username, name=data.name, org_unit=data.unit,
                       rank=data.rank, category=data.category, password_hash=_NOT_A_HASH,
                       actor=actor)
    for role in data.roles:
        if role is not RoleName.CADRE:
            grant_role(user, role, scope=data.scope if role is RoleName.HR else None,
                       actor=actor, ip=ip)
    return user, set_one_time_password(user, actor=actor, ip=ip)


def update_user(user: User, changes: UserChanges, *, actor: User,
                ip: str | None = None) -> dict[str, list]:
    """Apply the edit form; audit each changed field as [old, new]. Returns those changes."""
    require_admin(actor)
    name = changes.name.strip()
    if not name:
        raise AccountRefused("required", "a name is required")
    if changes.unit is not user.org_unit:
        require_active_unit(changes.unit)
    before = _editable_fields(user)
    user.name, user.org_unit, user.rank = name, changes.unit, changes.rank
    user.category, user.preferred_language = changes.category, changes.language
    after = _editable_fields(user)
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changed:
        db.session.flush()
        record_event("users.updated", actor=actor, target=user_target(user),
                     details={"changes": changed}, ip=ip)
    return changed


def _editable_fields(user: User) -> dict:
    return {"name": user.name, "unit": user.org_unit.code, "rank": user.rank.value,
            "category": user.category.value, "language": user.preferred_language}


def reset_password(user: User, *, actor: User, ip: str | None = None) -> str:
    """A new one-time password (shown once); their sessions end; next sign-in must change it."""
    require_admin(actor)
    return set_one_time_password(user, actor=actor, ip=ip)


# Finding people within the acting user's scope.

def search_people(*, actor: User, text: str = "", page: int = 1, per_page: int = 50) -> Page:
    """People the actor may see, filtered by name, employee number or unit name."""
    condition = people_scope_condition(actor)
    if text:
        pattern = f"%{escape_like(text)}%"
        condition = condition & or_(User.name.ilike(pattern, escape="\\"),
                                    User.username.ilike(pattern, escape="\\"),
                                    OrgUnit.name.ilike(pattern, escape="\\"))
    statement = (
        select(User).join(OrgUnit, User.org_unit_id == OrgUnit.id).where(condition)
        .options(contains_eager(User.org_unit))
        .order_by(OrgUnit.path, User.username)
    )
    return paginate(statement, page=page, per_page=per_page)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
