"""Issuing certificates: on course completion, for tiers now earned, and in bulk (CLI);
a finished training class's certificates are issued in app.services.certificates.classes.

Exactly one valid certificate per (cadre, course) and per (cadre, tier): the partial unique
indexes refuse a second one, and issuing runs in a SAVEPOINT, so a reload or a concurrent
completion that loses the race changes nothing. The serial number is taken from
CertificateSerialCounter inside that same SAVEPOINT: a refused or rolled-back issue gives
its number back, so serials of a year have no gaps. Taking the number is an
``UPDATE ... RETURNING``, which locks the year's counter row until the transaction ends:
concurrent issuers on PostgreSQL wait for each other instead of sharing a number.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.domain.appraisal import mean_percent
from app.domain.certificates import TIER_LEVELS, TIER_TITLES, format_serial, tier_earned
from app.domain.learning import local_year, local_year_bounds
from app.domain.vocabulary import CertificateKind, CertificateStatus, CourseStatus, CourseTier
from app.extensions import db
from app.models import AuditEvent, Course, Enrollment, Quiz, QuizResult, User
from app.models.certificate import Certificate, CertificateSerialCounter
from app.models.types import utcnow
from app.services.core.audit import record_event


def take_serial_number(year: int) -> int:
    """The next number of the year, counted in this transaction (call inside a SAVEPOINT)."""
    return take_serial_numbers(year, 1)[0]


def take_serial_numbers(year: int, count: int) -> range:
    """The next ``count`` numbers of the year in one statement (a class's certificates)."""
    exists = db.session.scalar(select(CertificateSerialCounter.year)
                               .where(CertificateSerialCounter.year == year))
    if exists is None:
        try:
            with db.session.begin_nested():
                db.session.add(CertificateSerialCounter(year=year, last_number=0))
        except IntegrityError:
            pass  # another issuer created the year's counter first
    last = db.session.execute(
        update(CertificateSerialCounter).where(CertificateSerialCounter.year == year)
        .values(last_number=CertificateSerialCounter.last_number + count)
        .returning(CertificateSerialCounter.last_number)
        .execution_options(synchronize_session=False)).scalar_one()
    return range(last - count + 1, last + 1)


def number_certificate(certificate: Certificate, year: int, number: int,
                       now: datetime) -> Certificate:
    certificate.year, certificate.number = year, number
    certificate.serial = format_serial(year, number)
    certificate.issued_at = now
    return certificate


def insert_numbered(certificate: Certificate, now: datetime) -> Certificate | None:
    """Number and add the certificate; None when a valid one already exists."""
    try:
        with db.session.begin_nested():
            year = local_year(now)
            db.session.add(number_certificate(certificate, year, take_serial_number(year), now))
    except IntegrityError:
        return None
    record_issued(certificate)
    return certificate


def _issued_event(certificate: Certificate) -> dict:
    return {"action": "certificate.issued", "target": f"certificate:{certificate.serial}",
            "details": {"user_id": certificate.user_id, "kind": certificate.kind.value}}


def record_issued(certificate: Certificate) -> None:
    record_event(actor=None, **_issued_event(certificate))


def record_issued_many(certificates: list[Certificate]) -> None:
    """The same events as ``record_issued``, written by one multi-row INSERT (a class)."""
    if certificates:
        db.session.execute(insert(AuditEvent), [
            {"actor_id": None, **_issued_event(certificate)} for certificate in certificates])


def holder_fields(user: User) -> dict:
    return {"user_id": user.id, "holder_name": user.name, "unit_name": user.org_unit.name}


def course_score(course_id: int, user_id: int) -> Decimal | None:
    """The average standing percent of the course's graded quizzes and exercises, if any."""
    total, count = db.session.execute(
        select(func.sum(QuizResult.percent), func.count(QuizResult.percent))
        .join(Quiz, Quiz.id == QuizResult.quiz_id)
        .where(Quiz.course_id == course_id, Quiz.graded.is_(True),
               QuizResult.user_id == user_id)).one()
    average = mean_percent(total, count)  # alike on every database (not SQL's AVG)
    return None if average is None else average.quantize(Decimal("0.1"), ROUND_HALF_UP)


def valid_certificate(user_id: int, *, course_id: int | None = None,
                      tier: CourseTier | None = None) -> Certificate | None:
    condition = (Certificate.course_id == course_id if course_id is not None
                 else Certificate.tier == tier)
    return db.session.scalar(select(Certificate).where(
        Certificate.user_id == user_id, Certificate.status == CertificateStatus.VALID,
        condition))


def issue_course_certificate(user: User, course: Course, *,
                             now: datetime | None = None) -> Certificate | None:
    """The course's certificate for the cadre; None when they already hold a valid one."""
    if valid_certificate(user.id, course_id=course.id) is not None:
        return None
    certificate = Certificate(kind=CertificateKind.COURSE, course_id=course.id,
                              title=course.title, hours=course.hours,
                              score=course_score(course.id, user.id), **holder_fields(user))
    return insert_numbered(certificate, now or utcnow())


def core_course_ids(tier: CourseTier) -> set[int]:
    return set(db.session.scalars(select(Course.id).where(
        Course.tier == tier, Course.core.is_(True), Course.status == CourseStatus.PUBLISHED)))


def completed_course_ids(user_id: int) -> set[int]:
    return set(db.session.scalars(select(Enrollment.course_id).where(
        Enrollment.user_id == user_id, Enrollment.completed_at.is_not(None))))


def issue_tier_certificate(user: User, tier: CourseTier, *,
                           now: datetime | None = None) -> Certificate | None:
    """The tier's certificate when earned (app.domain.certificates.tier_earned) and not held."""
    core = core_course_ids(tier)
    if not tier_earned(core, completed_course_ids(user.id)):
        return None
    if valid_certificate(user.id, tier=tier) is not None:
        return None
    hours = db.session.scalar(select(func.sum(Course.hours)).where(Course.id.in_(core)))
    certificate = Certificate(kind=CertificateKind.TIER, tier=tier, title=TIER_TITLES[tier],
                              level=TIER_LEVELS[tier], hours=hours or Decimal(0),
                              **holder_fields(user))
    return insert_numbered(certificate, now or utcnow())


def issue_for_completion(enrollment: Enrollment, now: datetime) -> list[Certificate]:
    """Called when a course completes: its certificate, and the tier's when now earned."""
    issued = [issue_course_certificate(enrollment.user, enrollment.course, now=now)]
    if enrollment.course.core:
        issued.append(issue_tier_certificate(enrollment.user, enrollment.course.tier, now=now))
    return [certificate for certificate in issued if certificate is not None]


@dataclass(frozen=True)
class MissingWork:
    """What ``issue-missing`` will look at: completions without a certificate, and cadres
    with completions (whose tier certificates may now be earned)."""

    pairs: list[tuple[User, Course]]
    cadres: list[User]

    @property
    def size(self) -> int:
        return len(self.pairs) + len(self.cadres)


def _completions(year: int | None):
    condition = Enrollment.completed_at.is_not(None)
    if year is not None:
        start, end = local_year_bounds(year)
        condition = and_(condition, Enrollment.completed_at >= start, Enrollment.completed_at < end)
    return condition


def find_missing_work(year: int | None = None) -> MissingWork:
    """Completions (of ``year``, or any) without a valid certificate; three queries."""
    held = select(Certificate.id).where(
        Certificate.user_id == Enrollment.user_id, Certificate.course_id == Enrollment.course_id,
        Certificate.status == CertificateStatus.VALID)
    pairs = db.session.execute(
        select(Enrollment.user_id, Enrollment.course_id)
        .where(_completions(year), ~held.exists())
        .order_by(Enrollment.user_id, Enrollment.course_id)).all()
    cadre_ids = select(Enrollment.user_id).where(_completions(year))
    users = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_(cadre_ids)).order_by(User.id))}
    courses = {course.id: course for course in db.session.scalars(
        select(Course).where(Course.id.in_({course_id for _, course_id in pairs})))}
    return MissingWork([(users[u], courses[c]) for u, c in pairs], list(users.values()))


def issue_missing_certificates(work: MissingWork, *,
                               progress: Callable[[int], None] | None = None) -> int:
    """Issue every certificate that should exist and does not; returns how many were issued.

    Idempotent: a second run finds nothing missing."""
    issued = 0
    for user, course in work.pairs:
        issued += issue_course_certificate(user, course) is not None
        if progress:
            progress(1)
    cores = {tier: core_course_ids(tier) for tier in CourseTier}
    for user in work.cadres:
        completed = completed_course_ids(user.id)
        for tier in CourseTier:
            if tier_earned(cores[tier], completed):
                issued += issue_tier_certificate(user, tier) is not None
        if progress:
            progress(1)
    return issued
