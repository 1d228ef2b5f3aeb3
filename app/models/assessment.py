"""Question bank, quizzes, attempts and their answers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.vocabulary import (
    AppealRemedy,
    AppealStatus,
    AttemptState,
    CompetencyArea,
    CourseTier,
    GradingMethod,
    QuestionStatus,
    QuizKind,
    ReviewPolicy,
    ReviewTiming,
)
from app.extensions import db
from app.models.course import Course
from app.models.types import UTCDateTime, enum_type, utcnow
from app.models.user import User


class Question(db.Model):
    __tablename__ = "question"
    __table_args__ = (
        CheckConstraint("difficulty BETWEEN 1 AND 3", name="difficulty_range"),
        CheckConstraint("points > 0", name="positive_points"),
        Index("ix_question_bank", "course_id", "area", "difficulty", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable key from the course files, e.g. "DA110-Q01" or "SB-DATA-001".
    key: Mapped[str] = mapped_column(String(40), unique=True)
    #: The course bank it belongs to; None for the shared bank.
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(16))
    area: Mapped[CompetencyArea] = mapped_column(enum_type(CompetencyArea, "question_area"))
    difficulty: Mapped[int]
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    prompt: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    #: Type-specific content and key (options and answer, accepted answers, tolerance…).
    spec: Mapped[dict] = mapped_column(JSON)
    status: Mapped[QuestionStatus] = mapped_column(
        enum_type(QuestionStatus, "question_status"), default=QuestionStatus.ACTIVE)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course | None] = relationship()


class Quiz(db.Model):
    __tablename__ = "quiz"
    __table_args__ = (
        CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_range"),
        CheckConstraint("max_attempts IS NULL OR max_attempts > 0", name="positive_attempts"),
        CheckConstraint("time_limit_minutes IS NULL OR time_limit_minutes > 0",
                        name="positive_time_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "DA110/final" for a course quiz, "ANNUAL-2026-foundation" for an annual test.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[QuizKind] = mapped_column(enum_type(QuizKind, "quiz_kind"))
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), index=True)
    #: The tier an annual test is for.
    tier: Mapped[CourseTier | None] = mapped_column(enum_type(CourseTier, "quiz_tier"))
    title: Mapped[str] = mapped_column(String(200))
    #: Passing it is required to complete the course.
    graded: Mapped[bool] = mapped_column(default=True)
    pass_mark: Mapped[int] = mapped_column(default=60)
    time_limit_minutes: Mapped[int | None]
    max_attempts: Mapped[int | None]
    grading_method: Mapped[GradingMethod] = mapped_column(
        enum_type(GradingMethod, "grading_method"), default=GradingMethod.HIGHEST)
    review: Mapped[ReviewPolicy] = mapped_column(
        enum_type(ReviewPolicy, "review_policy"), default=ReviewPolicy.FULL)
    review_after: Mapped[ReviewTiming] = mapped_column(
        enum_type(ReviewTiming, "review_timing"), default=ReviewTiming.SUBMIT)
    shuffle: Mapped[bool] = mapped_column(default=True)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A fixed list of question keys, in order…
    question_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: …or draw rules: [{"bank": "shared"|"course", "area": …, "difficulty": 1-3, "count": n}].
    draw_rules: Mapped[list[dict]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    course: Mapped[Course | None] = relationship()

    exercise: Mapped[Exercise | None] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", uselist=False)

    @property
    def question_count(self) -> int:
        """Questions (or exercise tasks) per attempt: the fixed list, the draw, the tasks."""
        if self.kind is QuizKind.EXERCISE:
            return len(self.exercise.tasks) if self.exercise else 0
        return len(self.question_keys) or sum(rule["count"] for rule in self.draw_rules)


class Exercise(db.Model):
    """What makes a quiz of kind EXERCISE: the brief, the dataset and the tasks."""

    __tablename__ = "exercise"

    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quiz.id", ondelete="CASCADE"), primary_key=True)
    brief: Mapped[str] = mapped_column(Text)
    #: The scenario generator each cadre's variant comes from (None for a fixed dataset).
    scenario_key: Mapped[str | None] = mapped_column(String(40))
    scenario_params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: A fixed dataset (the same for every cadre): [{name, label, columns, rows}]. Loaded
    #: only when read: every workspace request loads the exercise, but the dataset is
    #: needed only to build the variant once (then cached), and parsing thousands of rows
    #: of JSON per request cost 20 ms (benchmarks/analysis_builder.py).
    dataset: Mapped[list[dict] | None] = mapped_column(JSON, deferred=True)
    #: [{id, type, area, points, prompt, explanation, reference_sql, options_sql, spec}].
    tasks: Mapped[list[dict]] = mapped_column(JSON)

    quiz: Mapped[Quiz] = relationship(back_populates="exercise")


class Attempt(db.Model):
    __tablename__ = "attempt"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        # At most one open attempt per cadre and quiz, whatever two tabs do at once.
        Index("uq_attempt_open", "quiz_id", "user_id", unique=True,
              sqlite_where=text("state = 'in_progress'"),
              postgresql_where=text("state = 'in_progress'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[AttemptState] = mapped_column(
        enum_type(AttemptState, "attempt_state"), default=AttemptState.IN_PROGRESS)
    #: Seed of the draw and of every shuffle, so the attempt can be rebuilt and audited.
    seed: Mapped[int] = mapped_column(BigInteger)
    #: The questions exactly as shown, keys included (later edits never change a past score).
    questions: Mapped[list[dict]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: Server-side deadline (time limit plus any accommodation), None when untimed.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    max_score: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool | None]
    #: For an exercise: the dataset this attempt's variant is built from
    #: ({"scenario", "params", "digest"} or {"fixed": true, "digest"}); None for quizzes.
    variant: Mapped[dict | None] = mapped_column(JSON)

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="AttemptAnswer.position")


class AttemptAnswer(db.Model):
    """The saved answer to one question of an attempt (autosaved, then graded)."""

    __tablename__ = "attempt_answer"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    #: Index of the question in Attempt.questions.
    position: Mapped[int]
    response: Mapped[dict | list | str | float | bool | None] = mapped_column(JSON, nullable=True)
    #: The browser's save counter: a save with a lower number than the stored one is stale.
    client_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    #: The points before rounding to cents (a third of a point is 0.3333333333): the attempt's
    #: total adds these up and rounds once (app.domain.assessment.attempt_total). None where
    #: ``points`` is exact (a trainer's grade) or for answers graded before it existed.
    exact_points: Mapped[Decimal | None] = mapped_column(Numeric(18, 10))
    #: Copied from the snapshot at grading, so item statistics and mastery per area are
    #: plain GROUP BYs (positions differ between attempts when questions are shuffled).
    question_key: Mapped[str | None] = mapped_column(String(40), index=True)
    area: Mapped[CompetencyArea | None] = mapped_column(enum_type(CompetencyArea, "answer_area"))
    max_points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    graded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    feedback: Mapped[str | None] = mapped_column(Text)
    #: What automatic grading found, for the review (an exercise's SQL task: rows on the
    #: cadre's and the hidden variant, or the sandbox's refusal; a selection's precision).
    detail: Mapped[dict | None] = mapped_column(JSON)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt: Mapped[Attempt] = relationship(back_populates="answers")

    @classmethod
    def earned_sql(cls):
        """SQL for the points earned before rounding (``points`` where that is exact): a sum
        over an area or a year rounds once, like the attempt's total (three one-third
        credits are 1.00, not 0.99)."""
        return func.coalesce(cls.exact_points, cls.points)


class AttemptHint(db.Model):
    """A hint of an exercise task the cadre opened during the attempt (it costs a share of
    the task's points: app.domain.exercise_tasks.hints). Opening twice keeps one row."""

    __tablename__ = "attempt_hint"
    __table_args__ = (UniqueConstraint("attempt_id", "position", "number"),
                      CheckConstraint("number BETWEEN 1 AND 3", name="hint_number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    #: Index of the task in Attempt.questions.
    position: Mapped[int]
    #: 1-based, in the order the trainer wrote the hints.
    number: Mapped[int]
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuizResult(db.Model):
    """A cadre's standing result for a quiz under its grading method (updated on grading)."""

    __tablename__ = "quiz_result"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    percent: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool]
    attempts: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TimeAccommodation(db.Model):
    """Extra time on timed quizzes for one cadre (accessibility), set by HR in scope or a
    trainer of one of the cadre's courses, never by the cadre (app.services.assessment)."""

    __tablename__ = "time_accommodation"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    extra_percent: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200), default="")
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    #: When it was last set (granted or changed), and by whom: shown with the extra time.
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    set_by: Mapped[User | None] = relationship(foreign_keys=[set_by_id])


class Appeal(db.Model):
    """A cadre's appeal against the grading of one question of a reviewed attempt."""

    __tablename__ = "appeal"
    # A cadre's appeals of a year, newest last (the learning record): one index range.
    __table_args__ = (UniqueConstraint("attempt_id", "position"),
                      Index("ix_appeal_user_id_created_at", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(
        enum_type(AppealStatus, "appeal_status"), default=AppealStatus.OPEN, index=True)
    remedy: Mapped[AppealRemedy | None] = mapped_column(enum_type(AppealRemedy, "appeal_remedy"))
    #: The trainer's answer to the cadre (why upheld or rejected).
    response: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt: Mapped[Attempt] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
