"""The annual appraisal: schemes, results, exemptions and plan due-date extensions (容错)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.appraisal import Rating
from app.extensions import db
from app.models.org import OrgUnit
from app.models.plan import TrainingPlan
from app.models.types import Hours, UTCDateTime, enum_type, utcnow
from app.models.user import User


class AppraisalScheme(db.Model):
    """One year's scheme for a unit's subtree; org_unit_id None is the city default."""

    __tablename__ = "appraisal_scheme"
    __table_args__ = (UniqueConstraint("year", "org_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"))
    #: Rank value → yearly hours target (every kind of hours counts).
    hours_targets: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Rank value → yearly minimum of online hours; a rank missing has none.
    online_minimums: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Rank value → hours over five years (this year and the four before); missing: none.
    five_year_targets: Mapped[dict] = mapped_column(JSON, default=dict)
    weight_hours: Mapped[int]
    weight_scores: Mapped[int]
    weight_practice: Mapped[int]
    weight_coverage: Mapped[int]
    excellent_at: Mapped[int]
    pass_at: Mapped[int]
    basic_at: Mapped[int]
    quota_percent: Mapped[int]
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org_unit: Mapped[OrgUnit | None] = relationship()


class AppraisalResult(db.Model):
    """A cadre's appraisal for a year, as computed by the latest run covering them."""

    __tablename__ = "appraisal_result"
    __table_args__ = (
        UniqueConstraint("user_id", "year"),
        Index("ix_appraisal_result_year_unit", "year", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The unit the cadre belonged to at the run; the quota was applied within it.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    #: The hours the component counted (the year's total less any online shortfall).
    hours: Mapped[Decimal] = mapped_column(Hours(7, 2))
    hours_target: Mapped[int]
    #: The year's hours by kind (HoursKind value → hours as a string) and the five-year
    #: total at the run, so the explanation shows what was counted.
    hours_by_kind: Mapped[dict] = mapped_column(JSON, default=dict)
    five_year_hours: Mapped[Decimal] = mapped_column(Hours(8, 2), default=0)
    hours_component: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    scores_component: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    practice_component: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    coverage_component: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    #: The weights used, so the explanation matches the run even after a scheme edit.
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    index: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    rating: Mapped[Rating] = mapped_column(enum_type(Rating, "appraisal_rating"))
    run_id: Mapped[str] = mapped_column(String(32), index=True)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    org_unit: Mapped[OrgUnit] = relationship()


class AppraisalExemption(db.Model):
    """A cadre exempted from a year's appraisal (rated 免考核, outside the quota base)."""

    __tablename__ = "appraisal_exemption"
    __table_args__ = (UniqueConstraint("user_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    year: Mapped[int]
    reason: Mapped[str] = mapped_column(String(500))
    document_ref: Mapped[str] = mapped_column(String(200))
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class PlanDueExtension(db.Model):
    """A later due date of a training plan for one cadre (容错)."""

    __tablename__ = "plan_due_extension"
    __table_args__ = (UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("training_plan.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(500))
    document_ref: Mapped[str] = mapped_column(String(200))
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[TrainingPlan] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AppraisalYearClosure(db.Model):
    """A closed appraisal year (city-wide): its stored results are the snapshot of record.

    Reopening deletes the row (audited, with a reason), so a row present means closed.
    """

    __tablename__ = "appraisal_year_closure"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CommendationList(db.Model):
    """A year's commendation (表彰) list for a unit's subtree: proposed, edited, confirmed."""

    __tablename__ = "commendation_list"
    __table_args__ = (UniqueConstraint("year", "org_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: None while HR still reviews the proposal.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))

    org_unit: Mapped[OrgUnit] = relationship()
    entries: Mapped[list[CommendationEntry]] = relationship(
        back_populates="commendation", cascade="all, delete-orphan",
        order_by="CommendationEntry.position")


class CommendationEntry(db.Model):
    """One outstanding individual (user) or team (unit) on a list, with why it is there.

    Figures are copied from the appraisal results at the proposal, so the list never moves
    with later runs; a removed entry stays, with its reason, to show what HR changed.
    """

    __tablename__ = "commendation_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("commendation_list.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    #: "person" or "team".
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"))
    team_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_unit.id", ondelete="CASCADE"))
    index: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: Teams: share of rated cadres who met their hours target, in percent.
    completion: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    #: Set for entries HR added by hand (not in the proposal).
    added_reason: Mapped[str | None] = mapped_column(String(500))
    removed_reason: Mapped[str | None] = mapped_column(String(500))

    commendation: Mapped[CommendationList] = relationship(back_populates="entries")
    user: Mapped[User | None] = relationship()
    team_unit: Mapped[OrgUnit | None] = relationship()
