"""A cadre's learning record (学习档案) for one year, aggregated in SQL.

Hours come from the ledger (HourCredit, by the city's calendar year in which the course
was completed, the class ended or the recognized training ended), each line with its kind
(online, face-to-face, recognized) and source, and the standing against the year's and the
five-year targets (app.services.records.hours); courses completed that year with the
standing result of each graded quiz or exercise; every quiz and exercise result the cadre
had an attempt graded for that year; appeals filed that year with their outcome. Each part
is one query, whatever the number of courses, attempts or cadres: ``record_lines`` asks for
a list of cadres, and the one-cadre record is that list with one id. The competency profile
is not per year: it weighs all evidence by recency (app.domain.competency).

Certificates: those issued in the year, valid and revoked (one query). Lesson videos
watched or completed in the year, with the credited time (one query, app.services.video).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select

from app.domain.learning import local_year, local_year_bounds, progress_percent
from app.domain.record_lines import AppealLine, CompletedCourse, HourLine, QuizLine, VideoLine
from app.domain.training_hours import HoursKind, HoursStanding
from app.domain.vocabulary import AttemptState, CreditKind
from app.extensions import db
from app.models import (
    Appeal,
    Attempt,
    Course,
    Enrollment,
    HourCredit,
    HoursClaim,
    Quiz,
    QuizResult,
    TrainingClass,
    User,
)
from app.models.certificate import Certificate
from app.services.core.access import ensure_may_view_person
from app.services.core.errors import NotFound, ServiceError
from app.services.records.competency import CompetencyProfile, build_competency_profile
from app.services.records.hours import hours_standing_of
from app.services.video.evidence import video_lines_by_user

FIRST_YEAR = 2000


class BadYear(ServiceError):
    """A year outside the range a record can be asked for."""


@dataclass(frozen=True)
class LearningRecord:
    person: User
    year: int
    years: list[int]
    #: The year's hours by kind, the five-year total and the rank's targets.
    standing: HoursStanding
    hours: list[HourLine]
    completed: list[CompletedCourse]
    results: list[QuizLine]
    appeals: list[AppealLine]
    profile: CompetencyProfile | None = None
    #: Certificates issued in the year, valid and revoked.
    certificates: list | None = None
    #: Lesson videos watched or completed in the year.
    videos: list[VideoLine] = field(default_factory=list)

    @property
    def target(self) -> Decimal:
        return self.standing.targets.yearly

    @property
    def required_hours(self) -> Decimal:
        return sum((h.hours for h in self.hours if h.kind is CreditKind.REQUIRED), Decimal(0))

    @property
    def elective_hours(self) -> Decimal:
        return sum((h.hours for h in self.hours if h.kind is CreditKind.ELECTIVE), Decimal(0))

    def hours_of(self, kind: HoursKind) -> Decimal:
        return self.standing.year.of(kind)

    @property
    def total_hours(self) -> Decimal:
        return self.standing.year.total

    @property
    def percent(self) -> int:
        return progress_percent(int(self.total_hours * 10), int(self.target * 10))


def find_record_subject(user_id: int, *, actor: User) -> User:
    """The person whose record the actor asks for: themselves, HR in scope, or an admin."""
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound(str(user_id))
    ensure_may_view_person(actor, person)
    return person


def year_range(user: User, now: datetime) -> list[int]:
    """Years to offer, newest first: from the first credited hour (or this year) to now."""
    current = local_year(now)
    first = db.session.scalar(select(func.min(HourCredit.year))
                              .where(HourCredit.user_id == user.id)) or current
    return list(range(current, min(first, current) - 1, -1))


@dataclass(frozen=True)
class RecordLines:
    """One cadre's lines of a year: hours credited, courses completed, results, appeals,
    videos watched."""
    hours: list[HourLine]
    completed: list[CompletedCourse]
    results: list[QuizLine]
    appeals: list[AppealLine]
    videos: list[VideoLine] = field(default_factory=list)


def record_lines(ids: Sequence[int], year: int) -> dict[int, RecordLines]:
    """The year's lines of each of these cadres, in six queries whatever their number (the
    one-cadre record asks with one id, a unit's batch with a chunk of ids)."""
    start, end = local_year_bounds(year)
    hours, completed = _hours(ids, year), _completed(ids, start, end)
    results, appeals = _results(ids, start, end), _appeals(ids, start, end)
    videos = video_lines_by_user(ids, year)
    return {i: RecordLines(hours.get(i, []), completed.get(i, []), results.get(i, []),
                           appeals.get(i, []), videos.get(i, [])) for i in ids}


def _hours(ids, year) -> dict[int, list[HourLine]]:
    """Every ledger line of the year with its source: a course, a class or a claim. The
    class's and the claim's names are looked up per line (by primary key), never by
    joining those tables whole."""
    found = defaultdict(list)

    def of_class(column):
        return select(column).where(TrainingClass.id == HourCredit.training_class_id) \
            .scalar_subquery()

    def of_claim(column):
        return select(column).where(HoursClaim.id == HourCredit.hours_claim_id) \
            .scalar_subquery()

    title = func.coalesce(Course.title, of_class(TrainingClass.title), of_claim(HoursClaim.title))
    source = func.coalesce(of_class(TrainingClass.organizer), of_claim(HoursClaim.organizer), "")
    for row in db.session.execute(
            select(HourCredit.user_id, func.coalesce(Course.code, ""), title, HourCredit.kind,
                   HourCredit.hours, HourCredit.credited_at, HourCredit.hours_kind, source)
            .outerjoin(Course, Course.id == HourCredit.course_id)
            .where(HourCredit.user_id.in_(ids), HourCredit.year == year)
            .order_by(HourCredit.credited_at, HourCredit.id)):
        found[row[0]].append(HourLine(*row[1:]))
    return found


def _quiz_line(row) -> QuizLine:
    return QuizLine(quiz_id=row.id, title=row.title, kind=row.kind, course_code=row.code,
                    graded=row.graded, percent=row.percent, passed=row.passed,
                    attempts=row.attempts)


def _completed(ids, start, end) -> dict[int, list[CompletedCourse]]:
    """Courses completed in the year, each with its graded quizzes' results (two queries)."""
    courses = db.session.execute(
        select(Enrollment.user_id, Course.id, Course.code, Course.title, Course.hours,
               Enrollment.completed_at)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .where(Enrollment.user_id.in_(ids), Enrollment.completed_at >= start,
               Enrollment.completed_at < end)
        .order_by(Enrollment.completed_at, Course.code)).all()
    if not courses:
        return {}
    scores = defaultdict(list)
    completed_pairs = {(c.user_id, c.id) for c in courses}
    for row in db.session.execute(
            select(QuizResult.user_id, Quiz.id, Quiz.title, Quiz.kind, Quiz.graded,
                   Quiz.course_id, Course.code, QuizResult.percent, QuizResult.passed,
                   QuizResult.attempts)
            .join(Quiz, Quiz.id == QuizResult.quiz_id)
            .join(Course, Course.id == Quiz.course_id)
            .where(QuizResult.user_id.in_(ids), Quiz.graded.is_(True),
                   Quiz.course_id.in_({c.id for c in courses}))
            .order_by(Quiz.code)):
        if (row.user_id, row.course_id) in completed_pairs:
            scores[(row.user_id, row.course_id)].append(_quiz_line(row))
    found = defaultdict(list)
    for c in courses:
        found[c.user_id].append(CompletedCourse(c.code, c.title, c.hours, c.completed_at,
                                                scores.get((c.user_id, c.id), [])))
    return found


def _results(ids, start, end) -> dict[int, list[QuizLine]]:
    """Standing results of every quiz with an attempt of the cadre graded in the year."""
    graded_in_year = (
        select(Attempt.id)
        .where(Attempt.user_id == QuizResult.user_id, Attempt.quiz_id == QuizResult.quiz_id,
               Attempt.state == AttemptState.GRADED, Attempt.graded_at >= start,
               Attempt.graded_at < end)
        .exists())
    found = defaultdict(list)
    for row in db.session.execute(
            select(QuizResult.user_id, Quiz.id, Quiz.title, Quiz.kind, Quiz.graded,
                   Course.code, QuizResult.percent, QuizResult.passed, QuizResult.attempts)
            .join(Quiz, Quiz.id == QuizResult.quiz_id)
            .outerjoin(Course, Course.id == Quiz.course_id)
            .where(QuizResult.user_id.in_(ids), graded_in_year)
            .order_by(Course.code, Quiz.code)):
        found[row.user_id].append(_quiz_line(row))
    return found


def _appeals(ids, start, end) -> dict[int, list[AppealLine]]:
    found = defaultdict(list)
    for row in db.session.execute(
            select(Appeal.user_id, Quiz.title, Appeal.position, Appeal.status, Appeal.remedy,
                   Appeal.response, Appeal.created_at, Appeal.decided_at)
            .join(Attempt, Attempt.id == Appeal.attempt_id)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(Appeal.user_id.in_(ids), Appeal.created_at >= start,
                   Appeal.created_at < end)
            .order_by(Appeal.created_at)):
        found[row[0]].append(AppealLine(*row[1:]))
    return found


def _certificates(user: User, year: int) -> list[Certificate]:
    start, end = local_year_bounds(year)
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id, Certificate.issued_at >= start,
                                  Certificate.issued_at < end)
        .order_by(Certificate.issued_at, Certificate.id)))


def build_learning_record(person: User, *, actor: User, year: int, now: datetime,
                          with_profile: bool = True) -> LearningRecord:
    """The record of ``person`` for ``year``; the actor must be allowed to see them."""
    ensure_may_view_person(actor, person)
    current = local_year(now)
    if not FIRST_YEAR <= year <= current:
        raise BadYear(f"{FIRST_YEAR}-{current}")
    lines = record_lines([person.id], year)[person.id]
    return LearningRecord(
        person=person, year=year, years=year_range(person, now),
        standing=hours_standing_of(person, year),
        hours=lines.hours, completed=lines.completed, results=lines.results,
        appeals=lines.appeals, videos=lines.videos, certificates=_certificates(person, year),
        profile=build_competency_profile(person, now=now) if with_profile else None)
