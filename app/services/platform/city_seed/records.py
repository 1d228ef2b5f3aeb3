"""Rows of a batch of generated cadres, table by table, and the certificate numbering."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.domain.certificates import TIER_LEVELS, TIER_TITLES, format_serial, tier_earned
from app.domain.city_study import AttemptPlan, CourseYear
from app.domain.learning import local_year
from app.domain.vocabulary import (
    AttemptState,
    CertificateKind,
    CertificateStatus,
    CourseStatus,
    CourseTier,
    CreditKind,
    EnrollmentSource,
)
from app.extensions import db
from app.models import Course, TrainingPlan
from app.models.certificate import CertificateSerialCounter
from app.services.platform.city_seed.bulk import BulkWriter
from app.services.platform.city_seed.people import AUDIT_COLUMNS, Cadre
from app.services.platform.city_seed.variants import PreparedCourse

COLUMNS = {
    "enrollment": ("id", "user_id", "course_id", "source", "plan_id", "due_on", "enrolled_at",
                   "completed_at"),
    "lesson_progress": ("id", "enrollment_id", "lesson_id", "completed_at"),
    "attempt": ("id", "quiz_id", "user_id", "number", "state", "seed", "questions",
                "started_at", "deadline_at", "submitted_at", "graded_at", "score", "max_score",
                "percent", "passed", "variant"),
    "attempt_answer": ("id", "attempt_id", "position", "response", "client_seq", "saved_at",
                       "points", "question_key", "area", "max_points", "detail"),
    "quiz_result": ("id", "quiz_id", "user_id", "percent", "passed", "attempts", "updated_at"),
    "hour_credit": ("id", "user_id", "course_id", "year", "hours", "kind", "credited_at"),
    "certificate": ("id", "serial", "year", "number", "user_id", "kind", "course_id", "tier",
                    "holder_name", "unit_name", "title", "hours", "score", "level",
                    "issued_at", "status"),
    "audit_event": AUDIT_COLUMNS,
}
#: What SQLAlchemy's JSON type stores for None (a JSON null, not SQL NULL), as the use cases
#: leave an attempt's variant and an auto-graded answer's detail.
JSON_NULL = "null"


def stored(moment: datetime) -> datetime:
    """What UTCDateTime stores: naive UTC (the generated year is computed in it already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def year_of(moment: datetime) -> int:
    """The city's calendar year of a naive UTC moment (local_year wants an aware one)."""
    return local_year(moment.replace(tzinfo=UTC))


class CertificateBook:
    """Which certificates the year issues, numbered in order of issue from each year's
    counter, as issue_for_completion would have numbered them one by one."""

    def __init__(self, prepared: dict[str, PreparedCourse]):
        self.prepared = prepared
        #: (cadre id, course code or tier) -> (year, number) of the certificate.
        self.numbers: dict[tuple[int, object], tuple[int, int]] = {}
        #: (cadre id, course code) -> the tier whose certificate that completion issued.
        self.tier_with: dict[tuple[int, str], CourseTier] = {}
        self.core: dict[CourseTier, list[Course]] = {}  # published core courses per tier
        for course in db.session.scalars(select(Course).where(
                Course.core.is_(True), Course.status == CourseStatus.PUBLISHED)):
            self.core.setdefault(course.tier, []).append(course)

    def tier_hours(self, tier: CourseTier) -> Decimal:
        return sum((course.hours for course in self.core[tier]), Decimal(0))

    def earned(self, year: list[CourseYear]) -> list[tuple[datetime, str, CourseTier | None]]:
        """(issued at, course code, tier earned by that completion or None) per completion;
        the rule of issue_for_completion (app.domain.certificates.tier_earned)."""
        issued, completed = [], set()
        for course in year:
            if course.completed_at is None:
                continue
            target = self.prepared[course.code].course
            completed.add(target.id)
            core = {c.id for c in self.core.get(target.tier, [])}
            tier = target.tier if target.core and tier_earned(core, completed) else None
            issued.append((course.completed_at, course.code, tier))
        return issued

    def number(self, cadres: list[Cadre], years: list[list[CourseYear]]) -> None:
        issued = []
        for index, year in enumerate(years):
            for when, code, tier in self.earned(year):
                issued.append((when, index, 0, code))
                if tier is not None:
                    issued.append((when, index, 1, tier))
                    self.tier_with[(cadres[index].id, code)] = tier
        issued.sort()
        last = {}
        for when, index, _order, target in issued:
            year = year_of(when)
            if year not in last:
                counter = db.session.get(CertificateSerialCounter, year)
                last[year] = counter.last_number if counter else 0
            last[year] += 1
            self.numbers[(cadres[index].id, target)] = (year, last[year])
        for year, number in last.items():
            counter = db.session.get(CertificateSerialCounter, year)
            if counter is None:
                db.session.add(CertificateSerialCounter(year=year, last_number=number))
            else:
                counter.last_number = number
        db.session.flush()


class RecordRows:
    """The rows of one batch, table by table, with ids taken from the writer."""

    def __init__(self, writer: BulkWriter, prepared: dict[str, PreparedCourse],
                 courses: dict[str, Course], book: CertificateBook):
        self.writer, self.prepared, self.courses, self.book = writer, prepared, courses, book
        self.tables: dict[str, list[tuple]] = {table: [] for table in COLUMNS}
        # Ids are counted here and taken from the writer when the batch is written.
        self._next = {table: writer.peek_id(table) for table in COLUMNS}

    def _add(self, table: str, *values) -> int:
        row_id = self._next[table]
        self._next[table] = row_id + 1
        self.tables[table].append((row_id, *values))
        return row_id

    def event(self, when: datetime, actor_id: int | None, action: str, target: str,
              details: dict | None = None) -> None:
        self._add("audit_event", stored(when), actor_id, action, target,
                  json.dumps(details or {}))

    def enrollment(self, cadre: Cadre, code: str, course: CourseYear | None, *,
                   plan: TrainingPlan | None, enrolled_at: datetime) -> None:
        target = self.courses[code]
        done = course.completed_at if course is not None else None
        enrollment_id = self._add(
            "enrollment", cadre.id, target.id,
            (EnrollmentSource.PLAN if plan else EnrollmentSource.SELF).value,
            plan.id if plan else None, plan.due_on if plan else None, stored(enrolled_at),
            stored(done) if done else None)
        if plan is None:
            self.event(enrolled_at, cadre.id, "learning.enrolled", f"course:{code}")
        if course is None:
            return
        prepared = self.prepared[code]
        for lesson_id, when in zip(prepared.lesson_ids, course.lesson_times, strict=True):
            self._add("lesson_progress", enrollment_id, lesson_id, stored(when))
        for attempt in course.attempts:
            self._attempt(cadre, prepared, attempt)
        if course.attempts:
            best = max(course.attempts, key=lambda a: a.percent)
            self._add("quiz_result", prepared.quiz.id, cadre.id, best.percent,
                      best.passed, len(course.attempts),
                      stored(course.attempts[-1].submitted_at))
        if done is not None:
            self._complete(cadre, target, done, required=plan is not None,
                           score=max(a.percent for a in course.attempts))

    def _attempt(self, cadre: Cadre, prepared: PreparedCourse, plan: AttemptPlan) -> None:
        quiz, variant = prepared.quiz, prepared.variants[plan.variant]
        limit = quiz.time_limit_minutes
        attempt_id = self._add(
            "attempt", quiz.id, cadre.id, plan.number, AttemptState.GRADED.value,
            variant.seed, variant.snapshot, stored(plan.started_at),
            stored(plan.started_at + timedelta(minutes=limit)) if limit else None,
            stored(plan.submitted_at), stored(plan.submitted_at), plan.score,
            variant.max_score, plan.percent, plan.passed, JSON_NULL)
        for position, right in enumerate(plan.rights):
            answer = variant.right[position] if right else variant.wrong[position]
            self._add("attempt_answer", attempt_id, position, answer.response, 1,
                      stored(plan.answer_saved_at(position)), answer.points,
                      answer.question_key, answer.area, answer.max_points, JSON_NULL)

    def _complete(self, cadre: Cadre, course: Course, when: datetime, *, required: bool,
                  score) -> None:
        kind = CreditKind.REQUIRED if required else CreditKind.ELECTIVE
        self._add("hour_credit", cadre.id, course.id, year_of(when), course.hours,
                  kind.value, stored(when))
        self.event(when, cadre.id, "learning.completed", f"course:{course.code}")
        self._certificate(cadre, course.code, when, CertificateKind.COURSE, course_id=course.id,
                          title=course.title, hours=course.hours,
                          score=Decimal(str(score)).quantize(Decimal("0.1")))  # as course_score
        tier = self.book.tier_with.get((cadre.id, course.code))
        if tier is not None:
            self._certificate(cadre, tier, when, CertificateKind.TIER, tier=tier.value,
                              title=TIER_TITLES[tier], hours=self.book.tier_hours(tier),
                              level=TIER_LEVELS[tier])

    def _certificate(self, cadre: Cadre, target, when: datetime, kind: CertificateKind, *,
                     course_id=None, tier=None, title: str, hours, score=None,
                     level=None) -> None:
        year, number = self.book.numbers[(cadre.id, target)]
        serial = format_serial(year, number)
        self._add("certificate", serial, year, number, cadre.id, kind.value, course_id, tier,
                  cadre.name, cadre.unit_name, title, hours, score, level, stored(when),
                  CertificateStatus.VALID.value)
        self.event(when, None, "certificate.issued", f"certificate:{serial}",
                   {"user_id": cadre.id, "kind": kind.value})

    def write(self) -> dict[str, int]:
        for table, rows in self.tables.items():
            self.writer.take_ids(table, len(rows))
        return {table: self.writer.write(table, COLUMNS[table], rows)
                for table, rows in self.tables.items() if rows}
