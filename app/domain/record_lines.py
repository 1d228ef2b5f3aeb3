"""The lines of a cadre's learning record: hours, results, completed courses, appeals, videos.

Plain values that the record page (app.services.records.learning_record builds them) and the
printed training record (app.reports.cadre_record) both read.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.domain.training_hours import HoursKind
from app.domain.vocabulary import AppealRemedy, AppealStatus, CreditKind, QuizKind
from app.domain.watch_time import watched_percent

TENTH = Decimal("0.1")


@dataclass(frozen=True)
class HourLine:
    """A ledger line: a course (code and title), a training class or a recognized claim
    (title, with the organizer as ``source``)."""

    code: str
    title: str
    #: Online lines: required or elective; None for the other kinds.
    kind: CreditKind | None
    hours: Decimal
    credited_at: datetime
    hours_kind: HoursKind = HoursKind.ONLINE
    source: str = ""


@dataclass(frozen=True)
class QuizLine:
    quiz_id: int
    title: str
    kind: QuizKind
    course_code: str | None
    graded: bool
    percent: Decimal
    passed: bool
    attempts: int


@dataclass(frozen=True)
class CompletedCourse:
    code: str
    title: str
    hours: Decimal
    completed_at: datetime
    scores: list[QuizLine]


@dataclass(frozen=True)
class AppealLine:
    quiz_title: str
    position: int
    status: AppealStatus
    remedy: AppealRemedy | None
    response: str | None
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class VideoLine:
    """What a cadre watched of one lesson video: credited time, share, completion."""

    course_code: str
    course_title: str
    lesson_number: int
    lesson_title: str
    #: None while a replacement video is being processed.
    duration_seconds: Decimal | None
    watched_seconds: Decimal
    completed_at: datetime | None

    @property
    def watched_minutes(self) -> Decimal:
        return (Decimal(self.watched_seconds) / 60).quantize(TENTH)

    @property
    def duration_minutes(self) -> Decimal | None:
        if self.duration_seconds is None:
            return None
        return (Decimal(self.duration_seconds) / 60).quantize(TENTH)

    @property
    def percent(self) -> int:
        """Share of the video credited, in whole percent (rounded down, so 100 means all)."""
        if not self.duration_seconds:
            return 0
        return watched_percent(float(self.watched_seconds), float(self.duration_seconds))
