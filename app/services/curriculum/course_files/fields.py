"""The fields of course.yaml on a Course row: one function for the file import and for the
authoring form, so a course saved either way holds the same values."""

from collections.abc import Sequence
from decimal import Decimal

from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseTier,
    HoursRule,
    Rank,
    WorkCategory,
)
from app.models import Course, CourseArea
from app.services.video.hours import refresh_course_hours


def apply_course_fields(course: Course, *, title: str, summary: str, tier: CourseTier,
                        kind: CourseKind, core: bool, hours: Decimal | None,
                        ranks: Sequence[Rank], categories: Sequence[WorkCategory],
                        areas: Sequence[CompetencyArea],
                        hours_rule: HoursRule = HoursRule.DECLARED) -> None:
    """Set the course's metadata and its areas in order (an area's row is kept while the
    course still covers it). Code, status, lessons and prerequisites are the caller's.

    Under the video-length rule ``hours`` is ignored: the hours follow the course's ready
    videos (a course still without any counts as a micro-course until they are ready)."""
    course.title = title
    course.summary = summary
    course.tier = tier
    course.kind = kind
    course.core = core
    course.hours_rule = hours_rule
    if hours_rule is HoursRule.DECLARED:
        course.hours = hours
    else:
        refresh_course_hours(course)
    course.audience_ranks = [rank.value for rank in ranks]
    course.audience_categories = [category.value for category in categories]
    rows = {row.area: row for row in course.areas}
    course.areas = [_positioned(rows.get(area) or CourseArea(area=area), position)
                    for position, area in enumerate(areas)]


def _positioned(row: CourseArea, position: int) -> CourseArea:
    row.position = position
    return row
