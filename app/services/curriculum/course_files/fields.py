"""The fields of course.yaml on a Course row: one function for the file import and for the
authoring form, so a course saved either way holds the same values."""

from collections.abc import Sequence
from decimal import Decimal

from app.domain.vocabulary import CompetencyArea, CourseKind, CourseTier, Rank, WorkCategory
from app.models import Course, CourseArea


def apply_course_fields(course: Course, *, title: str, summary: str, tier: CourseTier,
                        kind: CourseKind, core: bool, hours: Decimal,
                        ranks: Sequence[Rank], categories: Sequence[WorkCategory],
                        areas: Sequence[CompetencyArea]) -> None:
    """Set the course's metadata and its areas in order (an area's row is kept while the
    course still covers it). Code, status, lessons and prerequisites are the caller's."""
    course.title = title
    course.summary = summary
    course.tier = tier
    course.kind = kind
    course.core = core
    course.hours = hours
    course.audience_ranks = [rank.value for rank in ranks]
    course.audience_categories = [category.value for category in categories]
    rows = {row.area: row for row in course.areas}
    course.areas = [_positioned(rows.get(area) or CourseArea(area=area), position)
                    for position, area in enumerate(areas)]


def _positioned(row: CourseArea, position: int) -> CourseArea:
    row.position = position
    return row
