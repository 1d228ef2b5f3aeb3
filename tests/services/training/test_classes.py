"""Class management: create, edit, publish, cancel, the schedule, and who may do each."""

from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.class_vocabulary import ClassStatus, MemberStatus
from app.domain.vocabulary import Rank, RoleName
from app.models import ClassSession
from app.services.core.errors import PermissionDenied
from app.services.training.class_pages import class_overview
from app.services.training.classes import (
    ClassInput,
    ClassRefused,
    cancel_training_class,
    create_training_class,
    linked_courses,
    list_class_test_quizzes,
    list_class_units,
    list_managed_classes,
    publish_training_class,
    update_training_class,
)
from app.services.training.schedule import (
    SessionInput,
    SessionRefused,
    add_class_session,
    delete_class_session,
    update_class_session,
)
from tests.factories import (
    audit_events,
    make_class,
    make_class_session,
    make_course,
    make_member,
    make_question,
    make_quiz,
    make_user,
)


def _input(unit, **changes):
    values = {"title": "渝中区数字治理专题培训班", "organizer": "中共渝中区委党校",
              "org_unit": unit, "starts_on": date(2026, 6, 1), "ends_on": date(2026, 6, 3),
              "venue": "区委党校 201", "capacity": 2}
    values.update(changes)
    return ClassInput(**values)


@pytest.fixture
def people(tree, db):
    made = {
        "trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="教员"),
        "other_trainer": make_user(unit=tree["city"], roles=[RoleName.TRAINER], name="别的教员"),
        "hr_yuzhong": make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"]),
        "hr_jiangbei": make_user(unit=tree["jiangbei"], roles=[RoleName.HR],
                                 scope=tree["jiangbei"]),
        "cadre": make_user(unit=tree["jiefangbei"]),
    }
    db.session.commit()
    return made


def test_hr_creates_a_draft_class_with_linked_courses_and_an_audience(tree, people):
    before, during = make_course("DC101"), make_course("DA110")
    training_class = create_training_class(_input(
        tree["yuzhong"], ranks=[Rank.STAFF], courses_before=[before], courses_during=[during]),
        actor=people["hr_yuzhong"])
    assert training_class.status is ClassStatus.DRAFT
    assert training_class.ranks == ["staff"] and training_class.categories == []
    assert (training_class.attendance_share, training_class.late_after_minutes,
            training_class.opens_before_minutes) == (80, 10, 30)
    links = linked_courses([training_class.id])[training_class.id]
    assert [(link.course.code, link.due) for link in links] == [("DA110", "during"),
                                                                ("DC101", "before")]
    assert [e.target for e in audit_events("classes.created")] == [
        f"training_class:{training_class.id}"]


def test_hr_creates_classes_only_in_scope_but_trainers_anywhere(tree, people):
    with pytest.raises(PermissionDenied):
        create_training_class(_input(tree["jiangbei"]), actor=people["hr_yuzhong"])
    with pytest.raises(PermissionDenied):
        create_training_class(_input(tree["city"]), actor=people["cadre"])
    assert create_training_class(_input(tree["jiangbei"]), actor=people["trainer"]).id
    hr_units = {u.code for u in list_class_units(people["hr_yuzhong"])}
    assert hr_units == {"500103", "500103001", "500103002"}
    assert len(list_class_units(people["trainer"])) == 6


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"title": "  "}, "title", "required"),
    ({"venue": ""}, "venue", "required"),
    ({"ends_on": date(2026, 5, 31)}, "ends_on", "before_start"),
    ({"capacity": 0}, "capacity", "positive"),
    ({"attendance_share": 101}, "attendance_share", "range"),
])
def test_bad_class_input_names_the_field(tree, people, changes, field, code):
    with pytest.raises(ClassRefused) as refused:
        create_training_class(_input(tree["yuzhong"], **changes), actor=people["hr_yuzhong"])
    assert (refused.value.field, refused.value.code) == (field, code)


def test_a_course_is_required_before_or_during_never_both(tree, people):
    course = make_course("DC101")
    with pytest.raises(ClassRefused) as refused:
        create_training_class(_input(tree["yuzhong"], courses_before=[course],
                                     courses_during=[course]), actor=people["hr_yuzhong"])
    assert refused.value.field == "courses_during"


def test_the_class_test_is_a_graded_quiz_the_actor_may_see(tree, people, db):
    published = make_course("DC101")
    draft = make_course("DR900", status="draft")
    visible = make_quiz(published, [make_question("Q1", course=published)], code="DC101/final")
    hidden = make_quiz(draft, [make_question("Q2", course=draft)], code="DR900/final")
    make_quiz(published, [make_question("Q3", course=published)], code="DC101/practice",
              graded=False)
    assert [q.code for q in list_class_test_quizzes(people["hr_yuzhong"])] == ["DC101/final"]
    with pytest.raises(ClassRefused) as refused:
        create_training_class(_input(tree["yuzhong"], test_quiz=hidden),
                              actor=people["hr_yuzhong"])
    assert refused.value.field == "test_quiz"
    training_class = create_training_class(_input(tree["yuzhong"], test_quiz=visible),
                                           actor=people["hr_yuzhong"])
    assert training_class.test_quiz_id == visible.id


def test_managers_list_the_classes_they_run(tree, people):
    by_trainer = make_class(unit=tree["jiangbei"], actor=people["trainer"], title="教员的班")
    by_hr = make_class(unit=tree["yuzhong"], actor=people["hr_yuzhong"], title="渝中的班")
    make_member(by_hr, people["cadre"])

    def titles(actor):
        return [item.training_class.title for item in list_managed_classes(actor=actor).items]

    assert titles(people["trainer"]) == ["教员的班"]
    assert titles(people["other_trainer"]) == []
    assert titles(people["hr_yuzhong"]) == ["渝中的班"]
    assert titles(people["hr_jiangbei"]) == ["教员的班"]  # a class of their unit
    listed = list_managed_classes(actor=people["hr_yuzhong"]).items[0]
    assert listed.counts == {MemberStatus.ENROLLED: 1}
    assert by_trainer.id


def test_editing_checks_sessions_capacity_and_members(tree, people):
    hr = people["hr_yuzhong"]
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=2,
                                starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 3), sessions=3)
    for _ in range(2):
        make_member(training_class, make_user(unit=tree["jiefangbei"]))
    with pytest.raises(ClassRefused) as refused:
        update_training_class(training_class, _input(tree["yuzhong"], ends_on=date(2026, 6, 2)),
                              actor=hr)
    assert (refused.value.code, refused.value.params) == ("sessions_outside", {"count": 1})
    with pytest.raises(ClassRefused) as refused:
        update_training_class(training_class, _input(tree["yuzhong"], capacity=1), actor=hr)
    assert refused.value.params == {"enrolled": 2}
    with pytest.raises(ClassRefused) as refused:
        update_training_class(training_class, _input(tree["chaotianmen"]), actor=hr)
    assert (refused.value.code, refused.value.params) == ("members_outside", {"count": 2})
    update_training_class(training_class, _input(tree["yuzhong"], title="改名了", capacity=5),
                          actor=hr)
    assert training_class.title == "改名了" and training_class.capacity == 5


def test_a_larger_class_lets_the_first_waiting_in(tree, people):
    hr = people["hr_yuzhong"]
    training_class = make_class(unit=tree["yuzhong"], actor=hr, capacity=1)
    make_member(training_class, make_user(unit=tree["jiefangbei"]))
    first = make_member(training_class, make_user(unit=tree["jiefangbei"]),
                        MemberStatus.WAITLISTED)
    second = make_member(training_class, make_user(unit=tree["jiefangbei"]),
                         MemberStatus.WAITLISTED)
    update_training_class(training_class, _input(tree["yuzhong"], capacity=2), actor=hr)
    assert (first.status, second.status) == (MemberStatus.ENROLLED, MemberStatus.WAITLISTED)
    assert audit_events("classes.updated")[-1].details["promoted"] == [first.user_id]


def test_other_managers_cannot_touch_a_class(tree, people):
    training_class = make_class(unit=tree["jiangbei"], actor=people["trainer"])
    for outsider in (people["other_trainer"], people["hr_yuzhong"], people["cadre"]):
        with pytest.raises(PermissionDenied):
            update_training_class(training_class, _input(tree["jiangbei"]), actor=outsider)
        with pytest.raises(PermissionDenied):
            cancel_training_class(training_class, "理由", actor=outsider)
        with pytest.raises(PermissionDenied):
            class_overview(training_class, actor=outsider)
    class_overview(training_class, actor=people["hr_jiangbei"])  # HR of the class's unit


def test_publishing_needs_a_schedule_and_a_draft(tree, people):
    hr = people["hr_yuzhong"]
    training_class = make_class(unit=tree["yuzhong"], actor=hr)
    with pytest.raises(ClassRefused) as refused:
        publish_training_class(training_class, actor=hr)
    assert refused.value.code == "no_sessions"
    make_class_session(training_class)
    publish_training_class(training_class, actor=hr)
    assert training_class.status is ClassStatus.OPEN
    with pytest.raises(ClassRefused):
        publish_training_class(training_class, actor=hr)
    assert len(audit_events("classes.published")) == 1


def test_cancelling_needs_a_reason_and_ends_changes(tree, people):
    hr = people["hr_yuzhong"]
    training_class = make_class(unit=tree["yuzhong"], actor=hr, publish=True)
    with pytest.raises(ClassRefused) as refused:
        cancel_training_class(training_class, "  ", actor=hr)
    assert refused.value.field == "reason"
    cancel_training_class(training_class, "疫情防控要求，延期举办", actor=hr)
    assert training_class.status is ClassStatus.CANCELLED
    assert training_class.cancel_reason == "疫情防控要求，延期举办"
    assert audit_events("classes.cancelled")[0].details["reason"] == "疫情防控要求，延期举办"
    with pytest.raises(ClassRefused):
        update_training_class(training_class, _input(tree["yuzhong"]), actor=hr)
    with pytest.raises(ClassRefused):
        make_class_session(training_class, day=date(2026, 6, 2))


def _session(day=date(2026, 6, 1), starts="09:00", ends="12:00", hours="3", topic="讲座"):
    return SessionInput(day=day, starts=time.fromisoformat(starts), ends=time.fromisoformat(ends),
                        topic=topic, hours=Decimal(hours), teacher="李老师")


def test_sessions_are_stored_in_utc_with_a_secret_each(tree, people, db):
    training_class = make_class(unit=tree["yuzhong"], actor=people["hr_yuzhong"])
    first = add_class_session(training_class, _session(), actor=people["hr_yuzhong"])
    second = add_class_session(training_class, _session(starts="14:00", ends="17:00"),
                               actor=people["hr_yuzhong"])
    assert first.starts_at.hour == 1 and first.ends_at.hour == 4  # 09:00-12:00 in Beijing
    assert len(first.check_in_secret) == 32 and first.check_in_secret != second.check_in_secret
    assert [s.id for s in training_class.sessions] == [first.id, second.id]
    assert len(audit_events("classes.session_added")) == 2


def test_bad_sessions_are_refused_field_by_field(tree, people, db):
    hr = people["hr_yuzhong"]
    training_class = make_class(unit=tree["yuzhong"], actor=hr)
    add_class_session(training_class, _session(), actor=hr)
    cases = [
        (_session(day=date(2026, 6, 9)), {("day", "outside_dates")}),
        (_session(starts="11:00", ends="13:00", hours="2"), {("ends", "overlaps")}),
        (_session(starts="14:00", ends="13:00"), {("ends", "end_before_start")}),
        (_session(starts="14:00", ends="15:00", hours="1.5"), {("hours", "hours_too_many")}),
        (_session(starts="14:00", ends="15:00", hours="0"), {("hours", "hours_positive")}),
        (_session(starts="14:00", ends="15:00", hours="0.333"), {("hours", "precision")}),
        (_session(starts="14:00", ends="15:00", hours="1", topic=" "), {("topic", "required")}),
    ]
    for data, expected in cases:
        with pytest.raises(SessionRefused) as refused:
            add_class_session(training_class, data, actor=hr)
        assert {(p.field, p.code) for p in refused.value.problems} == expected, data
    assert db.session.scalar(select(ClassSession.id).where(ClassSession.hours != 3)) is None


def test_a_session_moves_in_place_and_deletes_unless_it_has_records(tree, people, db):
    from app.domain.class_vocabulary import AttendanceMethod, AttendanceStatus
    from app.models import Attendance

    hr = people["hr_yuzhong"]
    training_class = make_class(unit=tree["yuzhong"], actor=hr)
    session = add_class_session(training_class, _session(), actor=hr)
    update_class_session(session, _session(starts="09:30", hours="2.5"), actor=hr)
    assert session.hours == Decimal("2.5")
    with pytest.raises(PermissionDenied):
        delete_class_session(session, actor=people["other_trainer"])
    db.session.add(Attendance(session_id=session.id, user_id=people["cadre"].id,
                              status=AttendanceStatus.PRESENT, method=AttendanceMethod.QR))
    db.session.flush()
    with pytest.raises(SessionRefused):
        delete_class_session(session, actor=hr)
    db.session.query(Attendance).delete()
    delete_class_session(session, actor=hr)
    assert db.session.scalar(select(ClassSession.id)) is None
    assert [e.action for e in audit_events("classes.session_deleted")] == [
        "classes.session_deleted"]
