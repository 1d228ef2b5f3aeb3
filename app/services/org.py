"""The org tree: creating and moving units, keeping materialized paths right."""

from sqlalchemy import select, update
from sqlalchemy.sql import func

from app.domain.orgtree import check_move, child_path, subtree_bounds
from app.domain.vocabulary import OrgLevel
from app.extensions import db
from app.models import OrgUnit, User
from app.services.audit import record_event


def find_unit_by_code(code: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def create_org_unit(
    *, code: str, name: str, level: OrgLevel, parent: OrgUnit | None,
    sort_order: int = 0, actor: User | None,
) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, level=level, parent=parent, sort_order=sort_order,
                   path=f"/new-{code}/")  # placeholder until the id exists
    db.session.add(unit)
    db.session.flush()
    unit.path = child_path(parent.path if parent else None, unit.id)
    db.session.flush()
    if actor is not None:
        record_event("org.unit_created", actor=actor, target=f"org:{unit.code}")
    return unit


def move_org_unit(unit: OrgUnit, new_parent: OrgUnit | None, *, actor: User | None) -> None:
    """Re-parent a unit and rewrite every descendant path in one UPDATE."""
    check_move(unit.path, new_parent.path if new_parent else None)
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
    record_event("org.unit_moved", actor=actor, target=f"org:{unit.code}",
                 details={"from": old_prefix, "to": new_prefix})


def subtree_units(root: OrgUnit) -> list[OrgUnit]:
    """The unit and everything below it, in tree order, in one indexed query."""
    return list(db.session.scalars(
        select(OrgUnit).where(root.subtree_condition()).order_by(OrgUnit.path)
    ))


def list_units_in_scope(actor: User) -> list[OrgUnit]:
    """Units an HR user may plan for (admins: every unit), in tree order."""
    from app.services.access import unit_scope_condition

    return list(db.session.scalars(
        select(OrgUnit).where(unit_scope_condition(actor)).order_by(OrgUnit.path)))
