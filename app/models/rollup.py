"""Per-unit, per-year figures for the HR dashboard, refreshed by a job (hr rollups refresh).

Reading a city of 200,000 cadres' answers on every dashboard view took seconds; a refresh
computes the same figures set-based once, and a view reads a few rows per child unit.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import Hours, UTCDateTime


class UnitRollup(db.Model):
    """The year's figures of one unit's cadres of one rank and work category."""

    __tablename__ = "unit_rollup"
    __table_args__ = (
        UniqueConstraint("year", "org_unit_id", "own", "rank", "category"),
        Index("ix_unit_rollup_year_unit", "year", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    #: True: the cadres directly in the unit; False: the cadres of its whole subtree.
    own: Mapped[bool]
    #: Rank and WorkCategory values (the dashboard's filters).
    rank: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    # The fields of app.domain.unit_figures.Figures, summed over these cadres.
    cadres: Mapped[int]
    enrolled: Mapped[int]
    enrollments: Mapped[int]
    completed: Mapped[int]
    hours: Mapped[Decimal] = mapped_column(Hours(12, 2))
    #: The year's hours by kind (they add up to ``hours``) and the five-year totals' sum.
    hours_online: Mapped[Decimal] = mapped_column(Hours(12, 2), default=0)
    hours_face_to_face: Mapped[Decimal] = mapped_column(Hours(12, 2), default=0)
    hours_recognized: Mapped[Decimal] = mapped_column(Hours(12, 2), default=0)
    five_year_hours: Mapped[Decimal] = mapped_column(Hours(14, 2), default=0)
    on_target: Mapped[int]
    scored: Mapped[int]
    score_total: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    #: Cadres per score bucket (SCORE_BUCKETS' order), then those without a score.
    score_buckets: Mapped[list[int]] = mapped_column(JSON)
    #: Rating value -> cadres, from the appraisal results stored for the year.
    ratings: Mapped[dict] = mapped_column(JSON)
    #: Area value -> [sum of the cadres' percent in the area, cadres with answers in it].
    mastery: Mapped[dict] = mapped_column(JSON)


class RollupRefresh(db.Model):
    """When a year's rollups were last computed: the dashboard's "as of" time."""

    __tablename__ = "rollup_refresh"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    seconds: Mapped[float]
    cadres: Mapped[int]


class CadreRollup(db.Model):
    """One cadre's year as the HR lists show it, from the same refresh as UnitRollup.

    Names, units and figures are copied from the cadre's rows at the refresh, so a unit's
    compliance list is one range scan on (year, path) instead of every cadre's answers.
    """

    __tablename__ = "cadre_rollup"
    __table_args__ = (Index("ix_cadre_rollup_year_path", "year", "path"),)

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    #: The unit's materialized path at the refresh (subtree = a range of it).
    path: Mapped[str] = mapped_column(String(255))
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(64))
    unit_name: Mapped[str] = mapped_column(String(100))
    #: Rank and WorkCategory values.
    rank: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(30))
    hours: Mapped[Decimal] = mapped_column(Hours(8, 2))
    hours_online: Mapped[Decimal] = mapped_column(Hours(8, 2), default=0)
    hours_face_to_face: Mapped[Decimal] = mapped_column(Hours(8, 2), default=0)
    hours_recognized: Mapped[Decimal] = mapped_column(Hours(8, 2), default=0)
    #: Every kind of hours of this year and the four before it.
    five_year_hours: Mapped[Decimal] = mapped_column(Hours(9, 2), default=0)
    #: The rank's five-year target and yearly online minimum in the cadre's scheme (0: none).
    five_year_target: Mapped[int] = mapped_column(default=0)
    online_minimum: Mapped[int] = mapped_column(default=0)
    target: Mapped[int]
    enrollments: Mapped[int]
    completed: Mapped[int]
    #: Average standing score of the year's graded quizzes; None without one.
    score: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    #: Rating value of the year's appraisal result, if any.
    rating: Mapped[str | None] = mapped_column(String(20))
    #: Assigned courses past their (extended) due date on the refresh's day, the earliest.
    overdue: Mapped[int]
    first_due: Mapped[date | None] = mapped_column(Date)
