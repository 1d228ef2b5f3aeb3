"""Authoring courses: create, edit, owners, versions, and publishing with the import's validator."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.course_files import content_hash
from app.domain.vocabulary import (
    CompetencyArea,
    CourseKind,
    CourseStatus,
    CourseTier,
    QuestionStatus,
    Rank,
    RoleName,
)
from app.models import AuditEvent, Course, CourseOwner
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.curriculum.authoring.courses import (
    CourseInput,
    CourseInputError,
    EditConflict,
    add_course_owner_by_username,
    course_revision,
    create_course,
    list_editable_courses,
    remove_course_owner,
    update_course,
)
from app.services.curriculum.authoring.lessons import LessonInput, create_lesson
from app.services.curriculum.authoring.publishing import (
    CourseNotPublishable,
    archive_course,
    describe_problems,
    do_publish_course,
    unpublish_course,
    validate_course_content,
)
from app.services.curriculum.course_files.importing import (
    export_course,
    import_courses,
    spec_from_course,
    validate_course_tree,
)
from tests.factories import audit_events, make_course, make_question, make_quiz, make_user


@pytest.fixture
def trainer(tree):
    return make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="王教员")


@pytest.fixture
def admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN], name="管理员")


def _input(**changes) -> CourseInput:
    values = dict(title="数据共享与安全", summary="学会分级分类。", tier=CourseTier.FOUNDATION,
                  areas=[CompetencyArea.SECURITY], hours=Decimal("4.5"),
                  kind=CourseKind.ELECTIVE, ranks=[Rank.STAFF], categories=[],
                  prerequisites=[])
    values.update(changes)
    return CourseInput(**values)


def _events(db, action: str) -> list[AuditEvent]:
    return audit_events(action)


def test_a_new_course_is_a_draft_owned_by_its_creator(db, trainer):
    course = create_course("SE101", _input(title="  数据共享与安全  "), actor=trainer)
    assert course.status is CourseStatus.DRAFT and course.version == 1
    assert course.title == "数据共享与安全" and course.hours == Decimal("4.5")
    assert course.audience_ranks == ["staff"] and course.area_names == [CompetencyArea.SECURITY]
    assert db.session.get(CourseOwner, (course.id, trainer.id)) is not None
    assert course.content_hash == content_hash(spec_from_course(course))
    [event] = _events(db, "authoring.course_created")
    assert event.actor_id == trainer.id and event.target == "course:SE101"


@pytest.mark.parametrize(("code", "changes", "field", "reason"), [
    ("se101", {}, "code", "code_format"),
    ("SE1010", {}, "code", "code_format"),
    ("ABCDE101", {}, "code", "code_format"),
    ("SE101", {"hours": Decimal("0.3")}, "hours", "hours"),
    ("SE101", {"hours": Decimal("0")}, "hours", "hours"),
    ("SE101", {"hours": Decimal("1000.5")}, "hours", "hours"),
    ("SE101", {"title": "   "}, "title", "title_required"),
    ("SE101", {"title": "长" * 201}, "title", "title_too_long"),
    ("SE101", {"areas": []}, "areas", "areas_required"),
    ("SE101", {"prerequisites": ["ZZ999"]}, "prerequisites", "prerequisite_unknown"),
    ("SE101", {"prerequisites": ["SE101"]}, "prerequisites", "prerequisite_self"),
])
def test_bad_input_is_refused_and_nothing_is_created(db, trainer, code, changes, field,
                                                     reason):
    with pytest.raises(CourseInputError) as refused:
        create_course(code, _input(**changes), actor=trainer)
    assert (refused.value.field, refused.value.reason) == (field, reason)
    assert db.session.scalar(select(Course.id)) is None


def test_a_code_is_used_once(db, trainer):
    make_course("SE101")
    with pytest.raises(CourseInputError) as refused:
        create_course("SE101", _input(), actor=trainer)
    assert refused.value.reason == "code_taken"


def test_prerequisites_must_not_go_round_in_a_circle(db, trainer):
    first = create_course("GV210", _input(), actor=trainer)
    second = create_course("GV320", _input(prerequisites=["GV210"]), actor=trainer)
    third = create_course("GV410", _input(prerequisites=["GV320"]), actor=trainer)
    assert [c.code for c in third.prerequisites] == ["GV320"]
    with pytest.raises(CourseInputError) as refused:
        update_course(first, _input(prerequisites=["GV410"]), revision=course_revision(first),
                      actor=trainer)
    assert refused.value.reason == "prerequisite_cycle"
    assert refused.value.detail == "GV210 → GV410 → GV320 → GV210"
    assert first.prerequisites == [] and second.version == 1


def test_cadres_and_non_owners_cannot_create_or_edit(db, tree, trainer):
    cadre = make_user(unit=tree["jiefangbei"])
    with pytest.raises(PermissionDenied):
        create_course("SE101", _input(), actor=cadre)
    course = make_course("SE101")
    with pytest.raises(PermissionDenied):
        update_course(course, _input(), revision=course_revision(course), actor=trainer)


def test_editing_content_bumps_the_version_and_the_hash(db, trainer, admin):
    course = create_course("SE101", _input(), actor=trainer)
    assert update_course(course, _input(), revision=course_revision(course),
                         actor=trainer) is False
    assert course.version == 1 and _events(db, "authoring.course_edited") == []
    assert update_course(course, _input(title="新标题", hours=Decimal("6")),
                         revision=course_revision(course), actor=admin) is True
    assert course.version == 2 and course.title == "新标题"
    assert course.content_hash == content_hash(spec_from_course(course))
    [event] = _events(db, "authoring.course_edited")
    assert event.actor_id == admin.id and event.details == {"version": 2}


def test_a_stale_form_is_refused_and_changes_nothing(db, trainer):
    course = create_course("SE101", _input(), actor=trainer)
    opened = course_revision(course)
    update_course(course, _input(title="甲的标题"), revision=opened, actor=trainer)
    with pytest.raises(EditConflict):
        update_course(course, _input(title="乙的标题"), revision=opened, actor=trainer)
    assert course.title == "甲的标题" and course.version == 2


def test_edited_courses_export_to_files_that_import_unchanged(db, trainer, tmp_path):
    course = create_course("SE101", _input(summary="一句话简介：" + "很长的简介 " * 30),
                           actor=trainer)
    create_lesson(course, LessonInput(title="第一课: 'quoted' #1", minutes=30,
                                      body="\r\n\r\n## 目标\r\n\r\n- 一\r\n\r\n"), actor=trainer)
    update_course(course, _input(title="标题: 带冒号", summary="多行\n简介"),
                  revision=course_revision(course), actor=trainer)
    db.session.commit()
    export_course(course, tmp_path)
    assert validate_course_tree(tmp_path) == []
    assert import_courses(tmp_path, actor=None).unchanged == ["SE101"]


def test_owners_add_trainers_and_keep_at_least_one(db, tree, trainer, admin):
    course = create_course("SE101", _input(), actor=trainer)
    colleague = make_user(unit=tree["city"], roles=[RoleName.TRAINER], username="T900001")
    cadre = make_user(unit=tree["city"], username="C900001")
    for username, reason in (("NOBODY", "owner_unknown"), ("C900001", "owner_not_trainer")):
        with pytest.raises(CourseInputError) as refused:
            add_course_owner_by_username(course, username, actor=trainer)
        assert refused.value.reason == reason
    assert add_course_owner_by_username(course, " T900001 ", actor=trainer) == colleague
    with pytest.raises(CourseInputError, match="owner_already"):
        add_course_owner_by_username(course, "T900001", actor=trainer)
    assert remove_course_owner(course, trainer.id, actor=colleague) == trainer
    with pytest.raises(CourseInputError, match="owner_last"):
        remove_course_owner(course, colleague.id, actor=admin)
    with pytest.raises(PermissionDenied):  # no longer an owner
        add_course_owner_by_username(course, trainer.username, actor=trainer)
    assert [e.details["username"] for e in _events(db, "authoring.course_owner_added")] == \
        ["T900001"]
    assert len(_events(db, "authoring.course_owner_removed")) == 1
    assert cadre.id  # refused above, never added


def test_the_course_list_shows_owned_courses_or_all_for_admins(db, trainer, admin,
                                                                count_queries):
    mine = create_course("SE101", _input(), actor=trainer)
    other = make_course("DA110")
    for number in range(5):
        add_course_owner(make_course(f"GV{300 + number}"), trainer, actor=None)
    rows = list_editable_courses(actor=trainer)
    assert [row.course.code for row in rows][:2] == ["GV300", "GV301"]
    assert mine in [row.course for row in rows] and other not in [row.course for row in rows]
    assert {row.course.code: row.lesson_count for row in rows}["GV300"] == 3
    assert [o.name for o in rows[-1].owners] == ["王教员"]
    db.session.expire_all()
    with count_queries() as few:
        list_editable_courses(actor=admin)
    for number in range(5):
        add_course_owner(make_course(f"AI{300 + number}"), admin, actor=None)
    db.session.expire_all()
    with count_queries() as many:
        rows = list_editable_courses(actor=admin)
    # courses, their areas, owners, lesson counts (+ the expired actor and roles)
    assert len(rows) == 12 and many.count == few.count <= 6


def test_publishing_uses_the_import_validator_and_lists_every_problem(db, trainer, tmp_path):
    course = create_course("SE101", _input(), actor=trainer)
    retired = make_question("SE101-Q01", course=course)
    make_quiz(course, [retired], code="SE101/final")
    retired.status = QuestionStatus.RETIRED
    db.session.flush()
    with pytest.raises(CourseNotPublishable) as refused:
        do_publish_course(course, actor=trainer)
    [problem] = refused.value.problems
    assert "at least one lesson" in problem.message
    assert course.status is CourseStatus.DRAFT and _events(db, "authoring.course_published") == []

    create_lesson(course, LessonInput(title="第一课", minutes=20, body="正文"), actor=trainer)
    problems = validate_course_content(course)
    assert [str(p) for p in problems] == [
        "courses/SE101/quizzes/final.yaml:8: question SE101-Q01 is neither in SE101's "
        "questions.yaml nor in the shared bank"]
    # The very problems `flask courses validate` finds in the exported files.
    db.session.commit()
    export_course(course, tmp_path)
    assert [(p.line, p.message) for p in validate_course_tree(tmp_path / "SE101")] == \
        [(p.line, p.message) for p in problems]
    [view] = describe_problems(course, problems)
    assert (view.part, view.location) == ("quizzes", "quizzes/final.yaml:8")

    retired.status = QuestionStatus.ACTIVE
    assert validate_course_content(course) == []
    version = course.version
    do_publish_course(course, actor=trainer)
    assert course.status is CourseStatus.PUBLISHED and course.version == version
    assert course.content_hash == content_hash(spec_from_course(course))
    [event] = _events(db, "authoring.course_published")
    assert event.details["to"] == "published"


def test_archive_and_back_to_draft_are_audited(db, trainer, tree):
    course = make_course("SE101")
    add_course_owner(course, trainer, actor=None)
    archive_course(course, actor=trainer)
    assert course.status is CourseStatus.ARCHIVED
    unpublish_course(course, actor=trainer)
    assert course.status is CourseStatus.DRAFT
    unpublish_course(course, actor=trainer)  # already a draft: nothing recorded
    assert len(_events(db, "authoring.course_archived")) == 1
    assert len(_events(db, "authoring.course_unpublished")) == 1
    with pytest.raises(PermissionDenied):
        archive_course(course, actor=make_user(unit=tree["city"], roles=[RoleName.TRAINER]))
