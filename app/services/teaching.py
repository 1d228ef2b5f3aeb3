"""What a trainer may see: the courses they own (admins: all)."""

from sqlalchemy import select, true

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import Course, CourseOwner, Quiz, User
from app.services import PermissionDenied


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
