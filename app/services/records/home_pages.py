"""Figures for the home page of each role, aggregated in SQL."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.domain.competency import AreaStanding
from app.domain.vocabulary import CompetencyArea, RoleName
from app.extensions import db
from app.models import AuditEvent, Course, OrgUnit, User
from app.models.types import utcnow
from app.services.core.access import people_scope_condition
from app.services.core.errors import PermissionDenied
from app.services.people.throttle import count_throttled
from app.services.records.competency import build_competency_profile


@dataclass(frozen=True)
class HrOverview:
    people: int
    active_people: int


def summarize_people_in_scope(*, actor: User) -> HrOverview:
    """How many people the HR actor oversees (one query)."""
    row = db.session.execute(
        select(func.count(User.id), func.count(User.id).filter(User.active.is_(True)))
        .join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(people_scope_condition(actor))
    ).one()
    return HrOverview(people=row[0], active_people=row[1])


@dataclass(frozen=True)
class AdminOverview:
    users: int
    failed_logins_24h: int
    #: Sign-in names whose attempts are being delayed after repeated failures.
    throttled_names: int


def summarize_platform(*, actor: User) -> AdminOverview:
    if not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("admins only")
    now = utcnow()
    users = db.session.scalar(select(func.count(User.id)))
    failures = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "auth.login_failed",
            AuditEvent.created_at >= now - timedelta(hours=24))
    )
    return AdminOverview(users=users, failed_logins_24h=failures,
                         throttled_names=count_throttled(now))


@dataclass(frozen=True)
class StudyFocus:
    """The cadre's weakest competency area and published courses that build it."""

    area: CompetencyArea
    standing: AreaStanding
    courses: list[Course]


def summarize_study_focus(*, actor: User, now: datetime) -> StudyFocus | None:
    """What the home page recommends from the competency profile (a few queries)."""
    profile = build_competency_profile(actor, now=now)
    if profile.weakest is None:
        return None
    return StudyFocus(profile.weakest, profile.standings[profile.weakest], profile.next_courses)
