"""The lines of a cadre's learning record: hours, results, completed courses, appeals.

Plain values that the record page (app.services.records.learning_record builds them) and the
printed training record (app.reports.cadre_record) both read.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.domain.vocabulary import AppealRemedy, AppealStatus, CreditKind, QuizKind


@dataclass(frozen=True)
class HourLine:
    code: str
    title: str
    kind: CreditKind
    hours: Decimal
    credited_at: datetime


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
