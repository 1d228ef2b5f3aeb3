"""The org tree: creating, renaming, moving and (de)activating units, keeping paths right."""

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.sql import func

from app.domain.orgtree import OrgTreeError, check_move, child_path, subtree_bounds
from app.domain.vocabulary import OrgLevel
from app.extensions import db
from app.models import OrgUnit, User
from app.services.core.access import unit_scope_condition
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError
from app.services.people.accounts import require_admin

CODE_MAX, NAME_MAX = 32, 100


class OrgChangeRefused(ServiceError):
    """A refused change to the tree. ``code`` names the rule (the web translates it, with
    ``params``); the message is plain English for the command line."""

    def __init__(self, code: str, message: str, /, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass
class TreeNode:
    """A unit with its active people: its own and its whole subtree's."""

    unit: OrgUnit
    own_people: int
    people: int = 0
    children: list["TreeNode"] = field(default_factory=list)


def find_unit_by_code(code: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def unit_names(codes) -> dict[str, str]:
    """Unit code → name for the codes given (unknown codes are left out), in one query."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    return dict(db.session.execute(
        select(OrgUnit.code, OrgUnit.name).where(OrgUnit.code.in_(codes))).all())


def create_org_unit(
    *, code: str, name: str, level: OrgLevel, parent: OrgUnit | None,
    sort_order: int = 0, actor: User | None,
) -> OrgUnit:
    require_admin(actor)
    code, name = code.strip(), name.strip()
    _check_code(code)
    _check_name(name)
    _check_parent(parent, moving=None)
    unit = OrgUnit(code=code, name=name, level=level, parent=parent, sort_order=sort_order,
                   path=f"/new-{code}/")  # placeholder until the id exists
    db.session.add(unit)
    db.session.flush()
    unit.path = child_path(parent.path if parent else None, unit.id)
    db.session.flush()
    if actor is not None:  # the tree built by seeding and tests is not an admin's change
        record_event("org.created", actor=actor, target=_target(unit),
                     details={"name": name, "parent": parent.code if parent else None})
    return unit


def rename_org_unit(unit: OrgUnit, name: str, *, actor: User | None) -> None:
    require_admin(actor)
    name = name.strip()
    _check_name(name)
    if name == unit.name:
        return
    old, unit.name = unit.name, name
    db.session.flush()
    record_event("org.renamed", actor=actor, target=_target(unit),
                 details={"from": old, "to": name})


def move_org_unit(unit: OrgUnit, new_parent: OrgUnit | None, *, actor: User | None) -> None:
    """Re-parent a unit and rewrite every descendant path in one UPDATE."""
    require_admin(actor)
    if new_parent is unit.parent:
        return
    try:
        check_move(unit.path, new_parent.path if new_parent else None)
    except OrgTreeError as error:
        raise OrgChangeRefused("cycle", str(error), unit=unit.name,
                               parent=new_parent.name if new_parent else "") from error
    _check_parent(new_parent, moving=unit)
    old_parent = unit.parent.code if unit.parent else None
    old_prefix = unit.path
    new_prefix = child_path(new_parent.path if new_parent else None, unit.id)
    low, high = subtree_bounds(old_prefix)
    db.session.execute(
        update(OrgUnit)
        .where(OrgUnit.path >= low, OrgUnit.path < high)
        .values(path=new_prefix + func.substr(OrgUnit.path, len(old_prefix) + 1))
        .execution_options(synchronize_session=False)
    )
    unit.parent = new_parent
    db.session.flush()
    db.session.expire_all()
    record_event("org.moved", actor=actor, target=_target(unit),
                 details={"from": old_parent, "to": new_parent.code if new_parent else None,
                          "old_path": old_prefix, "new_path": new_prefix})


def deactivate_org_unit(unit: OrgUnit, *, actor: User | None) -> None:
    """Retire an empty unit: no active people in its subtree and no active child units."""
    require_admin(actor)
    if not unit.active:
        return
    people = count_active_people(unit)
    if people:
        raise OrgChangeRefused("has_people", f"{people} active people remain; move them first",
                               count=people)
    children = count_active_children(unit)
    if children:
        raise OrgChangeRefused("has_children", f"{children} active child units remain",
                               count=children)
    unit.active = False
    db.session.flush()
    record_event("org.deactivated", actor=actor, target=_target(unit))


def reactivate_org_unit(unit: OrgUnit, *, actor: User | None) -> None:
    require_admin(actor)
    if unit.active:
        return
    if unit.parent is not None and not unit.parent.active:
        raise OrgChangeRefused("parent_inactive", "reactivate the parent unit first",
                               parent=unit.parent.name)
    unit.active = True
    db.session.flush()
    record_event("org.reactivated", actor=actor, target=_target(unit))


def count_active_people(unit: OrgUnit) -> int:
    """Active accounts in the unit and everything below it (one range query)."""
    return db.session.scalar(
        select(func.count()).select_from(User).join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(User.active.is_(True), unit.subtree_condition()))


def count_active_children(unit: OrgUnit) -> int:
    return db.session.scalar(select(func.count()).select_from(OrgUnit).where(
        OrgUnit.parent_id == unit.id, OrgUnit.active.is_(True)))


def org_tree() -> list[TreeNode]:
    """The whole tree with active people per unit: two queries whatever its size."""
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    own = dict(db.session.execute(
        select(User.org_unit_id, func.count()).where(User.active.is_(True))
        .group_by(User.org_unit_id)).all())
    nodes = {unit.id: TreeNode(unit, own.get(unit.id, 0)) for unit in units}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id)
        (parent.children if parent else roots).append(node)
        for ancestor_id in node.unit.ancestor_ids:  # the unit itself included
            if ancestor_id in nodes:
                nodes[ancestor_id].people += node.own_people
    for node in nodes.values():
        node.children.sort(key=lambda child: (child.unit.sort_order, child.unit.code))
    return roots


def subtree_units(root: OrgUnit) -> list[OrgUnit]:
    """The unit and everything below it, in tree order, in one indexed query."""
    return list(db.session.scalars(
        select(OrgUnit).where(root.subtree_condition()).order_by(OrgUnit.path)
    ))


def list_units_in_scope(actor: User) -> list[OrgUnit]:
    """Active units an HR user may pick (admins: every active unit), in tree order."""

    return list(db.session.scalars(
        select(OrgUnit).where(unit_scope_condition(actor), OrgUnit.active.is_(True))
        .order_by(OrgUnit.path)))


def _check_code(code: str) -> None:
    if not code or len(code) > CODE_MAX:
        raise OrgChangeRefused("code_required", f"a code of 1 to {CODE_MAX} characters",
                               max=CODE_MAX)
    if find_unit_by_code(code) is not None:
        raise OrgChangeRefused("code_taken", f"org unit code {code} already exists", code=code)


def _check_name(name: str) -> None:
    if not name or len(name) > NAME_MAX:
        raise OrgChangeRefused("name_required", f"a name of 1 to {NAME_MAX} characters",
                               max=NAME_MAX)


def _check_parent(parent: OrgUnit | None, *, moving: OrgUnit | None) -> None:
    """New and moved units go under an active unit; the tree keeps a single top unit."""
    if parent is not None:
        if not parent.active:
            raise OrgChangeRefused("parent_inactive", f"org unit {parent.code} is deactivated",
                                   parent=parent.name)
        return
    root = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)).limit(1))
    if root is not None and root is not moving:
        raise OrgChangeRefused("second_root", "the tree already has a top unit",
                               root=root.name)


def _target(unit: OrgUnit) -> str:
    return f"org:{unit.code}"
