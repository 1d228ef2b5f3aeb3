"""Training classes on plain values: the schedule, places and the waitlist, the audience,
applications and a roster file of 工号."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from app.domain.class_vocabulary import ClassStatus, MemberStatus
from app.domain.training_classes import (
    ApplicationCase,
    ApplyRefusal,
    Audience,
    Person,
    Slot,
    application_refusal,
    check_name_list,
    first_overlap,
    in_audience,
    may_decide,
    may_withdraw,
    most_hours,
    placement,
    schedule_problems,
    session_times,
    sessions_outside,
    split_by_capacity,
    to_promote,
    username_column,
)
from app.domain.vocabulary import Rank, WorkCategory

DAY = date(2026, 5, 11)


def slot(start: str, end: str, *, day=DAY, id=None) -> Slot:
    typed = session_times(day, time.fromisoformat(start), time.fromisoformat(end))
    return Slot(typed.starts_at, typed.ends_at, id)


def problems(candidate, hours="3", others=(), starts_on=DAY, ends_on=date(2026, 5, 12)):
    found = schedule_problems(candidate, Decimal(hours), starts_on=starts_on, ends_on=ends_on,
                              others=others)
    return {(p.field, p.code) for p in found}


def test_beijing_times_are_stored_in_utc():
    morning = session_times(DAY, time(9), time(12))
    assert morning.starts_at == datetime(2026, 5, 11, 1, 0, tzinfo=UTC)
    assert morning.ends_at == datetime(2026, 5, 11, 4, 0, tzinfo=UTC)
    # 07:30 in Beijing is still the day before in UTC: the class's day is Beijing's.
    early = slot("07:30", "08:15")
    assert early.starts_at.day == 10 and problems(early, "0.5") == set()


@pytest.mark.parametrize(("start", "end", "most"), [
    ("09:00", "12:00", "3.0"), ("09:00", "09:45", "1.0"), ("09:00", "09:30", "0.5"),
    ("14:00", "17:10", "3.5"), ("09:00", "09:00", "0"),
])
def test_hours_may_reach_the_length_rounded_up_to_half_an_hour(start, end, most):
    assert most_hours(slot(start, end)) == Decimal(most)


def test_a_good_session_has_no_problems():
    assert problems(slot("09:00", "12:00"), "3") == set()
    assert problems(slot("09:00", "09:45"), "1") == set()  # 45 minutes may count one 学时


def test_each_problem_names_its_field():
    assert problems(slot("09:00", "12:00", day=date(2026, 5, 13))) == {("day", "outside_dates")}
    assert problems(slot("12:00", "09:00")) == {("ends", "end_before_start")}
    assert problems(slot("09:00", "12:00"), "0") == {("hours", "hours_positive")}
    assert problems(slot("09:00", "12:00"), "-1") == {("hours", "hours_positive")}
    assert problems(slot("09:00", "12:00"), "3.5") == {("hours", "hours_too_many")}
    found = schedule_problems(slot("09:00", "10:00"), Decimal("2"), starts_on=DAY, ends_on=DAY,
                              others=())
    assert found[0].params == {"most": Decimal("1.0")}


def test_sessions_may_touch_but_not_overlap():
    morning = slot("09:00", "12:00", id=1)
    assert problems(slot("12:00", "13:00"), "1", [morning]) == set()
    assert problems(slot("08:00", "09:00"), "1", [morning]) == set()
    assert problems(slot("11:30", "13:00"), "1", [morning]) == {("ends", "overlaps")}
    assert problems(slot("10:00", "11:00"), "1", [morning]) == {("ends", "overlaps")}
    assert problems(slot("08:00", "13:00"), "1", [morning]) == {("ends", "overlaps")}


def test_a_session_edited_in_place_does_not_overlap_itself():
    morning = slot("09:00", "12:00", id=1)
    afternoon = slot("14:00", "17:00", id=2)
    assert problems(slot("09:30", "12:00", id=1), "2", [morning, afternoon]) == set()
    clash = first_overlap(slot("11:00", "15:00", id=1), [morning, afternoon])
    assert clash == afternoon


def test_the_earliest_clash_is_named():
    first, second = slot("09:00", "10:00", id=1), slot("10:00", "11:00", id=2)
    assert first_overlap(slot("08:00", "12:00"), [second, first]) == first


def test_sessions_outside_new_dates():
    monday, tuesday = slot("09:00", "12:00"), slot("09:00", "12:00", day=date(2026, 5, 12))
    assert sessions_outside([monday, tuesday], DAY, DAY) == [tuesday]
    assert sessions_outside([monday, tuesday], DAY, date(2026, 5, 12)) == []


def test_capacity_counts_enrolled_members_and_the_rest_wait_in_order():
    assert split_by_capacity(5, capacity=30, enrolled=28) == (2, 3)
    assert split_by_capacity(5, capacity=30, enrolled=30) == (0, 5)
    assert split_by_capacity(5, capacity=30, enrolled=31) == (0, 5)  # over after an edit
    assert split_by_capacity(0, capacity=30, enrolled=0) == (0, 0)
    assert placement(capacity=2, enrolled=1) is MemberStatus.ENROLLED
    assert placement(capacity=2, enrolled=2) is MemberStatus.WAITLISTED


def test_freed_places_go_to_the_first_waiting():
    assert to_promote(capacity=30, enrolled=29, waiting=4) == 1
    assert to_promote(capacity=30, enrolled=25, waiting=4) == 4
    assert to_promote(capacity=30, enrolled=30, waiting=4) == 0
    assert to_promote(capacity=30, enrolled=20, waiting=0) == 0


def test_which_members_may_be_withdrawn_or_decided():
    assert all(may_withdraw(s) for s in (MemberStatus.APPLIED, MemberStatus.WAITLISTED,
                                         MemberStatus.ENROLLED))
    assert not may_withdraw(MemberStatus.REJECTED) and not may_withdraw(MemberStatus.WITHDRAWN)
    assert may_decide(MemberStatus.APPLIED) and not may_decide(MemberStatus.ENROLLED)


YUZHONG = Audience(root_path="/1/2/", ranks=("staff",), categories=())


def test_the_audience_is_the_subtree_narrowed_by_rank_and_category():
    staff = {"rank": Rank.STAFF, "category": WorkCategory.ECONOMY}
    assert in_audience(YUZHONG, unit_path="/1/2/", **staff)
    assert in_audience(YUZHONG, unit_path="/1/2/7/", **staff)
    assert not in_audience(YUZHONG, unit_path="/1/3/", **staff)
    assert not in_audience(YUZHONG, unit_path="/1/20/", **staff)  # a sibling, not a child
    assert not in_audience(YUZHONG, unit_path="/1/2/", rank=Rank.SECTION,
                           category=WorkCategory.ECONOMY)
    everyone = Audience(root_path="/1/")
    assert in_audience(everyone, unit_path="/1/3/", rank=Rank.BUREAU,
                       category=WorkCategory.PUBLIC_SERVICE)


def _case(**changes):
    values = {"class_status": ClassStatus.OPEN, "open_to_applications": True,
              "starts_on": date(2026, 6, 1), "in_audience": True}
    values.update(changes)
    return ApplicationCase(**values)


@pytest.mark.parametrize(("changes", "refusal"), [
    ({}, None),
    ({"class_status": ClassStatus.DRAFT}, ApplyRefusal.NOT_OPEN),
    ({"class_status": ClassStatus.CANCELLED}, ApplyRefusal.NOT_OPEN),
    ({"open_to_applications": False}, ApplyRefusal.NOMINATION_ONLY),
    ({"starts_on": date(2026, 5, 19)}, ApplyRefusal.STARTED),
    ({"in_audience": False}, ApplyRefusal.NOT_IN_AUDIENCE),
    ({"member_status": MemberStatus.WAITLISTED}, ApplyRefusal.ALREADY),
    ({"member_status": MemberStatus.REJECTED}, ApplyRefusal.REJECTED),
    ({"member_status": MemberStatus.WITHDRAWN}, ApplyRefusal.REMOVED),
    ({"member_status": MemberStatus.WITHDRAWN, "withdrew_themselves": True}, None),
])
def test_who_may_apply(changes, refusal):
    assert application_refusal(_case(**changes), date(2026, 5, 19)) is refusal


def test_applications_close_on_the_first_day():
    assert application_refusal(_case(), date(2026, 5, 31)) is None
    assert application_refusal(_case(), date(2026, 6, 1)) is ApplyRefusal.STARTED


def test_the_username_column_is_found_by_its_chinese_or_english_header():
    assert username_column(["姓名", "工号"]) == 1
    assert username_column(["Username"]) == 0
    assert username_column([" 工号 ", None]) == 0
    assert username_column(["员工编号"]) == 0
    assert username_column(["姓名", None]) is None


def test_a_name_list_is_checked_row_by_row():
    people = {
        "CQ1": Person(1, "/1/2/", Rank.STAFF, WorkCategory.ECONOMY),
        "CQ2": Person(2, "/1/3/", Rank.STAFF, WorkCategory.ECONOMY),  # 江北: outside
        "CQ3": Person(3, "/1/2/5/", Rank.SECTION, WorkCategory.ECONOMY),  # wrong rank
        "CQ4": Person(4, "/1/2/5/", Rank.STAFF, WorkCategory.ECONOMY),
    }
    rows = [(2, "cq1"), (3, ""), (4, "CQ2"), (5, "CQ3"), (6, "NOPE"), (7, "ＣＱ１"), (8, "CQ4")]
    check = check_name_list(rows, people, YUZHONG)
    assert check.user_ids == [1, 4]
    assert [(p.row, p.value, p.code) for p in check.problems] == [
        (4, "CQ2", "outside_audience"), (5, "CQ3", "outside_audience"),
        (6, "NOPE", "unknown"), (7, "ＣＱ１", "duplicate")]
    assert check.problems[-1].params == {"first_row": 2}
