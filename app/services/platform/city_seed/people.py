"""The city's org tree (through the real use case) and its cadres (set-based)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.domain.city_data import city_people, city_units
from app.domain.demo_data import DemoPerson, DemoUnit
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import OrgUnit
from app.services.people.org import create_org_unit
from app.services.platform.city_seed.bulk import BulkWriter

USER_COLUMNS = ("id", "username", "name", "org_unit_id", "rank", "category", "active",
                "password_hash", "must_change_password", "session_version", "created_at")
ROLE_COLUMNS = ("id", "user_id", "name", "granted_at")
AUDIT_COLUMNS = ("id", "created_at", "actor_id", "action", "target", "details")
#: Cadres written per COPY batch (bounds memory whatever the city size).
BATCH = 20_000


@dataclass(frozen=True)
class Cadre:
    """What the activity writer needs of a generated cadre."""

    id: int
    username: str
    name: str
    unit_name: str
    rank: Rank
    category: WorkCategory


def add_city_units(people: int) -> tuple[list[DemoUnit], dict[str, OrgUnit]]:
    """Every unit of the city-size tree that is missing (create_org_unit, as seeding does);
    returns the tree's specs and every unit by code."""
    specs = city_units(people)
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    for spec in specs:
        if spec.code not in units:
            units[spec.code] = create_org_unit(
                code=spec.code, name=spec.name, level=spec.level,
                parent=units[spec.parent_code] if spec.parent_code else None,
                sort_order=spec.sort_order, actor=None)
    return specs, units


def write_cadres(writer: BulkWriter, specs: list[DemoUnit], units: dict[str, OrgUnit], *,
                 first: int, count: int, password_hash: str, created_at: datetime,
                 progress: Callable[[int], None] | None = None) -> list[Cadre]:
    """Cadres number ``first`` … as create_user leaves them (the cadre role and a
    "users.created" event each), in batches of BATCH."""
    cadres: list[Cadre] = []
    when = created_at.replace(tzinfo=None)
    pending = []
    for person in city_people(specs, first, count):
        pending.append(person)
        if len(pending) == BATCH:
            cadres += _write_batch(writer, units, pending, password_hash, when)
            pending = []
            if progress:
                progress(len(cadres))
    cadres += _write_batch(writer, units, pending, password_hash, when)
    if progress:
        progress(len(cadres))
    return cadres


def _write_batch(writer: BulkWriter, units: dict[str, OrgUnit], people: list[DemoPerson],
                 password_hash: str, when: datetime) -> list[Cadre]:
    if not people:
        return []
    first_user = writer.take_ids("user_account", len(people))
    first_role = writer.take_ids("user_role", len(people))
    first_event = writer.take_ids("audit_event", len(people))
    cadres = [Cadre(first_user + i, p.username, p.name, units[p.unit_code].name, p.rank,
                    p.category) for i, p in enumerate(people)]
    writer.write("user_account", USER_COLUMNS, (
        (first_user + i, p.username, p.name, units[p.unit_code].id, p.rank.value,
         p.category.value, True, password_hash, False, 1, when)
        for i, p in enumerate(people)))
    writer.write("user_role", ROLE_COLUMNS, (
        (first_role + i, first_user + i, RoleName.CADRE.value, when)
        for i in range(len(people))))
    writer.write("audit_event", AUDIT_COLUMNS, (
        (first_event + i, when, None, "users.created", f"user:{first_user + i}", "{}")
        for i in range(len(people))))
    return cadres
