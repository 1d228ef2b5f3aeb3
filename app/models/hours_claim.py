"""Hours earned elsewhere, claimed by a cadre and decided by HR (学时认定, issue 20)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from app.domain.class_vocabulary import ClaimKind, RequestStatus
from app.extensions import db
from app.models.types import Hours, UTCDateTime, enum_type, utcnow
from app.models.user import User


class HoursClaim(db.Model):
    __tablename__ = "hours_claim"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("hours_claimed > 0", name="positive_hours"),
        Index("ix_hours_claim_user_dates", "user_id", "starts_on"),
        Index("ix_hours_claim_status_submitted", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    organizer: Mapped[str] = mapped_column(String(100))
    kind: Mapped[ClaimKind] = mapped_column(enum_type(ClaimKind, "claim_kind"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    hours_claimed: Mapped[Decimal] = mapped_column(Hours(5, 2))
    #: The number printed on the proof, if any, as the cadre typed it.
    certificate_number: Mapped[str] = mapped_column(String(100), default="")
    #: The number folded for comparison (app.domain.training_hours.folded_certificate_number,
    #: set with it): a number another claim used is flagged to HR, found through this index.
    certificate_key: Mapped[str] = mapped_column(String(100), default="", server_default="",
                                                 index=True)
    #: The proof's SHA-256; its bytes are in hours_claim_proof (the database, like every
    #: other upload: no local state, and a refused or rolled-back claim leaves no file),
    #: with its checked type and the name it was sent under.
    proof_key: Mapped[str] = mapped_column(String(200))
    proof_name: Mapped[str] = mapped_column(String(200))
    proof_type: Mapped[str] = mapped_column(String(50))
    proof_bytes: Mapped[int]
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "hours_claim_status"), default=RequestStatus.PENDING)
    #: What HR approved (may be fewer than claimed, with a reason).
    hours_approved: Mapped[Decimal | None] = mapped_column(Hours(5, 2))
    decision_reason: Mapped[str] = mapped_column(String(500), default="")
    #: Problems found when it was submitted ("overlap", "repeated_certificate"), for HR.
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def year(self) -> int:
        """The ledger year the hours go to: the year the training ended."""
        return self.ends_on.year


class HoursClaimProof(db.Model):
    """The proof file of a claim, apart from the claim so lists never read its bytes."""

    __tablename__ = "hours_claim_proof"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("hours_claim.id", ondelete="CASCADE"), primary_key=True)
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
