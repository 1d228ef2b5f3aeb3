"""A cadre's learning: enrollments, lesson progress and the hour ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.training_hours import HoursKind
from app.domain.vocabulary import CreditKind, EnrollmentSource
from app.extensions import db
from app.models.course import Course, Lesson
from app.models.types import Hours, UTCDateTime, enum_type, utcnow
from app.models.user import User


class Enrollment(db.Model):
    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id"),
        Index("ix_enrollment_course_completed", "course_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    source: Mapped[EnrollmentSource] = mapped_column(
        enum_type(EnrollmentSource, "enrollment_source"))
    #: The first training plan that assigned this course (None when self-chosen).
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_plan.id", ondelete="SET NULL"), index=True)
    #: Earliest due date among the plans assigning the course.
    due_on: Mapped[date | None] = mapped_column(Date)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The lesson opened most recently, where "continue" resumes.
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    course: Mapped[Course] = relationship()
    last_lesson: Mapped[Lesson | None] = relationship()
    progress: Mapped[list[LessonProgress]] = relationship(
        back_populates="enrollment", cascade="all, delete-orphan")

    @property
    def is_assigned(self) -> bool:
        return self.source is EnrollmentSource.PLAN


class LessonProgress(db.Model):
    """A lesson marked complete within an enrollment (one row per lesson, ever)."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("enrollment_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollment.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lesson.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrollment: Mapped[Enrollment] = relationship(back_populates="progress")


class HourCredit(db.Model):
    """The hour ledger: one line per source of hours, each line of one kind.

    Online lines come from a course completion (at most once per course and year),
    face-to-face lines from a completed training class (once per class), recognized lines
    from an approved claim of hours earned elsewhere (once per claim).
    """

    __tablename__ = "hour_credit"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "year"),
        UniqueConstraint("user_id", "training_class_id"),
        UniqueConstraint("hours_claim_id"),
        CheckConstraint("hours > 0", name="positive_hours"),
        CheckConstraint(
            "(hours_kind = 'online' AND course_id IS NOT NULL AND kind IS NOT NULL"
            " AND training_class_id IS NULL AND hours_claim_id IS NULL)"
            " OR (hours_kind = 'face_to_face' AND training_class_id IS NOT NULL"
            " AND course_id IS NULL AND hours_claim_id IS NULL)"
            " OR (hours_kind = 'recognized' AND hours_claim_id IS NOT NULL"
            " AND course_id IS NULL AND training_class_id IS NULL)",
            name="kind_matches_source"),
        Index("ix_hour_credit_user_year", "user_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    hours_kind: Mapped[HoursKind] = mapped_column(
        enum_type(HoursKind, "hours_kind"), default=HoursKind.ONLINE)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"))
    training_class_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_class.id", ondelete="RESTRICT"))
    hours_claim_id: Mapped[int | None] = mapped_column(
        ForeignKey("hours_claim.id", ondelete="RESTRICT"))
    #: Calendar year (Asia/Shanghai) of the completion, the class's end or the claim's end.
    year: Mapped[int]
    hours: Mapped[Decimal] = mapped_column(Hours(5, 2))
    #: Online lines: whether the course was required (by a plan) or elective.
    kind: Mapped[CreditKind | None] = mapped_column(enum_type(CreditKind, "credit_kind"))
    credited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course | None] = relationship()
