"""Training records of many cadres at once, for a batch PDF of a whole unit.

The same questions as app.services.records.cadre_record and app.services.records.competency, asked
for a chunk of cadres per query (``user_id IN (...)``): about ten queries per chunk of
CHUNK cadres, whatever the chunk's size, instead of about ten per cadre. The records come
out exactly as ``build_cadre_record`` builds them one at a time (a test holds them equal),
minus the courses recommended next, which a printed record does not show.
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, lazyload

from app.domain.learning import local_year_bounds
from app.domain.proficiency import DEMANDING_DIFFICULTY, Evidence, assess_area, weakest_area
from app.domain.vocabulary import AttemptState, CompetencyArea, QuizKind
from app.extensions import db
from app.models import (
    Appeal,
    AppraisalExemption,
    AppraisalResult,
    Attempt,
    AttemptAnswer,
    Course,
    Enrollment,
    HourCredit,
    OrgUnit,
    Question,
    Quiz,
    QuizResult,
    User,
)
from app.services.appraisal.schemes import hours_target_for, schemes_of_year
from app.services.core.access import ensure_may_manage_unit
from app.services.records.cadre_record import (
    AppealLine,
    CompletedCourse,
    HourLine,
    LearningRecord,
    QuizLine,
    _quiz_line,
)
from app.services.records.competency import CompetencyProfile
from app.services.records.documents import (
    CadreRecord,
    appraisal_line,
    cadre_record_from,
    certificates_by_user,
    check_year,
)

CHUNK = 200


def unit_cadres(unit: OrgUnit) -> list[User]:
    """The active cadres of the unit's subtree, in tree then name order, in one query."""
    return list(db.session.scalars(
        select(User).join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(unit.subtree_condition(), User.active.is_(True))
        # Their units come along; their roles (selectin by default: one more query per
        # 500 cadres) are never needed for a record.
        .options(joinedload(User.org_unit), lazyload(User.roles))
        .order_by(OrgUnit.path, User.name, User.username)))


def _hours(ids, year) -> dict[int, list[HourLine]]:
    found = defaultdict(list)
    for row in db.session.execute(
            select(HourCredit.user_id, Course.code, Course.title, HourCredit.kind,
                   HourCredit.hours, HourCredit.credited_at)
            .join(Course, Course.id == HourCredit.course_id)
            .where(HourCredit.user_id.in_(ids), HourCredit.year == year)
            .order_by(HourCredit.credited_at, Course.code)):
        found[row[0]].append(HourLine(*row[1:]))
    return found


def _completed(ids, start, end) -> dict[int, list[CompletedCourse]]:
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


def _profiles(ids, now: datetime) -> dict[int, CompetencyProfile]:
    """Every cadre's standing per area from one grouped query (as mastery_profile)."""
    demanding = or_(Quiz.kind == QuizKind.EXERCISE, Question.difficulty >= DEMANDING_DIFFICULTY)
    points = func.coalesce(AttemptAnswer.points, 0)
    evidence = defaultdict(lambda: {area: [] for area in CompetencyArea})
    for (user_id, area, graded_at, earned, possible, items, d_earned, d_possible,
         d_items) in db.session.execute(
            select(Attempt.user_id, AttemptAnswer.area, Attempt.graded_at,
                   func.sum(points), func.sum(AttemptAnswer.max_points), func.count(),
                   func.sum(case((demanding, points), else_=0)),
                   func.sum(case((demanding, AttemptAnswer.max_points), else_=0)),
                   func.count(case((demanding, 1))))
            .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .outerjoin(Question, Question.key == AttemptAnswer.question_key)
            .where(Attempt.user_id.in_(ids), Attempt.state == AttemptState.GRADED,
                   AttemptAnswer.area.is_not(None), AttemptAnswer.max_points > 0)
            .group_by(Attempt.user_id, Attempt.id, Attempt.graded_at, AttemptAnswer.area)):
        evidence[user_id][area].append(Evidence(
            earned=float(earned or 0), possible=float(possible or 0), items=items,
            graded_at=graded_at or now, demanding_earned=float(d_earned or 0),
            demanding_possible=float(d_possible or 0), demanding_items=d_items or 0))
    profiles = {}
    for user_id in ids:
        standings = {area: assess_area(rows, now=now)
                     for area, rows in evidence[user_id].items()}
        profiles[user_id] = CompetencyProfile(
            standings=standings, weakest=weakest_area(standings, list(CompetencyArea)),
            next_courses=[])
    return profiles


def _appraisals(ids, year):
    results = {r.user_id: r for r in db.session.scalars(select(AppraisalResult).where(
        AppraisalResult.user_id.in_(ids), AppraisalResult.year == year))}
    exemptions = {e.user_id: e for e in db.session.scalars(select(AppraisalExemption).where(
        and_(AppraisalExemption.user_id.in_(ids), AppraisalExemption.year == year)))}
    return {i: appraisal_line(results.get(i), exemptions.get(i)) for i in ids}


def build_chunk(people: list[User], *, year: int, now: datetime) -> list[CadreRecord]:
    """The records of these cadres (already checked to be in scope), in their order."""
    ids = [p.id for p in people]
    start, end = local_year_bounds(year)
    hours, completed = _hours(ids, year), _completed(ids, start, end)
    results, appeals = _results(ids, start, end), _appeals(ids, start, end)
    profiles, appraisals = _profiles(ids, now), _appraisals(ids, year)
    certificates = certificates_by_user(ids, year)
    schemes = schemes_of_year(year)
    records = []
    for person in people:
        record = LearningRecord(
            person=person, year=year, years=[], target=hours_target_for(person, year, schemes),
            hours=hours.get(person.id, []), completed=completed.get(person.id, []),
            results=results.get(person.id, []), appeals=appeals.get(person.id, []),
            profile=profiles[person.id])
        records.append(cadre_record_from(record, person.org_unit, appraisals[person.id],
                                         certificates.get(person.id, [])))
    return records


def unit_records(unit: OrgUnit, *, actor: User, year: int, now: datetime,
                 progress: Callable[[int, int], None] | None = None,
                 chunk: int = CHUNK) -> tuple[int, Iterator[CadreRecord]]:
    """How many cadres, and their records one chunk of queries at a time (lazily).

    Scope and year are checked at once; ``progress(done, total)`` is called after each
    chunk, from inside the iteration.
    """
    ensure_may_manage_unit(actor, unit)
    check_year(year, now)
    people = unit_cadres(unit)
    return len(people), _records(people, year=year, now=now, progress=progress, chunk=chunk)


def _records(people, *, year, now, progress, chunk) -> Iterator[CadreRecord]:
    for offset in range(0, len(people), chunk):
        part = people[offset:offset + chunk]
        yield from build_chunk(part, year=year, now=now)
        if progress:
            progress(offset + len(part), len(people))
