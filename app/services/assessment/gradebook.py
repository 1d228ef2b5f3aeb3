"""The gradebook of a course: enrolled cadres × quizzes, for the course's trainers, with the
exercise hints each cadre opened (in any attempt of the course's exercises)."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from app.domain.vocabulary import QuizKind
from app.extensions import db
from app.models import Attempt, AttemptHint, Course, Enrollment, OrgUnit, Quiz, QuizResult, User
from app.models.org import path_in_subtree
from app.services.core.access import ensure_teaches_course
from app.services.core.paging import Page, paginate
from app.services.learning.quiz_standing import course_quizzes


@dataclass(frozen=True)
class GradebookRow:
    user: User
    enrollment: Enrollment
    results: dict[int, QuizResult]
    #: Exercise hints opened, in all the cadre's attempts of the course's exercises.
    hints: int = 0


@dataclass(frozen=True)
class Gradebook:
    course: Course
    quizzes: list[Quiz]
    rows: Page  # of GradebookRow

    @property
    def has_exercises(self) -> bool:
        return has_exercises(self.quizzes)


def has_exercises(quizzes: list[Quiz]) -> bool:
    """Whether the gradebook has the hints column."""
    return any(quiz.kind is QuizKind.EXERCISE for quiz in quizzes)


def gradebook_units(course: Course) -> list[OrgUnit]:
    """The units of the course's enrolled cadres, in tree order: what the filter offers."""
    return list(db.session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_(
            select(User.org_unit_id).join(Enrollment, Enrollment.user_id == User.id)
            .where(Enrollment.course_id == course.id)))
        .order_by(OrgUnit.path)))


def _enrolled(course: Course, unit: OrgUnit | None):
    statement = (
        select(Enrollment).join(User, User.id == Enrollment.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(Enrollment.course_id == course.id)
        .options(contains_eager(Enrollment.user).contains_eager(User.org_unit))
        .order_by(OrgUnit.path, User.username))
    if unit is not None:
        statement = statement.where(path_in_subtree(unit.path))
    return statement


def _results(quizzes: list[Quiz], user_ids: list[int]) -> dict[int, dict[int, QuizResult]]:
    by_user: dict[int, dict[int, QuizResult]] = {}
    if not quizzes or not user_ids:
        return by_user
    for result in db.session.scalars(select(QuizResult).where(
            QuizResult.quiz_id.in_([q.id for q in quizzes]), QuizResult.user_id.in_(user_ids))):
        by_user.setdefault(result.user_id, {})[result.quiz_id] = result
    return by_user


def _hints_opened(quizzes: list[Quiz], user_ids: list[int]) -> dict[int, int]:
    exercises = [quiz.id for quiz in quizzes if quiz.kind is QuizKind.EXERCISE]
    if not exercises or not user_ids:
        return {}
    return dict(db.session.execute(
        select(Attempt.user_id, func.count(AttemptHint.id))
        .join(AttemptHint, AttemptHint.attempt_id == Attempt.id)
        .where(Attempt.quiz_id.in_(exercises), Attempt.user_id.in_(user_ids))
        .group_by(Attempt.user_id)).all())


def _rows(quizzes: list[Quiz], enrollments: list[Enrollment]) -> list[GradebookRow]:
    user_ids = [e.user_id for e in enrollments]
    results, hints = _results(quizzes, user_ids), _hints_opened(quizzes, user_ids)
    return [GradebookRow(e.user, e, results.get(e.user_id, {}), hints.get(e.user_id, 0))
            for e in enrollments]


def course_gradebook(course: Course, *, actor: User, unit: OrgUnit | None = None, page: int = 1,
                     per_page: int = 50) -> Gradebook:
    ensure_teaches_course(actor, course)
    quizzes = course_quizzes(course)
    enrollments = paginate(_enrolled(course, unit), page=page, per_page=per_page)
    rows = _rows(quizzes, enrollments.items)
    return Gradebook(course, quizzes, Page(rows, enrollments.total, enrollments.page, per_page))


def gradebook_rows_for_export(course: Course, *, actor: User, unit: OrgUnit | None = None,
                              batch: int = 500):
    """Every row, in batches (bounded memory), for the CSV export."""
    ensure_teaches_course(actor, course)
    quizzes = course_quizzes(course)
    offset = 0
    while True:
        enrollments = list(db.session.scalars(_enrolled(course, unit).limit(batch)
                                              .offset(offset)).unique())
        if not enrollments:
            return
        yield from _rows(quizzes, enrollments)
        offset += batch
