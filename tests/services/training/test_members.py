"""Enrollment: nominations from the org tree and from a roster file, applications, the
waitlist, withdrawals, and the cadre's own pages (我的培训班, the class as a member sees it)."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.domain.class_vocabulary import ClassStatus, MemberSource, MemberStatus
from app.domain.training_classes import ApplyRefusal
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.models import ClassMember
from app.services.core.errors import PermissionDenied
from app.services.training.applications import (
    ApplicationRefused,
    apply_to_class,
    list_open_classes,
    withdraw_own_place,
)
from app.services.training.class_pages import list_my_classes, member_view
from app.services.training.classes import (
    ClassRefused,
    cancel_training_class,
    publish_training_class,
)
from app.services.training.members import (
    MemberRefused,
    approve_application,
    list_members,
    reject_application,
    status_counts,
    withdraw_member,
)
from app.services.training.nominations import (
    NameListInvalid,
    TreeChoice,
    nominate_from_file,
    nominate_from_tree,
    preview_tree_nomination,
)
from tests.factories import (
    audit_events,
    make_class,
    make_class_session,
    make_course,
    make_member,
    make_user,
)

TODAY = date(2026, 5, 20)


@pytest.fixture
def hr(tree, db):
    user = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"],
                     username="HRYZ", rank=Rank.SECTION)
    db.session.commit()
    return user


def _statuses(training_class):
    return dict(status_counts(training_class))


def _members(db, training_class):
    return {m.user_id: m.status for m in db.session.scalars(
        select(ClassMember).where(ClassMember.class_id == training_class.id))}


def test_nominating_a_unit_fills_the_places_in_order_and_the_rest_wait(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=3,
                                ranks=[Rank.STAFF])
    people = [make_user(unit=tree["jiefangbei"], username=f"CQ{i}") for i in range(5)]
    make_user(unit=tree["jiefangbei"], rank=Rank.SECTION, username="SECTION")  # not audience
    make_user(unit=tree["guanyinqiao"], username="JB1")  # another district
    inactive = make_user(unit=tree["jiefangbei"], username="GONE")
    inactive.active = False
    choice = TreeChoice(unit=tree["yuzhong"])
    preview = preview_tree_nomination(training_class, choice, actor=hr)
    assert (preview.matching, preview.already, preview.enrolled, preview.waitlisted) == \
        (5, 0, 3, 2)
    assert db.session.scalar(select(func.count(ClassMember.id))) == 0  # a preview writes nothing
    result = nominate_from_tree(training_class, choice, actor=hr)
    assert (result.enrolled, result.waitlisted, result.already) == (3, 2, 0)
    members = _members(db, training_class)
    assert [members[p.id] for p in people] == [MemberStatus.ENROLLED] * 3 + \
        [MemberStatus.WAITLISTED] * 2
    again = nominate_from_tree(training_class, choice, actor=hr)
    assert (again.matching, again.already, again.new) == (5, 5, 0)
    event = audit_events("classes.nominated")[0]
    assert event.details["enrolled"] == 3 and event.details["unit"] == "500103"


def test_nominating_narrows_by_rank_and_category_within_the_class_subtree(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr)
    economy = make_user(unit=tree["chaotianmen"], category=WorkCategory.ECONOMY)
    make_user(unit=tree["chaotianmen"])
    make_user(unit=tree["jiefangbei"], category=WorkCategory.ECONOMY)
    choice = TreeChoice(unit=tree["chaotianmen"], categories=[WorkCategory.ECONOMY])
    assert nominate_from_tree(training_class, choice, actor=hr).enrolled == 1
    assert list(_members(db, training_class)) == [economy.id]
    with pytest.raises(ClassRefused) as refused:
        preview_tree_nomination(training_class, TreeChoice(unit=tree["guanyinqiao"]), actor=hr)
    assert refused.value.code == "outside_class"


def test_only_managers_nominate(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr)
    outsider = make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"])
    with pytest.raises(PermissionDenied):
        nominate_from_tree(training_class, TreeChoice(unit=tree["yuzhong"]), actor=outsider)
    with pytest.raises(PermissionDenied):
        nominate_from_file(training_class, b"\xe5\xb7\xa5\xe5\x8f\xb7\nX\n", actor=outsider)


def test_nomination_query_count_does_not_grow_with_the_people(tree, hr, db, count_queries):
    small_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=2)
    large_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=20, title="大班")
    for i in range(3):
        make_user(unit=tree["jiefangbei"], username=f"S{i}")
    db.session.commit()
    with count_queries() as small:
        nominate_from_tree(small_class, TreeChoice(unit=tree["yuzhong"]), actor=hr)
    for i in range(40):
        make_user(unit=tree["chaotianmen"], username=f"L{i}")
    db.session.commit()
    with count_queries() as large:
        result = nominate_from_tree(large_class, TreeChoice(unit=tree["yuzhong"]), actor=hr)
    assert (result.enrolled, result.waitlisted) == (20, 24)  # 43 cadres and the HR user
    assert large.count == small.count


def _csv(*usernames, header="工号"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header])
    for name in usernames:
        writer.writerow([name])
    return buffer.getvalue().encode("utf-8-sig")


def test_a_roster_file_nominates_in_its_order(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=2)
    a, b, c = (make_user(unit=tree["jiefangbei"], username=name) for name in ("CQA", "CQB", "CQC"))
    workbook = Workbook()
    workbook.active.append(["姓名", "工号"])
    for user in (c, a, b):
        workbook.active.append([user.name, user.username.lower()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = nominate_from_file(training_class, buffer.getvalue(), actor=hr)
    assert (result.enrolled, result.waitlisted) == (2, 1)
    members = _members(db, training_class)
    assert (members[c.id], members[a.id], members[b.id]) == (
        MemberStatus.ENROLLED, MemberStatus.ENROLLED, MemberStatus.WAITLISTED)
    assert audit_events("classes.nominated")[0].details["source"] == "file"


def test_a_roster_file_with_any_bad_row_changes_nothing(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr, ranks=[Rank.STAFF])
    make_user(unit=tree["jiefangbei"], username="GOOD")
    make_user(unit=tree["guanyinqiao"], username="JIANGBEI")
    make_user(unit=tree["jiefangbei"], username="BOSS", rank=Rank.DIVISION)
    data = _csv("GOOD", "NOBODY", "JIANGBEI", "BOSS", "good")
    with pytest.raises(NameListInvalid) as invalid:
        nominate_from_file(training_class, data, actor=hr)
    assert [(p.row, p.code) for p in invalid.value.problems] == [
        (3, "unknown"), (4, "outside_audience"), (5, "outside_audience"), (6, "duplicate")]
    assert _members(db, training_class) == {}


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    ("姓名\n李明\n".encode(), "missing_header"),
    ("工号\n\n".encode(), "no_data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old_xls"),
])
def test_a_roster_file_that_cannot_be_read_says_why(tree, hr, data, code):
    training_class = make_class(unit=tree["yuzhong"], actor=hr)
    with pytest.raises(NameListInvalid) as invalid:
        nominate_from_file(training_class, data, actor=hr)
    assert invalid.value.file_error.code == code


def test_a_roster_file_brings_back_a_withdrawn_member_and_keeps_enrolled_ones(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=5)
    kept = make_user(unit=tree["jiefangbei"], username="KEPT")
    back = make_user(unit=tree["jiefangbei"], username="BACK")
    make_member(training_class, kept)
    make_member(training_class, back, MemberStatus.WITHDRAWN)
    result = nominate_from_file(training_class, _csv("KEPT", "BACK"), actor=hr)
    assert (result.already, result.enrolled) == (1, 1)
    assert _members(db, training_class)[back.id] is MemberStatus.ENROLLED


def _open_class(tree, hr, **fields):
    values = {"capacity": 1, "open_to_applications": True, "starts_on": date(2026, 6, 1),
              "ends_on": date(2026, 6, 2), "publish": True}
    values.update(fields)
    return make_class(unit=tree["yuzhong"], actor=hr, **values)


def test_cadres_apply_and_the_organizer_decides(tree, hr, db):
    training_class = _open_class(tree, hr)
    first, second, third = (make_user(unit=tree["jiefangbei"]) for _ in range(3))
    applications = [apply_to_class(training_class, actor=u, today=TODAY)
                    for u in (first, second, third)]
    assert {a.status for a in applications} == {MemberStatus.APPLIED}
    assert applications[0].source is MemberSource.APPLIED
    assert approve_application(applications[0], actor=hr).member.status is MemberStatus.ENROLLED
    assert approve_application(applications[1], actor=hr).member.status is \
        MemberStatus.WAITLISTED  # the class is full
    with pytest.raises(MemberRefused) as refused:
        reject_application(applications[2], "", actor=hr)
    assert refused.value.code == "reason_required"
    reject_application(applications[2], "名额已满，下期优先", actor=hr)
    assert applications[2].status is MemberStatus.REJECTED
    with pytest.raises(MemberRefused):
        approve_application(applications[2], actor=hr)
    with pytest.raises(ApplicationRefused) as again:
        apply_to_class(training_class, actor=third, today=TODAY)
    assert again.value.refusal is ApplyRefusal.REJECTED
    assert [e.details["to"] for e in audit_events("classes.application_approved")] == [
        "enrolled", "waitlisted"]


def test_who_may_not_apply(tree, hr, db):
    training_class = _open_class(tree, hr, ranks=[Rank.STAFF])
    section = make_user(unit=tree["jiefangbei"], rank=Rank.SECTION)
    jiangbei = make_user(unit=tree["guanyinqiao"])
    staff = make_user(unit=tree["jiefangbei"])
    for user, refusal in ((section, ApplyRefusal.NOT_IN_AUDIENCE),
                          (jiangbei, ApplyRefusal.NOT_IN_AUDIENCE)):
        with pytest.raises(ApplicationRefused) as refused:
            apply_to_class(training_class, actor=user, today=TODAY)
        assert refused.value.refusal is refusal
    with pytest.raises(ApplicationRefused) as refused:
        apply_to_class(training_class, actor=staff, today=date(2026, 6, 1))
    assert refused.value.refusal is ApplyRefusal.STARTED
    nominated_only = make_class(unit=tree["yuzhong"], actor=hr, publish=True,
                                title="只接受推荐")
    with pytest.raises(ApplicationRefused) as refused:
        apply_to_class(nominated_only, actor=staff, today=TODAY)
    assert refused.value.refusal is ApplyRefusal.NOMINATION_ONLY


def test_withdrawing_a_member_lets_the_first_waiting_in(tree, hr, db):
    training_class = _open_class(tree, hr, capacity=1)
    seated = make_member(training_class, make_user(unit=tree["jiefangbei"]))
    later = make_member(training_class, make_user(unit=tree["jiefangbei"]),
                        MemberStatus.WAITLISTED)
    db.session.flush()
    earlier = make_member(training_class, make_user(unit=tree["jiefangbei"]),
                          MemberStatus.WAITLISTED, requested_at=later.requested_at.replace(
                              year=2025))
    with pytest.raises(MemberRefused):
        withdraw_member(seated, " ", actor=hr)
    decision = withdraw_member(seated, "工作调动", actor=hr)
    assert decision.promoted == [earlier.user_id]
    assert (seated.status, earlier.status, later.status) == (
        MemberStatus.WITHDRAWN, MemberStatus.ENROLLED, MemberStatus.WAITLISTED)
    assert seated.reason == "工作调动"
    event = audit_events("classes.member_withdrawn")[0]
    assert event.details["promoted"] == [earlier.user_id] and event.details["from"] == "enrolled"
    with pytest.raises(MemberRefused):
        withdraw_member(seated, "再来一次", actor=hr)


def test_a_cadre_withdraws_their_own_application_and_may_apply_again(tree, hr, db):
    training_class = _open_class(tree, hr)
    cadre = make_user(unit=tree["jiefangbei"])
    apply_to_class(training_class, actor=cadre, today=TODAY)
    withdraw_own_place(training_class, actor=cadre)
    assert _members(db, training_class)[cadre.id] is MemberStatus.WITHDRAWN
    assert apply_to_class(training_class, actor=cadre, today=TODAY).status is \
        MemberStatus.APPLIED
    approve_application(db.session.scalar(select(ClassMember)), actor=hr)
    with pytest.raises(ApplicationRefused):
        withdraw_own_place(training_class, actor=cadre)  # a seat: ask the organizer
    removed = make_user(unit=tree["jiefangbei"])
    member = make_member(training_class, removed, MemberStatus.WAITLISTED)
    withdraw_member(member, "不符合条件", actor=hr)
    with pytest.raises(ApplicationRefused) as refused:
        apply_to_class(training_class, actor=removed, today=TODAY)
    assert refused.value.refusal is ApplyRefusal.REMOVED


def test_the_member_list_filters_pages_and_counts(tree, hr, db):
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=3)
    for i in range(5):
        make_member(training_class, make_user(unit=tree["jiefangbei"]),
                    MemberStatus.ENROLLED if i < 3 else MemberStatus.WAITLISTED)
    page = list_members(training_class, actor=hr, status=MemberStatus.WAITLISTED, per_page=1)
    assert (page.total, page.pages, len(page.items)) == (2, 2, 1)
    assert _statuses(training_class) == {MemberStatus.ENROLLED: 3, MemberStatus.WAITLISTED: 2}
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    with pytest.raises(PermissionDenied):
        list_members(training_class, actor=trainer)


def test_open_classes_are_those_the_cadre_may_apply_to(tree, hr, db):
    cadre = make_user(unit=tree["jiefangbei"])
    city_hr = make_user(unit=tree["city"], roles=[RoleName.HR], scope=tree["city"])
    for_all = _open_class(tree, hr, title="全区班")
    make_class(unit=tree["city"], actor=city_hr, title="全市班", open_to_applications=True,
               publish=True, starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 1))
    _open_class(tree, hr, title="科级班", ranks=[Rank.SECTION])
    _open_class(tree, hr, title="已开班", starts_on=TODAY, ends_on=TODAY)
    make_class(unit=tree["jiangbei"], actor=city_hr, title="江北班", open_to_applications=True,
               publish=True)
    make_class(unit=tree["yuzhong"], actor=hr, title="草稿班", open_to_applications=True)
    assert [o.training_class.title for o in list_open_classes(actor=cadre, today=TODAY)] == [
        "全区班", "全市班"]
    apply_to_class(for_all, actor=cadre, today=TODAY)
    assert [o.training_class.title for o in list_open_classes(actor=cadre, today=TODAY)] == [
        "全市班"]


def test_my_classes_shows_upcoming_then_past_with_schedules_and_courses(tree, hr, db):
    cadre = make_user(unit=tree["jiefangbei"])
    course = make_course("DC101")
    past = make_class(unit=tree["yuzhong"], actor=hr, title="上月的班", publish=True,
                      starts_on=date(2026, 4, 1), ends_on=date(2026, 4, 1))
    soon = make_class(unit=tree["yuzhong"], actor=hr, title="下月的班", sessions=2,
                      starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 2),
                      courses_before=[course])
    make_class_session(soon, day=date(2026, 6, 1), starts="14:00", ends="17:00",
                       topic="数据安全")
    publish_training_class(soon, actor=hr)
    draft = make_class(unit=tree["yuzhong"], actor=hr, title="草稿")
    rejected = make_class(unit=tree["yuzhong"], actor=hr, title="被拒", publish=True)
    cancelled = make_class(unit=tree["yuzhong"], actor=hr, title="取消了", publish=True,
                           starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 1))
    for training_class in (past, soon, draft, cancelled):
        make_member(training_class, cadre)
    make_member(rejected, cadre, MemberStatus.REJECTED)
    cancel_training_class(cancelled, "改期", actor=hr)
    mine = list_my_classes(actor=cadre, today=TODAY)
    assert [c.training_class.title for c in mine.upcoming] == ["下月的班"]
    assert [c.training_class.title for c in mine.past] == ["取消了", "上月的班"]
    upcoming = mine.upcoming[0]
    assert [s.topic for s in upcoming.sessions] == ["数字政府建设专题讲座", "数据安全",
                                                    "数字政府建设专题讲座"]
    assert [(c.course.code, c.due) for c in upcoming.courses] == [("DC101", "before")]


def test_my_classes_reads_a_bounded_number_of_queries(tree, hr, db, count_queries):
    cadre = make_user(unit=tree["jiefangbei"])
    make_member(make_class(unit=tree["yuzhong"], actor=hr, publish=True), cadre)
    db.session.commit()
    with count_queries() as one:
        list_my_classes(actor=cadre, today=TODAY)
    for i in range(4):
        make_member(make_class(unit=tree["yuzhong"], actor=hr, publish=True, sessions=2,
                               title=f"班{i}", courses_during=[make_course(f"C{i}")]), cadre)
    db.session.commit()
    db.session.expire_all()
    with count_queries() as five:
        assert len(list_my_classes(actor=cadre, today=TODAY).upcoming) == 5
    assert five.count <= one.count + 1  # the course rows' query joins in once there are any


def test_the_class_page_is_for_members_and_those_who_may_apply(tree, hr, db):
    training_class = _open_class(tree, hr)
    member, applicant, outsider = (make_user(unit=u) for u in (
        tree["jiefangbei"], tree["chaotianmen"], tree["guanyinqiao"]))
    make_member(training_class, member)
    assert member_view(training_class, actor=member, today=TODAY).member.user_id == member.id
    view = member_view(training_class, actor=applicant, today=TODAY)
    assert view.member is None and view.may_apply
    with pytest.raises(PermissionDenied):
        member_view(training_class, actor=outsider, today=TODAY)
    draft = make_class(unit=tree["yuzhong"], actor=hr, title="草稿")
    make_member(draft, member)
    with pytest.raises(PermissionDenied):
        member_view(draft, actor=member, today=TODAY)
    assert training_class.status is ClassStatus.OPEN
