from decimal import Decimal

from app.domain.vocabulary import CompetencyArea, CourseKind, CourseTier, Rank, WorkCategory
from app.models import Course
from app.services.curriculum.course_files.fields import apply_course_fields

FIELDS = {"title": "数据治理", "summary": "简介", "tier": CourseTier.INTERMEDIATE,
          "kind": CourseKind.ELECTIVE, "core": True, "hours": Decimal("2.5"),
          "ranks": [Rank.STAFF], "categories": [WorkCategory.SOCIAL_GOVERNANCE]}


def test_course_fields_are_set_and_an_area_keeps_its_row_while_covered():
    course = Course(code="DG201")
    apply_course_fields(course, **FIELDS, areas=[CompetencyArea.DATA, CompetencyArea.MINDSET])
    assert (course.title, course.summary, course.tier, course.kind, course.core,
            course.hours) == ("数据治理", "简介", CourseTier.INTERMEDIATE, CourseKind.ELECTIVE,
                              True, Decimal("2.5"))
    assert course.audience_ranks == ["staff"]
    assert course.audience_categories == [WorkCategory.SOCIAL_GOVERNANCE.value]
    data_row = course.areas[0]
    apply_course_fields(course, **{**FIELDS, "ranks": []},
                        areas=[CompetencyArea.SECURITY, CompetencyArea.DATA])
    assert [(row.area, row.position) for row in course.areas] == [
        (CompetencyArea.SECURITY, 0), (CompetencyArea.DATA, 1)]
    assert course.areas[1] is data_row and course.audience_ranks == []
    assert course.status is None and course.code == "DG201"  # the caller's
