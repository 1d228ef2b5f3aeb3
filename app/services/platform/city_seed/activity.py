"""The generated cadres' year, written set-based exactly as the use cases would leave it.

For each cadre app.domain.city_study says what they did; this turns it into the rows the
real use cases write for the same steps: plan enrolments (sync_plan_enrollments), a
self-enrolment ("learning.enrolled"), lesson progress (complete_lesson), attempts with the
prepared snapshot and graded answers (start_attempt, save_answer, grade_attempt), the
standing result (refresh_quiz_result), and on completion the hour credit, the
"learning.completed" event and the certificates (complete_course_if_done,
issue_for_completion). Certificate numbers follow the order of issue across the year.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.city_study import CourseShape, CourseYear, study_year
from app.domain.learning import audience_matches
from app.models import TrainingPlan
from app.services.platform.city_seed.bulk import BulkWriter
from app.services.platform.city_seed.people import Cadre
from app.services.platform.city_seed.records import CertificateBook, RecordRows
from app.services.platform.city_seed.variants import PreparedCourse

#: Cadres whose rows are built and written together (bounds memory).
BATCH = 5_000


@dataclass(frozen=True)
class Window:
    """When the generated year happens: the plan is saved at ``plan_at``, cadres study
    between ``start`` and ``end`` (naive UTC datetimes, as stored)."""

    plan_at: datetime
    start: datetime
    end: datetime


def write_activity(writer: BulkWriter, cadres: list[Cadre],
                   prepared: dict[str, PreparedCourse], plan: TrainingPlan, window: Window,
                   book: CertificateBook,
                   progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Write every cadre's year; returns rows written per table."""
    shapes: dict[str, CourseShape] = {code: p.shape for code, p in prepared.items()}
    years = [study_year(c.username, shapes, window.start, window.end) for c in cadres]
    book.number(cadres, years)
    courses = {course.code: course for course in plan.courses}
    courses.update({code: p.course for code, p in prepared.items()})
    counts: dict[str, int] = {}
    for start in range(0, len(cadres), BATCH):
        rows = RecordRows(writer, prepared, courses, book)
        for cadre, year in zip(cadres[start:start + BATCH], years[start:start + BATCH],
                               strict=True):
            _cadre_rows(rows, cadre, year, plan, window)
        for table, written in rows.write().items():
            counts[table] = counts.get(table, 0) + written
        if progress:
            progress(min(start + BATCH, len(cadres)))
    return counts


def _cadre_rows(rows: RecordRows, cadre: Cadre, year: list[CourseYear], plan: TrainingPlan,
                window: Window) -> None:
    studied = {course.code: course for course in year}
    planned = {course.code for course in plan.courses} if audience_matches(
        plan.ranks, plan.categories, cadre.rank, cadre.category) else set()
    for code in sorted(planned):  # plan enrolments exist whether studied or not
        rows.enrollment(cadre, code, studied.get(code), plan=plan, enrolled_at=window.plan_at)
    for course in year:
        if course.code not in planned:
            rows.enrollment(cadre, course.code, course, plan=None,
                            enrolled_at=course.started_at)
