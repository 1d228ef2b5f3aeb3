"""Class certificates (结业证书 of a training class): issued when a class is finished, one
per member who completed it (app.services.training.finishing).

The same rules as the other certificates (app.services.certificates.issuing): one valid
certificate per (cadre, class), held by a partial unique index; serials DCA-YYYY-NNNNNN
from the year's counter, without gaps. A whole class is numbered with one counter update
and inserted in one flush; should that meet a valid certificate issued meanwhile (the
unique index refuses it), the class is issued again one certificate at a time, each in its
own SAVEPOINT, and the ones already held are skipped.

The certificate keeps the class's title and the member's hours as issued; the organizer
and the class's dates are printed from the class.
"""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app.domain.learning import local_year
from app.domain.vocabulary import CertificateKind, CertificateStatus
from app.extensions import db
from app.models import TrainingClass, User
from app.models.certificate import Certificate
from app.services.certificates.issuing import (
    holder_fields,
    insert_numbered,
    number_certificate,
    record_issued_many,
    take_serial_numbers,
)


def _class_certificate(training_class: TrainingClass, user: User, hours: Decimal) -> Certificate:
    return Certificate(kind=CertificateKind.CLASS, training_class_id=training_class.id,
                       title=training_class.title, hours=hours, **holder_fields(user))


def issue_class_certificate(training_class: TrainingClass, user: User, hours: Decimal, *,
                            now: datetime) -> Certificate | None:
    """The class's certificate for one member; None when they hold a valid one already."""
    return insert_numbered(_class_certificate(training_class, user, hours), now)


def _row(certificate: Certificate) -> dict:
    return {column: getattr(certificate, column) for column in (
        "serial", "year", "number", "user_id", "kind", "training_class_id", "holder_name",
        "unit_name", "title", "hours", "issued_at")}


def holders_of(training_class: TrainingClass, user_ids: Sequence[int]) -> set[int]:
    """Which of ``user_ids`` hold a valid certificate of the class (one query)."""
    if not user_ids:
        return set()
    return set(db.session.scalars(select(Certificate.user_id).where(
        Certificate.user_id.in_(list(user_ids)),
        Certificate.training_class_id == training_class.id,
        Certificate.status == CertificateStatus.VALID)))


def issue_class_certificates(training_class: TrainingClass,
                             members: Sequence[tuple[User, Decimal]], *,
                             now: datetime) -> list[Certificate]:
    """Certificates for the members (each with the hours credited), except those who hold
    one of the class already; returns the certificates issued."""
    held = holders_of(training_class, [user.id for user, _hours in members])
    due = [(user, hours) for user, hours in members if user.id not in held]
    if not due:
        return []
    year = local_year(now)
    try:
        with db.session.begin_nested():
            numbers = take_serial_numbers(year, len(due))
            rows = [_row(number_certificate(_class_certificate(training_class, user, hours),
                                            year, number, now))
                    for (user, hours), number in zip(due, numbers, strict=True)]
            # One multi-row INSERT (adding the objects would insert them one by one: the
            # certificate refers to itself through reissue_of).
            issued = list(db.session.scalars(insert(Certificate).returning(Certificate), rows))
    except IntegrityError:
        # Someone was issued one meanwhile: one by one, each refused one skipped.
        issued = [certificate for user, hours in due if (
            certificate := issue_class_certificate(training_class, user, hours, now=now))]
        return issued
    record_issued_many(issued)
    return issued
