from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.vocabulary import CourseKind, EnrollmentSource, Rank, RoleName
from app.models import Enrollment
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.learning.plans.assigning import (
    PlanInput,
    create_training_plan,
    sync_all_plans,
    sync_user_plans,
)
from app.services.learning.plans.progress import list_plans, summarize_plan
from tests.factories import make_course, make_plan, make_user


def _enrolled(db, course):
    return {u for (u,) in db.session.execute(
        select(Enrollment.user_id).where(Enrollment.course_id == course.id))}


def test_plan_enrolls_matching_cadres_of_the_subtree(tree, db):
    course = make_course()
    staff_a = make_user(unit=tree["jiefangbei"], rank=Rank.STAFF)
    staff_b = make_user(unit=tree["chaotianmen"], rank=Rank.STAFF)
    section = make_user(unit=tree["jiefangbei"], rank=Rank.SECTION)
    elsewhere = make_user(unit=tree["guanyinqiao"], rank=Rank.STAFF)
    plan = make_plan(unit=tree["yuzhong"], courses=[course], ranks=[Rank.STAFF])
    enrolled = _enrolled(db, course)
    assert {staff_a.id, staff_b.id} <= enrolled
    assert section.id not in enrolled and elsewhere.id not in enrolled
    row = db.session.scalar(select(Enrollment).where(Enrollment.user_id == staff_a.id))
    assert row.source is EnrollmentSource.PLAN and row.plan_id == plan.id
    assert row.due_on == date(2026, 12, 31)


def test_self_enrollment_becomes_assigned(tree, db):
    course = make_course()
    cadre = make_user(unit=tree["jiefangbei"])
    enroll_in_course(course, actor=cadre)
    make_plan(unit=tree["yuzhong"], courses=[course])
    row = db.session.scalar(select(Enrollment).where(Enrollment.user_id == cadre.id))
    assert row.source is EnrollmentSource.PLAN
    assert db.session.scalar(select(func.count(Enrollment.id))
                             .where(Enrollment.user_id == cadre.id)) == 1


def test_later_joiners_are_enrolled_at_sign_in_or_by_sync(tree, db):
    course = make_course()
    make_plan(unit=tree["yuzhong"], courses=[course], due_on=date(2099, 12, 31))
    newcomer = make_user(unit=tree["chaotianmen"])
    assert newcomer.id not in _enrolled(db, course)
    assert sync_user_plans(newcomer, date(2026, 5, 1)) == 1
    assert newcomer.id in _enrolled(db, course)
    assert sync_user_plans(newcomer, date(2026, 5, 1)) == 0
    another = make_user(unit=tree["jiefangbei"])
    assert sync_all_plans(date(2026, 5, 1)) == 1
    assert another.id in _enrolled(db, course)


def test_a_sign_in_with_nothing_to_change_reads_once_and_writes_nothing(tree, db,
                                                                        count_queries):
    first, second = make_course("DC101"), make_course("SE220")
    plan = make_plan(unit=tree["yuzhong"], courses=[first, second], due_on=date(2099, 6, 30))
    cadre = make_user(unit=tree["chaotianmen"])
    assert sync_user_plans(cadre, date(2026, 5, 1)) == 2
    db.session.commit()
    with count_queries() as calm:
        assert sync_user_plans(cadre, date(2026, 5, 1)) == 0
    assert not [s for s in calm.statements if s.lstrip().upper().startswith(("INSERT",
                                                                           "UPDATE"))]
    # Besides loading the user and the plans with their courses: one read of enrollments.
    assert len([s for s in calm.statements if "FROM enrollment" in s]) == 1
    # Something to change is never skipped: a self-chosen course the plan now assigns, a
    # plan whose due date moved.
    extra = make_course("DA110")
    enroll_in_course(extra, actor=cadre)
    plan.courses.append(extra)
    plan.due_on = date(2099, 12, 31)
    db.session.flush()
    sync_user_plans(cadre, date(2026, 5, 1))
    rows = db.session.scalars(select(Enrollment).where(Enrollment.user_id == cadre.id)).all()
    assert {(row.source, row.due_on) for row in rows} == {
        (EnrollmentSource.PLAN, date(2099, 12, 31))}


def test_expired_plans_do_not_enroll_newcomers(tree, db):
    course = make_course()
    make_plan(unit=tree["yuzhong"], courses=[course], due_on=date(2026, 3, 31))
    newcomer = make_user(unit=tree["chaotianmen"])
    assert sync_user_plans(newcomer, date(2026, 4, 1)) == 0


def test_hr_plans_only_inside_their_scope(tree):
    course = make_course()
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    data = PlanInput("江北计划", 2026, tree["jiangbei"], [], [], [course], date(2026, 12, 31))
    with pytest.raises(PermissionDenied):
        create_training_plan(data, actor=hr)
    cadre = make_user(unit=tree["jiefangbei"])
    with pytest.raises(PermissionDenied):
        create_training_plan(data, actor=cadre)


def test_plans_take_only_required_eligible_courses(tree):
    elective = make_course(kind=CourseKind.ELECTIVE)
    hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    data = PlanInput("计划", 2026, tree["yuzhong"], [], [], [elective], date(2026, 12, 31))
    with pytest.raises(ServiceError, match="course_not_assignable"):
        create_training_plan(data, actor=hr)


def test_plan_list_is_scoped(tree):
    course = make_course()
    make_plan(unit=tree["yuzhong"], courses=[course], title="渝中计划")
    make_plan(unit=tree["jiangbei"], courses=[course], title="江北计划")
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    assert [p.title for p in list_plans(actor=hr)] == ["渝中计划"]


def test_plan_summary_counts_finished_and_overdue(tree):
    a, b = make_course("AA101", lessons=1), make_course("BB101", lessons=1)
    done = make_user(unit=tree["jiefangbei"], name="完成者")
    half = make_user(unit=tree["jiefangbei"], name="半途者")
    make_user(unit=tree["chaotianmen"], name="未开始")
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    plan = make_plan(unit=tree["yuzhong"], courses=[a, b], due_on=date(2026, 6, 30), actor=hr)
    for user, courses in ((done, (a, b)), (half, (a,))):
        for course in courses:
            enrollment = enroll_in_course(course, actor=user)
            complete_lesson(enrollment, course.lessons[0], actor=user)
    before = summarize_plan(plan, actor=hr, today=date(2026, 6, 30))
    assert (before.members, before.finished, before.overdue_members) == (4, 1, 0)
    assert before.overdue.total == 0
    after = summarize_plan(plan, actor=hr, today=date(2026, 7, 1))
    assert after.overdue_members == 3
    assert {row.user.name for row in after.overdue.items} >= {"半途者", "未开始"}
    assert {c.code: (c.enrolled, c.completed) for c in after.courses} == {
        "AA101": (4, 2), "BB101": (4, 1)}


def test_a_cadre_with_an_extension_is_not_overdue_until_their_own_date(tree, db):
    from app.models import PlanDueExtension

    course = make_course("AA101", lessons=1)
    late = make_user(unit=tree["jiefangbei"], name="延期者")
    make_user(unit=tree["jiefangbei"], name="未延期")
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    plan = make_plan(unit=tree["yuzhong"], courses=[course], due_on=date(2026, 6, 30), actor=hr)
    db.session.add(PlanDueExtension(plan_id=plan.id, user_id=late.id, due_on=date(2026, 9, 30),
                                    reason="援藏挂职", document_ref="渝中组〔2026〕12号",
                                    granted_by_id=hr.id))
    db.session.flush()
    july = summarize_plan(plan, actor=hr, today=date(2026, 7, 1))
    assert "延期者" not in {row.user.name for row in july.overdue.items}
    assert july.overdue_members == july.members - 1 == july.overdue.total
    october = summarize_plan(plan, actor=hr, today=date(2026, 10, 1))
    assert "延期者" in {row.user.name for row in october.overdue.items}
    assert october.overdue_members == october.members
