"""Training classes (培训班): schedule, members, attendance and leave (issue 20)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.class_vocabulary import (
    AttendanceMethod,
    AttendanceStatus,
    CheckInRefusal,
    ClassStatus,
    MemberSource,
    MemberStatus,
    RequestStatus,
)
from app.extensions import db
from app.models.assessment import Quiz
from app.models.course import Course
from app.models.org import OrgUnit
from app.models.types import Hours, UTCDateTime, enum_type, utcnow
from app.models.user import User

#: Online courses a class requires, before it starts ("before") or by its end ("during").
training_class_course = Table(
    "training_class_course",
    db.metadata,
    Column("class_id", ForeignKey("training_class.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("course.id", ondelete="RESTRICT"), primary_key=True,
           index=True),
    Column("due", String(10), nullable=False, default="during"),
)


class TrainingClass(db.Model):
    __tablename__ = "training_class"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("capacity > 0", name="positive_capacity"),
        CheckConstraint("attendance_share BETWEEN 1 AND 100", name="share_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Who runs it, as printed on the certificate (e.g. 中共重庆市委党校).
    organizer: Mapped[str] = mapped_column(String(100))
    #: The class belongs to this unit: HR of its subtree manage it, and the audience is
    #: drawn from the subtree.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Ranks and work categories of the audience; empty lists mean all.
    ranks: Mapped[list[str]] = mapped_column(JSON, default=list)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    #: Cadres of the audience may apply (the organizer approves); else nomination only.
    open_to_applications: Mapped[bool] = mapped_column(default=False)
    #: Percent of the sessions' hours a member must attend to complete the class.
    attendance_share: Mapped[int] = mapped_column(default=80)
    #: Minutes after a session's start from which a check-in counts as late.
    late_after_minutes: Mapped[int] = mapped_column(default=10)
    #: Minutes before a session's start from which check-in is open.
    opens_before_minutes: Mapped[int] = mapped_column(default=30)
    #: An optional class test: a graded quiz the member must pass.
    test_quiz_id: Mapped[int | None] = mapped_column(
        ForeignKey("quiz.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ClassStatus] = mapped_column(
        enum_type(ClassStatus, "class_status"), default=ClassStatus.DRAFT)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Why the class was cancelled (its members read it on their page).
    cancel_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    test_quiz: Mapped[Quiz | None] = relationship()
    courses: Mapped[list[Course]] = relationship(
        secondary=training_class_course, order_by="Course.code")
    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class", order_by="ClassSession.starts_at",
        cascade="all, delete-orphan")
    created_by: Mapped[User | None] = relationship()


class ClassSession(db.Model):
    """One session of the schedule (半天、一讲): its hours count when attended."""

    __tablename__ = "class_session"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="times_in_order"),
        CheckConstraint("hours > 0", name="positive_hours"),
        Index("ix_class_session_class_starts", "class_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    topic: Mapped[str] = mapped_column(String(200))
    teacher: Mapped[str] = mapped_column(String(100), default="")
    hours: Mapped[Decimal] = mapped_column(Hours(4, 2))
    #: Key of the session's rotating check-in codes (random; never leaves the server).
    check_in_secret: Mapped[bytes] = mapped_column(LargeBinary(32))

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")


class ClassMember(db.Model):
    """A cadre's place in a class: applied, waitlisted, enrolled, rejected or withdrawn."""

    __tablename__ = "class_member"
    __table_args__ = (
        UniqueConstraint("class_id", "user_id"),
        Index("ix_class_member_user", "user_id", "status"),
        Index("ix_class_member_class_status", "class_id", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    status: Mapped[MemberStatus] = mapped_column(enum_type(MemberStatus, "class_member_status"))
    source: Mapped[MemberSource] = mapped_column(enum_type(MemberSource, "class_member_source"))
    #: When the cadre was nominated or applied: the waitlist's order.
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Why an application was rejected or a member withdrawn.
    reason: Mapped[str] = mapped_column(String(500), default="")
    #: Set when the class finished and the member met every requirement.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    training_class: Mapped[TrainingClass] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Attendance(db.Model):
    """A member's attendance at one session; no row means absent."""

    __tablename__ = "class_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(
        enum_type(AttendanceStatus, "attendance_status"))
    method: Mapped[AttendanceMethod] = mapped_column(
        enum_type(AttendanceMethod, "attendance_method"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Who made a correction (None for the cadre's own scan).
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: Why a correction was made.
    reason: Mapped[str] = mapped_column(String(500), default="")

    session: Mapped[ClassSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class CheckInAttempt(db.Model):
    """A refused scan, kept so the organizer sees who tried and why it failed."""

    __tablename__ = "class_check_in_refusal"
    __table_args__ = (Index("ix_class_check_in_refusal_session", "session_id", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    refusal: Mapped[CheckInRefusal] = mapped_column(
        enum_type(CheckInRefusal, "check_in_refusal"))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class LeaveRequest(db.Model):
    """A member's request to be excused from a session (请假)."""

    __tablename__ = "class_leave_request"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_session.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "leave_status"), default=RequestStatus.PENDING)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(String(500), default="")

    session: Mapped[ClassSession] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
