"""Loading demo data: the Chongqing org tree, the demo accounts and generated cadres."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app.domain.demo_data import CITY, demo_people, demo_units
from app.domain.learning import local_year
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.models import Course, OrgUnit, TrainingPlan, User
from app.models.types import utcnow
from app.services.assessment.annual_test import create_annual_tests
from app.services.core.access import add_course_owner
from app.services.core.errors import ServiceError
from app.services.curriculum.course_files.importing import import_courses
from app.services.learning.plans.assigning import PlanInput, create_training_plan
from app.services.people.accounts import create_user, find_user_by_username, grant_role
from app.services.people.org import create_org_unit
from app.services.people.passwords import hash_password

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - published in the README for the demo only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    unit_code: str
    rank: Rank
    category: WorkCategory
    role: RoleName | None = None
    scope_code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin", "周立新", "500000D01", Rank.DIVISION, WorkCategory.ADMINISTRATION,
                RoleName.ADMIN),
    DemoAccount("hr", "刘红梅", "500000D02", Rank.DIVISION, WorkCategory.ADMINISTRATION,
                RoleName.HR, "500000"),
    DemoAccount("hr_yuzhong", "张静", "500103", Rank.SECTION, WorkCategory.ADMINISTRATION,
                RoleName.HR, "500103"),
    DemoAccount("trainer", "王建华", "500000D03", Rank.SECTION, WorkCategory.PUBLIC_SERVICE,
                RoleName.TRAINER),
    DemoAccount("cadre", "李明", "500103001", Rank.STAFF, WorkCategory.SOCIAL_GOVERNANCE),
]


DEMO_PLAN_TITLE = "全市干部数字素养必修计划"
DEMO_PLAN_COURSES = ("DC101", "SE220")


@dataclass(frozen=True)
class SeedReport:
    units_created: int
    users_created: int
    courses_imported: int = 0
    plan_created: bool = False


def is_database_empty() -> bool:
    return db.session.scalar(select(func.count(User.id))) == 0


def seed_demo(*, people: int = 320, courses_dir: Path | None = None, progress=None) -> SeedReport:
    """Create whatever demo data is missing; existing rows are left exactly as they are."""
    if not current_app.config.get("DEMO_ALLOWED", False):
        raise ServiceError("demo data is refused under this configuration (production)")
    units_by_code = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    units_created = 0
    for spec in demo_units():
        if spec.code not in units_by_code:
            parent = units_by_code[spec.parent_code] if spec.parent_code else None
            units_by_code[spec.code] = create_org_unit(
                code=spec.code, name=spec.name, level=spec.level, parent=parent,
                sort_order=spec.sort_order, actor=None)
            units_created += 1
    existing = set(db.session.scalars(select(User.username)))
    users_created = _seed_accounts(units_by_code, existing)
    # One hash for every generated cadre: they share the published demo password anyway,
    # and hashing hundreds of argon2id passwords would make seeding slow.
    shared_hash = hash_password(DEMO_PASSWORD)
    for index, person in enumerate(demo_people(demo_units(), people)):
        if person.username not in existing:
            create_user(username=person.username, name=person.name,
                        org_unit=units_by_code[person.unit_code], rank=person.rank,
                        category=person.category, password_hash=shared_hash, actor=None)
            users_created += 1
        if progress is not None:
            progress(index + 1)
    imported = _seed_courses(courses_dir) if courses_dir is not None else 0
    _seed_teaching()
    plan_created = _seed_plan(units_by_code[CITY[0]])
    return SeedReport(units_created=units_created, users_created=users_created,
                      courses_imported=imported, plan_created=plan_created)


def _seed_courses(courses_dir: Path) -> int:
    """The shipped curriculum; an unchanged course is left as it is."""
    report = import_courses(courses_dir, actor=None)
    return len(report.created) + len(report.updated)


def _seed_teaching() -> None:
    """The demo trainer owns every course, and this year's annual tests exist."""
    trainer = find_user_by_username("trainer")
    if trainer is not None:
        for course in db.session.scalars(select(Course)):
            add_course_owner(course, trainer, actor=None)
    create_annual_tests(local_year(utcnow()), actor=None)


def _seed_plan(city: OrgUnit) -> bool:
    """A city-wide plan of two required courses, due at the end of this year."""
    courses = list(db.session.scalars(select(Course).where(Course.code.in_(DEMO_PLAN_COURSES))))
    exists = db.session.scalar(select(TrainingPlan.id).where(TrainingPlan.title == DEMO_PLAN_TITLE))
    if exists is not None or len(courses) != len(DEMO_PLAN_COURSES):
        return False
    year = local_year(utcnow())
    hr = find_user_by_username("hr")
    create_training_plan(PlanInput(DEMO_PLAN_TITLE, year, city, [], [], courses,
                                   date(year, 12, 31)), actor=hr)
    return True


def _seed_accounts(units_by_code: dict[str, OrgUnit], existing: set[str]) -> int:
    created = 0
    for account in DEMO_ACCOUNTS:
        if account.username in existing:
            continue
        user = create_user(username=account.username, name=account.name,
                           org_unit=units_by_code[account.unit_code], rank=account.rank,
                           category=account.category, password=DEMO_PASSWORD, actor=None)
        if account.role is not None:
            scope = units_by_code[account.scope_code] if account.scope_code else None
            grant_role(user, account.role, scope=scope, actor=None)
        created += 1
    return created
