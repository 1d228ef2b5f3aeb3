"""Training plans: HR assigns required courses to the cadres of an org subtree."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.course import Course
from app.models.org import OrgUnit
from app.models.types import UTCDateTime, utcnow
from app.models.user import User

training_plan_course = Table(
    "training_plan_course",
    db.metadata,
    Column("plan_id", ForeignKey("training_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("course.id", ondelete="RESTRICT"), primary_key=True,
           index=True),
)


class TrainingPlan(db.Model):
    __tablename__ = "training_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(index=True)
    #: The plan covers this unit and everything below it.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Ranks and work categories covered; empty lists mean all.
    ranks: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    due_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    courses: Mapped[list[Course]] = relationship(
        secondary=training_plan_course, order_by="Course.code", lazy="selectin")
    created_by: Mapped[User | None] = relationship()
