import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.domain.vocabulary import (
    CompetencyArea,
    CourseStatus,
    CourseTier,
    CreditKind,
    EnrollmentSource,
    RoleName,
    WorkCategory,
)
from app.models import Enrollment, HourCredit, LessonProgress
from app.services.core.errors import NotFound, ServiceError
from app.services.learning.course_page import NotEnrolled, open_lesson, view_course
from app.services.learning.enrollment import (
    complete_lesson,
    enroll_in_course,
    find_course_for,
    leave_course,
    list_catalog,
    remember_lesson_opened,
)
from tests.factories import make_course, make_plan, make_user


@pytest.fixture
def cadre(tree):
    return make_user(unit=tree["jiefangbei"])


def _finish(course, user):
    enrollment = enroll_in_course(course, actor=user)
    finished = [complete_lesson(enrollment, lesson, actor=user) for lesson in course.lessons]
    return enrollment, finished


def test_catalog_lists_published_courses_with_the_viewers_state(cadre):
    a = make_course("DA110", tier=CourseTier.FOUNDATION, areas=[CompetencyArea.DATA])
    make_course("GV210", tier=CourseTier.INTERMEDIATE, areas=[CompetencyArea.GOVERNANCE])
    make_course("XX999", status=CourseStatus.DRAFT)
    enrollment = enroll_in_course(a, actor=cadre)
    complete_lesson(enrollment, a.lessons[0], actor=cadre)
    entries = {e.course.code: e for e in list_catalog(actor=cadre)}
    assert set(entries) == {"DA110", "GV210"}
    assert entries["DA110"].state == "in_progress" and entries["DA110"].percent == 33
    assert entries["DA110"].lesson_count == 3
    assert entries["GV210"].state == "none"


def test_catalog_filters(cadre):
    make_course("DA110", tier=CourseTier.FOUNDATION, areas=[CompetencyArea.DATA],
                title="用数据说话")
    make_course("GV210", tier=CourseTier.INTERMEDIATE,
                areas=[CompetencyArea.GOVERNANCE, CompetencyArea.DATA],
                categories=["social_governance"])
    make_course("EC310", tier=CourseTier.ADVANCED, categories=["economy"])

    def codes(**filters):
        return [e.course.code for e in list_catalog(actor=cadre, **filters)]

    assert codes() == ["DA110", "GV210", "EC310"]  # foundation → advanced
    assert codes(tier=CourseTier.INTERMEDIATE) == ["GV210"]
    assert codes(area=CompetencyArea.DATA) == ["DA110", "GV210"]
    assert codes(category=WorkCategory.SOCIAL_GOVERNANCE) == ["DA110", "GV210"]
    assert codes(text="数据") == ["DA110"]
    assert codes(text="%") == []


def test_prerequisites_gate_enrollment(cadre):
    base = make_course("DC101")
    advanced = make_course("GV210", prerequisites=[base])
    with pytest.raises(ServiceError, match="missing_prerequisites"):
        enroll_in_course(advanced, actor=cadre)
    assert view_course(advanced, actor=cadre).eligibility.missing == ["DC101"]
    _finish(base, cadre)
    assert enroll_in_course(advanced, actor=cadre).course_id == advanced.id


def test_enrolling_twice_gives_one_enrollment(cadre, db):
    course = make_course()
    first = enroll_in_course(course, actor=cadre)
    second = enroll_in_course(course, actor=cadre)
    assert first.id == second.id
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1


def test_database_refuses_a_duplicate_enrollment(cadre, db):
    course = make_course()
    enroll_in_course(course, actor=cadre)
    db.session.add(Enrollment(user_id=cadre.id, course_id=course.id,
                              source=EnrollmentSource.SELF))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_completing_the_last_lesson_credits_hours_once(cadre, db):
    course = make_course(hours="4.5")
    enrollment, finished = _finish(course, cadre)
    assert finished == [False, False, True]
    assert enrollment.completed_at is not None
    credit = db.session.scalar(select(HourCredit))
    assert credit.hours == 4.5 and credit.kind is CreditKind.ELECTIVE
    # Marking again, or a second tab finishing the same lesson, changes nothing.
    assert complete_lesson(enrollment, course.lessons[-1], actor=cadre) is False
    assert db.session.scalar(select(func.count(HourCredit.id))) == 1
    assert db.session.scalar(select(func.count(LessonProgress.id))) == 3


def test_database_refuses_a_second_ledger_row(cadre, db):
    course = make_course()
    _finish(course, cadre)
    credit = db.session.scalar(select(HourCredit))
    db.session.add(HourCredit(user_id=cadre.id, course_id=course.id, year=credit.year,
                              hours=credit.hours, kind=credit.kind))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_database_refuses_duplicate_lesson_progress(cadre, db):
    course = make_course()
    enrollment = enroll_in_course(course, actor=cadre)
    complete_lesson(enrollment, course.lessons[0], actor=cadre)
    db.session.add(LessonProgress(enrollment_id=enrollment.id, lesson_id=course.lessons[0].id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_assigned_course_hours_are_required_hours(tree, cadre, db):
    course = make_course()
    make_plan(unit=tree["yuzhong"], courses=[course])
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == cadre.id))
    for lesson in course.lessons:
        complete_lesson(enrollment, lesson, actor=cadre)
    assert db.session.scalar(select(HourCredit.kind)) is CreditKind.REQUIRED


def test_a_lesson_of_another_course_is_refused(cadre):
    one, other = make_course("AA101"), make_course("BB101")
    enrollment = enroll_in_course(one, actor=cadre)
    with pytest.raises(NotFound):
        complete_lesson(enrollment, other.lessons[0], actor=cadre)


def test_leaving(tree, cadre):
    chosen = make_course("AA101")
    enrollment = enroll_in_course(chosen, actor=cadre)
    leave_course(enrollment, actor=cadre)
    assigned = make_course("BB101")
    make_plan(unit=tree["city"], courses=[assigned])
    enrollment = view_course(assigned, actor=cadre).enrollment
    with pytest.raises(ServiceError, match="assigned"):
        leave_course(enrollment, actor=cadre)


def test_draft_courses_are_hidden_from_cadres_but_not_trainers(tree, cadre):
    make_course("DR101", status=CourseStatus.DRAFT)
    with pytest.raises(NotFound):
        find_course_for("DR101", actor=cadre)
    with pytest.raises(NotFound):
        find_course_for("NOPE", actor=cadre)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    assert find_course_for("DR101", actor=trainer).code == "DR101"


def test_archived_course_stays_readable_for_its_learners(cadre, db):
    course = make_course()
    enroll_in_course(course, actor=cadre)
    course.status = CourseStatus.ARCHIVED
    db.session.flush()
    assert find_course_for(course.code, actor=cadre) is course
    assert course.code not in {e.course.code for e in list_catalog(actor=cadre)}


def test_reading_needs_enrollment_and_remembers_the_place(cadre):
    course = make_course()
    with pytest.raises(NotEnrolled):
        open_lesson(course, 1, actor=cadre)
    enrollment = enroll_in_course(course, actor=cadre)
    view = open_lesson(course, 2, actor=cadre)
    assert view.previous.number == 1 and view.next.number == 3
    assert view.resume_moves_here and enrollment.last_lesson_id is None  # reading writes nothing
    assert remember_lesson_opened(enrollment, view.lesson, actor=cadre) is True
    assert remember_lesson_opened(enrollment, view.lesson, actor=cadre) is False
    assert view_course(course, actor=cadre).resume_lesson.number == 2
    assert not open_lesson(course, 2, actor=cadre).resume_moves_here
    with pytest.raises(NotFound):
        open_lesson(course, 9, actor=cadre)
