from decimal import Decimal as D

import pytest

from app.domain.class_completion import CompletionState
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.services.core.errors import PermissionDenied
from app.services.training.completion import (
    CompletionFilter,
    class_standings,
    count_states,
    page_of,
    standing_of_member,
)
from tests.factories import make_user
from tests.services.training.completion_setup import (
    AB,
    AFTER,
    LV,
    MIDWAY,
    L,
    P,
    make_scene,
    populate,
)


@pytest.fixture
def scene(tree):
    return populate(make_scene(tree), tree)


def _by_key(scene, standings):
    keys = {user.id: key for key, user in scene.members.items()}
    return {keys[s.user.id]: s for s in standings}


def test_after_the_class_each_member_stands_as_the_rules_say(scene):
    standings = _by_key(scene, class_standings(
        scene.training_class, actor=scene.creator, now=AFTER).standings)

    assert set(standings) == {"done", "late_course", "leave", "no_show", "failed", "after"}
    done = standings["done"]
    assert done.state is CompletionState.MET and done.standing.attended_hours == D("16")
    assert done.standing.scheduled_hours == D("16") and done.standing.test_passed is True

    late = standings["late_course"]
    assert late.state is CompletionState.MET and late.progress.courses.late == ("DC101",)

    leave = standings["leave"]  # 12 of 16 hours: a leave does not count
    assert leave.standing.attended_hours == D("12") and leave.standing.missing == ["attendance"]
    assert leave.state is CompletionState.AT_RISK

    no_show = standings["no_show"]
    assert no_show.standing.attended_hours == 0
    assert no_show.standing.missing == ["attendance", "courses", "test"]
    assert no_show.standing.courses_missing == ("DC101", "SE220")
    assert no_show.progress.test_taken is False

    failed = standings["failed"]
    assert failed.standing.missing == ["test"] and failed.progress.test_failed
    after = standings["after"]  # SE220 completed after the class's last day
    assert after.standing.courses_missing == ("SE220",)
    assert after.progress.courses.overdue == ("SE220",)


def test_midway_absence_beyond_reach_is_at_risk_and_the_rest_in_progress(tree):
    scene = make_scene(tree, with_test=False, with_courses=False)
    street = tree["jiefangbei"]
    scene.add_member("two", unit=street, attendance=[P, P])
    scene.add_member("one", unit=street, attendance=[P, AB])  # 4 + 8 to come = 12 < 12.8
    scene.add_member("leave_ahead", unit=street, attendance=[P, P, LV])  # 8 + 4 = 12
    scene.add_member("late", unit=street, attendance=[L, None])  # 4 + 8: out of reach
    db.session.commit()

    standings = _by_key(scene, class_standings(
        scene.training_class, actor=scene.creator, now=MIDWAY).standings)

    assert standings["two"].state is CompletionState.IN_PROGRESS
    assert standings["two"].progress.remaining_hours == D("8")
    assert standings["one"].state is CompletionState.AT_RISK
    assert standings["leave_ahead"].progress.remaining_hours == D("4")
    assert standings["leave_ahead"].state is CompletionState.AT_RISK
    assert standings["late"].standing.attended_hours == D("4")
    assert standings["late"].standing.test_passed is None  # the class has no test


def test_members_are_listed_by_unit_then_employee_number(scene, tree):
    standings = class_standings(scene.training_class, actor=scene.creator, now=AFTER).standings
    units = [s.user.org_unit.code for s in standings]
    assert units == sorted(units) and units[-1] == tree["chaotianmen"].code


def test_who_may_read_the_standings(scene, tree):
    hr_in_scope = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    hr_outside = make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"])
    other_trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    member = scene.members["done"]
    for actor in (hr_in_scope, admin, scene.creator):
        assert len(class_standings(scene.training_class, actor=actor, now=AFTER).standings) == 6
    for actor in (hr_outside, other_trainer, member):
        with pytest.raises(PermissionDenied):
            class_standings(scene.training_class, actor=actor, now=AFTER)


def test_a_member_reads_their_own_standing_only(scene, tree):
    member, other = scene.members["leave"], scene.members["done"]
    mine = standing_of_member(scene.training_class, member, actor=member, now=AFTER)
    assert mine.user.id == member.id and mine.standing.attended_hours == D("12")
    with pytest.raises(PermissionDenied):
        standing_of_member(scene.training_class, other, actor=member, now=AFTER)
    assert standing_of_member(scene.training_class, other, actor=scene.creator,
                              now=AFTER).state is CompletionState.MET
    outsider = make_user(unit=tree["jiefangbei"])
    assert standing_of_member(scene.training_class, outsider, actor=outsider, now=AFTER) is None


def test_filters_counts_and_pages(scene):
    standings = class_standings(scene.training_class, actor=scene.creator, now=AFTER).standings
    counts = count_states(standings)
    assert counts[CompletionState.MET] == 2 and counts[CompletionState.AT_RISK] == 4
    assert counts[CompletionState.IN_PROGRESS] == 0

    def names(selection):
        return sorted(s.user.name for s in standings if selection.admits(s))

    assert names(CompletionFilter(state=CompletionState.MET)) == ["学员done", "学员late_course"]
    assert names(CompletionFilter(reason="test")) == ["学员failed", "学员no_show"]
    assert names(CompletionFilter(reason="courses", state=CompletionState.AT_RISK)) == [
        "学员after", "学员no_show"]
    assert names(CompletionFilter(search="  LEAVE ")) == ["学员leave"]
    username = scene.members["failed"].username
    assert names(CompletionFilter(search=username.lower())) == ["学员failed"]
    page = page_of(standings, page=2, per_page=4)
    assert page.total == 6 and page.pages == 2 and len(page.items) == 2


def test_the_standings_take_the_same_queries_for_6_or_40_members(scene, tree, count_queries):
    def statements():
        db.session.expire_all()
        with count_queries() as counter:
            class_standings(scene.training_class, actor=scene.creator, now=AFTER)
        return counter.count

    few = statements()
    for i in range(34):
        scene.add_member(f"x{i}", unit=tree["jiefangbei"], attendance=[P, P, P, P],
                         completed={"DC101": AFTER}, test=i % 2 == 0)
    db.session.commit()
    assert statements() == few <= 12  # six for the standings, the rest the access check
