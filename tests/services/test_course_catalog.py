"""The published courses every cadre shares are read once and read again after a change."""

from decimal import Decimal

from sqlalchemy import text

from app.domain.vocabulary import CompetencyArea, CourseKind, CourseTier, RoleName
from app.services.curriculum.authoring.courses import CourseInput, course_revision, update_course
from app.services.curriculum.authoring.lessons import LessonInput, create_lesson
from app.services.curriculum.authoring.publishing import archive_course
from app.services.learning.catalog import published_courses
from tests.factories import make_course, make_user


def _course_input(course, **changes):
    data = {"title": course.title, "summary": course.summary, "tier": course.tier,
            "areas": list(course.area_names), "hours": course.hours, "kind": course.kind}
    return CourseInput(**{**data, **changes})


def test_the_list_is_read_once_and_then_costs_one_small_read(tree, count_queries):
    base = make_course("DC101", areas=(CompetencyArea.DATA, CompetencyArea.SECURITY))
    make_course("DA210", lessons=4, prerequisites=[base])
    with count_queries() as cold:
        cards = published_courses()
    with count_queries() as warm:
        again = published_courses()
    assert again is cards and warm.count == 1 < cold.count <= 4
    by_code = {card.code: card for card in cards}
    assert by_code["DA210"].prerequisite_codes == ("DC101",)
    assert by_code["DA210"].lesson_count == 4
    assert by_code["DC101"].area_names == (CompetencyArea.DATA, CompetencyArea.SECURITY)


def test_edits_and_status_changes_through_the_authoring_pages_show_at_once(tree):
    """Made by an administrator (who may edit any course)."""
    trainer = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    course = make_course("DC101", lessons=1)
    assert [c.title for c in published_courses()] == [course.title]
    update_course(course, _course_input(course, title="新的标题", hours=Decimal("6")),
                  revision=course_revision(course), actor=trainer)
    card = published_courses()[0]
    assert (card.title, card.hours) == ("新的标题", Decimal("6"))
    create_lesson(course, LessonInput(title="第二课", minutes=20, body="正文。"), actor=trainer)
    assert published_courses()[0].lesson_count == 2
    archive_course(course, actor=trainer)
    assert published_courses() == ()


def test_a_change_made_by_another_instance_is_seen(tree, db):
    """Another app server (another process) changes the row; this one has no message of it."""
    course = make_course("DC101", kind=CourseKind.REQUIRED, tier=CourseTier.FOUNDATION)
    db.session.commit()
    assert published_courses()[0].title == course.title
    with db.engine.begin() as other:
        other.execute(text("UPDATE course SET title = '另一台服务器改的', "
                           "content_hash = 'changed', version = version + 1"))
    db.session.expire_all()
    assert published_courses()[0].title == "另一台服务器改的"
