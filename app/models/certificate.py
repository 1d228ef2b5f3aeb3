"""Certificates: one valid per (cadre, course) or (cadre, tier), serials DCA-YYYY-NNNNNN."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.domain.vocabulary import CertificateKind, CertificateStatus, CourseTier
from app.extensions import db
from app.models.course import Course
from app.models.types import Hours, UTCDateTime, enum_type, utcnow
from app.models.user import User

_VALID = "status = 'valid'"


class CertificateSerialCounter(db.Model):
    """The last serial number used in a year; bumped in the issuing transaction, so a
    rolled-back issue gives its number back and the serials stay without gaps."""

    __tablename__ = "certificate_serial_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        UniqueConstraint("year", "number"),
        CheckConstraint(
            "(kind = 'course' AND course_id IS NOT NULL AND tier IS NULL"
            " AND training_class_id IS NULL)"
            " OR (kind = 'tier' AND tier IS NOT NULL AND course_id IS NULL"
            " AND training_class_id IS NULL)"
            " OR (kind = 'class' AND training_class_id IS NOT NULL AND course_id IS NULL"
            " AND tier IS NULL)",
            name="kind_matches_target"),
        # Exactly one valid certificate per (cadre, course) and per (cadre, tier): a second
        # issue (a reload, a concurrent completion) fails here and is treated as done.
        Index("uq_certificate_valid_course", "user_id", "course_id", unique=True,
              sqlite_where=db.text(_VALID), postgresql_where=db.text(_VALID)),
        Index("uq_certificate_valid_tier", "user_id", "tier", unique=True,
              sqlite_where=db.text(_VALID), postgresql_where=db.text(_VALID)),
        Index("uq_certificate_valid_class", "user_id", "training_class_id", unique=True,
              sqlite_where=db.text(_VALID), postgresql_where=db.text(_VALID)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: DCA-YYYY-NNNNNN, from year and number.
    serial: Mapped[str] = mapped_column(String(20), unique=True)
    year: Mapped[int]
    number: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_type(CertificateKind, "certificate_kind"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"))
    tier: Mapped[CourseTier | None] = mapped_column(enum_type(CourseTier, "course_tier"))
    #: Class certificates (结业证书): the training class completed.
    training_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_class.id", ondelete="RESTRICT"))
    # What the certificate says, as printed at issue (a later rename of the course, the unit
    # or the holder does not change an issued certificate; a reissue does).
    holder_name: Mapped[str] = mapped_column(String(64))
    unit_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    hours: Mapped[Decimal] = mapped_column(Hours(6, 2))
    #: Course certificates: the course's assessed score in percent, when it has one.
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    #: Tier certificates: the tier reached (foundation / intermediate / advanced).
    level: Mapped[str | None] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[CertificateStatus] = mapped_column(
        enum_type(CertificateStatus, "certificate_status"), default=CertificateStatus.VALID)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Shown to HR and the holder, never on the public verification page.
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: The certificate this one replaces (a reissue after a name change); the chain of
    #: serials is the certificate's history.
    reissue_of_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    course: Mapped[Course | None] = relationship()
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    reissue_of: Mapped[Certificate | None] = relationship(remote_side=[id])


class CertificateSeal(db.Model):
    """The issuer's seal drawn on every certificate PDF: one row or none (admins upload it).

    In the database like every other file here, so each app instance draws the same seal
    and ``flask backup`` copies it with the rest.
    """

    __tablename__ = "certificate_seal"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    #: The image re-encoded as an RGBA PNG (app.domain.certificate_seal).
    png: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    uploaded_by: Mapped[User | None] = relationship()
