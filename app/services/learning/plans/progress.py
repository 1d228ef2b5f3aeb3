"""How a training plan is going: who is covered, who finished, who is overdue (SQL aggregates)."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Enrollment, OrgUnit, PlanDueExtension, TrainingPlan, User
from app.models.plan import training_plan_course
from app.services.core.access import (
    ensure_may_manage_unit,
    people_scope_condition,
    unit_scope_condition,
)
from app.services.core.errors import PermissionDenied
from app.services.core.paging import Page
from app.services.learning.plans.assigning import plan_member_condition


@dataclass(frozen=True)
class CourseCompletion:
    code: str
    title: str
    enrolled: int
    completed: int


@dataclass(frozen=True)
class PlanProgress:
    plan: TrainingPlan
    members: int
    finished: int
    overdue_members: int
    courses: list[CourseCompletion]
    overdue: Page  # of OverdueCadre

    @property
    def percent(self) -> int:
        return (100 * self.finished) // self.members if self.members else 0


@dataclass(frozen=True)
class OverdueCadre:
    user: User
    done: int
    total: int


def list_plans(*, actor: User, year: int | None = None) -> list[TrainingPlan]:
    """Plans for units inside the actor's scope (admins: all)."""
    if not actor.has_role(RoleName.HR, RoleName.ADMIN):
        raise PermissionDenied("HR only")
    statement = (select(TrainingPlan).join(OrgUnit, OrgUnit.id == TrainingPlan.org_unit_id)
                 .order_by(TrainingPlan.year.desc(), TrainingPlan.due_on, TrainingPlan.id))
    statement = statement.where(unit_scope_condition(actor))
    if year is not None:
        statement = statement.where(TrainingPlan.year == year)
    return list(db.session.scalars(statement).unique())


def _per_member(plan: TrainingPlan, actor: User):
    """One row per covered cadre visible to the actor: plan courses done and assigned."""
    plan_courses = select(training_plan_course.c.course_id).where(
        training_plan_course.c.plan_id == plan.id)
    done = func.count(Enrollment.completed_at)
    # A cadre granted an extension (容错) is due on their own date, not the plan's.
    due_on = func.coalesce(PlanDueExtension.due_on, plan.due_on)
    return (
        select(User.id.label("user_id"), done.label("done"),
               func.count(Enrollment.id).label("enrolled"), due_on.label("due_on"))
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .outerjoin(Enrollment, (Enrollment.user_id == User.id)
                   & Enrollment.course_id.in_(plan_courses))
        .outerjoin(PlanDueExtension, (PlanDueExtension.plan_id == plan.id)
                   & (PlanDueExtension.user_id == User.id))
        .where(plan_member_condition(plan), people_scope_condition(actor))
        .group_by(User.id, PlanDueExtension.due_on)
    ).subquery()


def summarize_plan(plan: TrainingPlan, *, actor: User, today: date, page: int = 1,
                   per_page: int = 50) -> PlanProgress:
    ensure_may_manage_unit(actor, plan.org_unit)
    total_courses = len(plan.courses)
    members = _per_member(plan, actor)
    finished_case = case((members.c.done >= total_courses, 1), else_=0)
    overdue_case = case(((members.c.done < total_courses) & (members.c.due_on < today), 1),
                        else_=0)
    counts = db.session.execute(select(func.count(), func.coalesce(func.sum(finished_case), 0),
                                       func.coalesce(func.sum(overdue_case), 0))
                                .select_from(members)).one()
    overdue_count = int(counts[2])
    return PlanProgress(
        plan=plan, members=counts[0], finished=int(counts[1]), overdue_members=overdue_count,
        courses=_course_completion(plan, actor),
        overdue=_overdue_page(plan, members, total_courses, today, page, per_page))


def _course_completion(plan: TrainingPlan, actor: User) -> list[CourseCompletion]:
    rows = db.session.execute(
        select(Enrollment.course_id, func.count(Enrollment.id), func.count(Enrollment.completed_at))
        .join(User, User.id == Enrollment.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(Enrollment.course_id.in_([c.id for c in plan.courses]),
               plan_member_condition(plan), people_scope_condition(actor))
        .group_by(Enrollment.course_id))
    by_course = {course_id: (enrolled, done) for course_id, enrolled, done in rows}
    return [CourseCompletion(c.code, c.title, *by_course.get(c.id, (0, 0)))
            for c in plan.courses]


def _overdue_page(plan, members, total_courses, today, page, per_page) -> Page:
    behind = (members.c.done < total_courses) & (members.c.due_on < today)
    total = db.session.scalar(select(func.count()).select_from(members).where(behind))
    page = max(page, 1)
    rows = db.session.execute(
        select(User, members.c.done).join(members, members.c.user_id == User.id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id).where(behind)
        .options(contains_eager(User.org_unit))
        .order_by(OrgUnit.path, User.username)
        .limit(per_page).offset((page - 1) * per_page))
    items = [OverdueCadre(user, done, total_courses) for user, done in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)
