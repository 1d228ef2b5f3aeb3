"""Training plans: HR assigns required courses to the cadres of a subtree, ranks, categories.

Every matching cadre is enrolled when a plan is saved (one INSERT … SELECT per
course, whatever the number of cadres). Cadres who join the subtree later are
enrolled at their next sign-in (``sync_user_plans``) or by
``flask --app wsgi plans sync``.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, insert, literal, or_, select, update

from app.domain.learning import audience_matches
from app.domain.vocabulary import (
    CourseKind,
    CourseStatus,
    EnrollmentSource,
    Rank,
    RoleName,
    WorkCategory,
)
from app.extensions import db
from app.models import Course, Enrollment, OrgUnit, Role, TrainingPlan, User
from app.models.org import path_in_subtree
from app.models.types import UTCDateTime, utcnow
from app.services.core.access import ensure_may_manage_unit
from app.services.core.audit import record_event
from app.services.core.errors import ServiceError


@dataclass(frozen=True)
class PlanInput:
    title: str
    year: int
    org_unit: OrgUnit
    ranks: list[Rank]
    categories: list[WorkCategory]
    courses: list[Course]
    due_on: date


def _check_input(data: PlanInput) -> None:
    if not data.title.strip():
        raise ServiceError("title_required")
    if not data.courses:
        raise ServiceError("courses_required")
    for course in data.courses:
        if course.status is not CourseStatus.PUBLISHED or course.kind is not CourseKind.REQUIRED:
            raise ServiceError(f"course_not_assignable:{course.code}")
    if data.due_on.year < data.year:
        raise ServiceError("due_before_year")


def create_training_plan(data: PlanInput, *, actor: User) -> TrainingPlan:
    ensure_may_manage_unit(actor, data.org_unit)
    _check_input(data)
    plan = TrainingPlan(created_by=actor)
    _apply(plan, data)
    db.session.add(plan)
    db.session.flush()
    enrolled = sync_plan_enrollments(plan)
    record_event("plans.created", actor=actor, target=f"plan:{plan.id}",
                 details={"unit": data.org_unit.code, "enrolled": enrolled})
    return plan


def update_training_plan(plan: TrainingPlan, data: PlanInput, *, actor: User) -> TrainingPlan:
    ensure_may_manage_unit(actor, plan.org_unit)
    ensure_may_manage_unit(actor, data.org_unit)
    _check_input(data)
    _apply(plan, data)
    plan.updated_at = utcnow()
    db.session.flush()
    enrolled = sync_plan_enrollments(plan)
    record_event("plans.updated", actor=actor, target=f"plan:{plan.id}",
                 details={"enrolled": enrolled})
    return plan


def _apply(plan: TrainingPlan, data: PlanInput) -> None:
    plan.title = data.title.strip()
    plan.year = data.year
    plan.org_unit = data.org_unit
    plan.ranks = sorted(r.value for r in data.ranks)
    plan.categories = sorted(c.value for c in data.categories)
    plan.courses = list(data.courses)
    plan.due_on = data.due_on


def plan_member_condition(plan: TrainingPlan):
    """SQL condition on User joined with OrgUnit: active cadres the plan covers."""
    conditions = [
        path_in_subtree(plan.org_unit.path),
        User.active.is_(True),
        exists().where(Role.user_id == User.id, Role.name == RoleName.CADRE),
    ]
    if plan.ranks:
        conditions.append(User.rank.in_([Rank(r) for r in plan.ranks]))
    if plan.categories:
        conditions.append(User.category.in_([WorkCategory(c) for c in plan.categories]))
    return and_(*conditions)


def plan_members():
    return select(User.id).join(OrgUnit, OrgUnit.id == User.org_unit_id)


def sync_plan_enrollments(plan: TrainingPlan, *, only_user: User | None = None) -> int:
    """Enroll every covered cadre (or just ``only_user``) in every plan course.

    Returns how many enrollments were created.
    """
    if only_user is not None and _already_in_step(plan, only_user):
        return 0  # the common case at sign-in: one read instead of three writes per course
    members = plan_members().where(plan_member_condition(plan))
    if only_user is not None:
        members = members.where(User.id == only_user.id)
    created = 0
    now = utcnow()
    for course in plan.courses:
        missing = members.where(~exists().where(
            Enrollment.user_id == User.id, Enrollment.course_id == course.id))
        rows = missing.with_only_columns(
            User.id, literal(course.id), literal(EnrollmentSource.PLAN.value),
            literal(plan.id), literal(plan.due_on), literal(now, UTCDateTime()))
        # RETURNING, because drivers may report -1 as the rowcount of INSERT … SELECT.
        result = db.session.execute(insert(Enrollment).from_select(
            ["user_id", "course_id", "source", "plan_id", "due_on", "enrolled_at"], rows)
            .returning(Enrollment.id))
        created += len(result.all())
        _adopt_existing(plan, course, members)
    db.session.expire_all()
    return created


def _self_chosen():
    """SQL: an enrollment the plan takes over (chosen by the cadre, now assigned)."""
    return Enrollment.source == EnrollmentSource.SELF


def _due_date_to_set(plan: TrainingPlan):
    """SQL: an enrollment whose due date the plan sets: none yet, a later one (the earliest
    due date wins), or the plan's own enrollment after the plan's date moved."""
    return or_(Enrollment.due_on.is_(None), Enrollment.due_on > plan.due_on,
               and_(Enrollment.plan_id == plan.id, Enrollment.due_on != plan.due_on))


def _already_in_step(plan: TrainingPlan, user: User) -> bool:
    """Whether the user holds every course of the plan, none of them needing a change."""
    course_ids = {course.id for course in plan.courses}
    in_step = set(db.session.scalars(select(Enrollment.course_id).where(
        Enrollment.user_id == user.id, Enrollment.course_id.in_(course_ids),
        ~_self_chosen(), ~_due_date_to_set(plan))))
    return in_step == course_ids


def _adopt_existing(plan: TrainingPlan, course: Course, members) -> None:
    """Self-chosen enrollments become assigned; the earliest due date wins."""
    covered = and_(Enrollment.course_id == course.id, Enrollment.user_id.in_(members))
    db.session.execute(
        update(Enrollment).where(covered, _self_chosen())
        .values(source=EnrollmentSource.PLAN, plan_id=plan.id, due_on=plan.due_on)
        .execution_options(synchronize_session=False))
    # Rows already right are left alone: rewriting them would write (and later vacuum) a
    # row per course for each cadre signing in.
    db.session.execute(
        update(Enrollment).where(covered, _due_date_to_set(plan))
        .values(due_on=plan.due_on)
        .execution_options(synchronize_session=False))


def plans_covering(user: User, today: date) -> list[TrainingPlan]:
    """Plans still running whose subtree, ranks and categories include this user."""
    ancestors = user.org_unit.ancestor_ids
    candidates = db.session.scalars(select(TrainingPlan).where(
        TrainingPlan.org_unit_id.in_(ancestors), TrainingPlan.due_on >= today))
    return [plan for plan in candidates
            if audience_matches(plan.ranks, plan.categories, user.rank, user.category)]


def sync_user_plans(user: User, today: date) -> int:
    """Enroll one user in the plans that cover them (called at sign-in)."""
    if not user.active or not user.has_role(RoleName.CADRE):
        return 0
    return sum(sync_plan_enrollments(plan, only_user=user)
               for plan in plans_covering(user, today))


def sync_all_plans(today: date) -> int:
    plans = db.session.scalars(select(TrainingPlan).where(TrainingPlan.due_on >= today))
    return sum(sync_plan_enrollments(plan) for plan in plans)


def list_assignable_courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(
        Course.status == CourseStatus.PUBLISHED, Course.kind == CourseKind.REQUIRED)
        .order_by(Course.code)))


def find_plan_for(plan_id: int, *, actor: User) -> TrainingPlan | None:
    """The plan, if it exists and lies inside the actor's scope."""
    plan = db.session.get(TrainingPlan, plan_id)
    if plan is None:
        return None
    ensure_may_manage_unit(actor, plan.org_unit)
    return plan
