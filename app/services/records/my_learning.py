"""The "我的学习" dashboard: hours this year, courses in progress, completed, recommended."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.completion import course_state
from app.domain.completion import progress_percent as course_percent
from app.domain.learning import (
    Candidate,
    is_overdue,
    local_today,
    local_year,
    progress_percent,
    recommend_courses,
)
from app.domain.training_hours import HoursKind, HoursStanding
from app.domain.vocabulary import CreditKind
from app.extensions import db
from app.models import Course, Enrollment, HourCredit, Quiz, QuizResult, User
from app.services.assessment.annual_test import annual_test_for
from app.services.learning.catalog import CourseCard, published_courses
from app.services.learning.progress import requirement_columns, requirements_from
from app.services.records.competency import mastery_by_area
from app.services.records.hours import hours_standing_of

RECENT_COMPLETED = 5
RECOMMENDATIONS = 4


@dataclass(frozen=True)
class EnrollmentRow:
    enrollment: Enrollment
    course: Course
    percent: int
    overdue: bool

    @property
    def state(self) -> str:
        return course_state(enrolled=True, completed=self.enrollment.completed_at is not None)


@dataclass(frozen=True)
class MyLearning:
    year: int
    #: The year's hours by kind, the five-year total and the targets.
    standing: HoursStanding
    required_hours: Decimal
    elective_hours: Decimal
    #: Enrolled and not completed, assigned courses first (by due date): the catalog's 学习中.
    in_progress: list[EnrollmentRow]
    completed: list[EnrollmentRow]
    recommended: list[CourseCard]
    annual_test: Quiz | None = None
    annual_result: QuizResult | None = None
    mastery: dict = field(default_factory=dict)

    @property
    def assigned(self) -> list[EnrollmentRow]:
        return [r for r in self.in_progress if r.enrollment.is_assigned]

    @property
    def target(self) -> Decimal:
        return self.standing.targets.yearly

    @property
    def total_hours(self) -> Decimal:
        return self.standing.year.total

    def hours_of(self, kind: HoursKind) -> Decimal:
        return self.standing.year.of(kind)

    def share(self, hours: Decimal) -> int:
        """Percent of the target, for the progress bar (capped at 100)."""
        return progress_percent(int(hours * 10), int(self.target * 10))


def hours_by_kind(user: User, year: int) -> dict[CreditKind, Decimal]:
    rows = db.session.execute(
        select(HourCredit.kind, func.sum(HourCredit.hours))
        .where(HourCredit.user_id == user.id, HourCredit.year == year)
        .group_by(HourCredit.kind))
    return {kind: Decimal(total or 0) for kind, total in rows}


def _enrollment_rows(user: User, today: date) -> list[EnrollmentRow]:
    rows = db.session.execute(
        select(Enrollment, Course, *requirement_columns())
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.user_id == user.id))
    return [EnrollmentRow(row[0], row[1], course_percent(requirements_from(row[2:])),
                          is_overdue(row[0].due_on, row[0].completed_at is not None, today))
            for row in rows]


def _recommendations(user: User, exclude: set[int], completed_codes: set[str]
                     ) -> list[CourseCard]:
    courses = [c for c in published_courses() if c.id not in exclude]
    candidates = [Candidate(c.code, c.tier, c.audience_ranks, c.audience_categories,
                            c.prerequisite_codes) for c in courses]
    by_code = {c.code: c for c in courses}
    codes = recommend_courses(candidates, rank=user.rank, category=user.category,
                              completed=completed_codes, limit=RECOMMENDATIONS)
    return [by_code[code] for code in codes]


def summarize_my_learning(*, actor: User, now: datetime) -> MyLearning:
    year, today = local_year(now), local_today(now)
    hours = hours_by_kind(actor, year)
    rows = _enrollment_rows(actor, today)
    annual = annual_test_for(actor, year)
    annual_result = db.session.scalar(select(QuizResult).where(
        QuizResult.quiz_id == annual.id, QuizResult.user_id == actor.id)) if annual else None
    open_rows = sorted((r for r in rows if r.state == "in_progress"),
                       key=lambda r: (not r.enrollment.is_assigned,
                                      r.enrollment.due_on or date.max, r.course.code))
    done_rows = sorted((r for r in rows if r.state == "completed"),
                       key=lambda r: r.enrollment.completed_at, reverse=True)
    return MyLearning(
        year=year,
        standing=hours_standing_of(actor, year),
        required_hours=hours.get(CreditKind.REQUIRED, Decimal(0)),
        elective_hours=hours.get(CreditKind.ELECTIVE, Decimal(0)),
        in_progress=open_rows,
        completed=done_rows[:RECENT_COMPLETED],
        recommended=_recommendations(actor, {r.course.id for r in rows},
                                     {r.course.code for r in done_rows}),
        annual_test=annual,
        annual_result=annual_result,
        mastery=mastery_by_area(actor),
    )
