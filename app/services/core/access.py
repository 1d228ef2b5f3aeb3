"""Data scopes: which units the acting user manages and which rows they may see (rule in
app.domain.access), and which courses a trainer teaches (admins: all)."""

from sqlalchemy import false, or_, select, true

from app.domain.access import Viewer, can_manage_unit, can_view_person
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Course, CourseOwner, OrgUnit, Quiz, User
from app.models.org import path_in_subtree
from app.services.core.errors import NotFound, PermissionDenied


def viewer_for(user: User) -> Viewer:
    scopes = tuple(
        role.scope_unit.path for role in user.roles
        if role.name == RoleName.HR and role.scope_unit is not None
    )
    return Viewer(user_id=user.id, roles=user.role_names, hr_scope_paths=scopes)


def may_manage_unit(actor: User, unit: OrgUnit) -> bool:
    """HR may manage units inside their scope (plans, appraisal, reports); admins any unit."""
    return can_manage_unit(viewer_for(actor), unit.path)


def ensure_may_manage_unit(actor: User, unit: OrgUnit) -> None:
    if not may_manage_unit(actor, unit):
        raise PermissionDenied("this unit is outside your scope")


def may_view_person(actor: User, person: User) -> bool:
    return can_view_person(viewer_for(actor), person.id, person.org_unit.path)


def ensure_may_view_person(actor: User, person: User) -> None:
    if not may_view_person(actor, person):
        raise PermissionDenied("this person is outside your scope", target=f"user:{person.id}")


def people_scope_condition(actor: User, *, unit_path_column=None):
    """SQL condition on User joined with OrgUnit for the people the actor may see."""
    viewer = viewer_for(actor)
    if viewer.has_role(RoleName.ADMIN):
        return true()
    column = unit_path_column if unit_path_column is not None else OrgUnit.path
    conditions = [User.id == actor.id]
    for root in viewer.hr_scope_paths:
        conditions.append(path_in_subtree(root, column))
    return or_(*conditions)


def visible_people_query(actor: User):
    """A SELECT of users (joined to their unit) restricted to the actor's scope."""
    return (
        select(User)
        .join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(people_scope_condition(actor))
    )


def hr_scope_units(actor: User) -> list[OrgUnit]:
    return [r.scope_unit for r in actor.roles if r.name == RoleName.HR and r.scope_unit]


def unit_scope_condition(actor: User, *, path_column=None):
    """SQL condition on an OrgUnit path: units inside the actor's HR scope (admins: all)."""
    if actor.has_role(RoleName.ADMIN):
        return true()
    scopes = viewer_for(actor).hr_scope_paths
    if not scopes:
        return false()
    return or_(*(path_in_subtree(root, path_column) for root in scopes))


# What a trainer may see: the courses they own (admins: all).

def taught_course_condition(actor: User, course_id_column=None):
    """SQL condition on a course id: courses the actor teaches."""
    column = course_id_column if course_id_column is not None else Course.id
    if actor.has_role(RoleName.ADMIN):
        return true()
    return column.in_(select(CourseOwner.course_id).where(CourseOwner.user_id == actor.id))


def teaches_quiz(actor: User, quiz: Quiz) -> bool:
    if actor.has_role(RoleName.ADMIN):
        return True
    if not actor.has_role(RoleName.TRAINER):
        return False
    if quiz.course_id is None:  # annual tests are the whole teaching staff's
        return True
    return db.session.get(CourseOwner, (quiz.course_id, actor.id)) is not None


def ensure_teaches_quiz(actor: User, quiz: Quiz) -> None:
    if not teaches_quiz(actor, quiz):
        raise PermissionDenied("you do not teach this course")


def add_course_owner(course: Course, trainer: User, *, actor: User | None) -> None:
    if actor is not None and not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only administrators assign course owners")
    if db.session.get(CourseOwner, (course.id, trainer.id)) is None:
        db.session.add(CourseOwner(course_id=course.id, user_id=trainer.id))
        db.session.flush()


def teaches_course(actor: User, course: Course) -> bool:
    """Admins teach every course; others the courses they own."""
    if actor.has_role(RoleName.ADMIN):
        return True
    return db.session.get(CourseOwner, (course.id, actor.id)) is not None


def ensure_teaches_course(actor: User, course: Course) -> None:
    if not teaches_course(actor, course):
        raise PermissionDenied("you do not teach this course")


def ensure_may_edit_course(actor: User, course: Course) -> None:
    """Owners and administrators edit a course (its lessons, videos, quizzes);
    PermissionDenied for anyone else."""
    if not (actor.has_role(RoleName.TRAINER) or actor.has_role(RoleName.ADMIN)):
        raise PermissionDenied("not an author")
    ensure_teaches_course(actor, course)


def find_taught_course(code: str, *, actor: User) -> Course:
    """The course with this code if the actor teaches it (NotFound / PermissionDenied)."""
    course = db.session.scalar(select(Course).where(Course.code == code))
    if course is None:
        raise NotFound(code)
    ensure_teaches_course(actor, course)
    return course


def list_taught_courses(actor: User) -> list[Course]:
    return list(db.session.scalars(select(Course).where(taught_course_condition(actor))
                                   .order_by(Course.code)))
