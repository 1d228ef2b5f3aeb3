"""Courses and their lessons, as imported from course files or authored on the web."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    HoursRule,
)
from app.extensions import db
from app.models.types import Hours, UTCDateTime, enum_type, utcnow


class Course(db.Model):
    __tablename__ = "course"
    __table_args__ = (CheckConstraint("hours > 0", name="positive_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable code, also the folder name under courses/, e.g. "DA110".
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    tier: Mapped[CourseTier] = mapped_column(enum_type(CourseTier, "course_tier"), index=True)
    kind: Mapped[CourseKind] = mapped_column(enum_type(CourseKind, "course_kind"))
    status: Mapped[CourseStatus] = mapped_column(
        enum_type(CourseStatus, "course_status"), default=CourseStatus.PUBLISHED, index=True)
    #: Credit hours (学时) earned on completion: as declared, or (hours_rule video_length)
    #: recomputed from the videos' total length whenever a video or the rule changes.
    hours: Mapped[Decimal] = mapped_column(Hours(5, 2))
    hours_rule: Mapped[HoursRule] = mapped_column(
        enum_type(HoursRule, "hours_rule"), default=HoursRule.DECLARED,
        server_default=HoursRule.DECLARED.value)
    #: A core course of its tier: completing every core course of a tier earns the tier
    #: certificate (数字素养基础 / 进阶 / 高阶).
    core: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Ranks and work categories the course is meant for; empty lists mean everyone.
    audience_ranks: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Bumped each time imported or edited content differs from the stored one.
    version: Mapped[int] = mapped_column(default=1)
    #: SHA-256 of the course's canonical content, to tell a changed import from a repeat.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    areas: Mapped[list[CourseArea]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CourseArea.position")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="Lesson.number")
    prerequisites: Mapped[list[Course]] = relationship(
        secondary="course_prerequisite",
        primaryjoin="Course.id == CoursePrerequisite.course_id",
        secondaryjoin="Course.id == CoursePrerequisite.prerequisite_id",
        order_by="Course.code",
    )
    assets: Mapped[list[CourseAsset]] = relationship(
        cascade="all, delete-orphan", order_by="CourseAsset.filename")

    def __repr__(self) -> str:
        return f"<Course {self.code} v{self.version}>"

    @property
    def area_names(self) -> list[CompetencyArea]:
        return [a.area for a in self.areas]


class CourseArea(db.Model):
    """A competency area a course develops (a course may have several)."""

    __tablename__ = "course_area"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[CompetencyArea] = mapped_column(
        enum_type(CompetencyArea, "competency_area"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class CoursePrerequisite(db.Model):
    __tablename__ = "course_prerequisite"
    __table_args__ = (CheckConstraint("course_id <> prerequisite_id", name="not_self"),)

    course_id: Mapped[int] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    prerequisite_id: Mapped[int] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), primary_key=True, index=True)


class Lesson(db.Model):
    __tablename__ = "lesson"
    __table_args__ = (
        UniqueConstraint("course_id", "number"),
        CheckConstraint("number > 0", name="positive_number"),
        CheckConstraint("minutes > 0", name="positive_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    #: Position in the course (the NN of lessons/NN-slug.md), from 1.
    number: Mapped[int]
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int]
    body_markdown: Mapped[str] = mapped_column(Text)
    #: Sanitised HTML rendered from body_markdown when the lesson is saved.
    body_html: Mapped[str] = mapped_column(Text)

    course: Mapped[Course] = relationship(back_populates="lessons")

    def __repr__(self) -> str:
        return f"<Lesson {self.course_id}#{self.number}>"


class CourseAsset(db.Model):
    """An image or file shipped with a course (courses/<CODE>/assets/), served to learners."""

    __tablename__ = "course_asset"
    __table_args__ = (UniqueConstraint("course_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(80))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))


class CourseOwner(db.Model):
    """A trainer who owns (authors, grades, handles appeals for) a course; several may."""

    __tablename__ = "course_owner"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True)
