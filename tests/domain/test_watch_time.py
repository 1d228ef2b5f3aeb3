"""What a player's report may credit, checked with plain values."""

import random
from datetime import UTC, datetime, timedelta

from app.domain.watch_time import (
    Presence,
    Report,
    WatchRules,
    budget_start,
    covered_seconds,
    creditable_interval,
    merge_intervals,
    next_presence_due,
    presence_state,
    watch_budget,
)

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
RULES = WatchRules()


def test_overlapping_and_touching_intervals_merge_and_count_once():
    merged = merge_intervals([[30, 45], [0, 15], [10, 20], [20.3, 25], [100, 90]])
    assert merged == [[0.0, 25.0], [30.0, 45.0]]
    assert covered_seconds([[0, 15], [0, 15], [5, 10]]) == 15.0


def test_the_budget_is_the_wall_clock_times_the_fastest_rate():
    assert watch_budget(T0, T0 + timedelta(seconds=60), RULES) == 75.0
    assert watch_budget(None, T0, RULES) == 0.0
    assert watch_budget(T0, T0 - timedelta(seconds=5), RULES) == 0.0  # a clock going back
    fast = WatchRules(clock_factor=20)
    assert watch_budget(T0, T0 + timedelta(seconds=3), fast) == 75.0


def test_an_hour_posted_after_a_minute_credits_a_minute_and_a_quarter():
    interval = creditable_interval(Report(0, 3600), budget=75.0, furthest=0, first_viewing=True,
                                   duration=7200)
    assert interval == [0.0, 75.0]


def test_intervals_past_the_end_are_clipped_and_in_the_future_refused():
    assert creditable_interval(Report(590, 700), budget=200, furthest=600, first_viewing=True,
                               duration=600) == [590.0, 600.0]
    assert creditable_interval(Report(650, 700), budget=200, furthest=600, first_viewing=False,
                               duration=600) is None


def test_a_first_viewing_gains_nothing_beyond_the_furthest_point():
    assert creditable_interval(Report(300, 315), budget=20, furthest=100, first_viewing=True,
                               duration=600) is None
    assert creditable_interval(Report(300, 315), budget=20, furthest=100, first_viewing=False,
                               duration=600) == [300.0, 315.0]
    assert creditable_interval(Report(100.5, 115), budget=20, furthest=100, first_viewing=True,
                               duration=600) == [100.5, 115.0]


def test_a_hidden_page_credits_nothing():
    assert creditable_interval(Report(0, 15, visible=False), budget=20, furthest=0,
                               first_viewing=True, duration=600) is None


def test_the_presence_check_asks_when_due_then_waits_a_minute_then_is_missed():
    due = T0 + timedelta(minutes=12)
    state = lambda now, asked=None: presence_state(now=now, due_at=due, asked_at=asked,  # noqa: E731
                                                   rules=RULES)
    assert state(T0) is Presence.NOT_DUE
    assert state(due) is Presence.ASK
    assert state(due + timedelta(seconds=59), asked=due) is Presence.WAITING
    assert state(due + timedelta(seconds=61), asked=due) is Presence.MISSED


def test_checks_come_ten_to_twenty_minutes_apart_faster_on_a_fast_clock():
    rng = random.Random(7)
    gaps = [(next_presence_due(T0, RULES, rng) - T0).total_seconds() for _ in range(200)]
    assert min(gaps) >= 600 and max(gaps) <= 1200
    assert max(gaps) - min(gaps) > 300  # random, not fixed
    fast = next_presence_due(T0, WatchRules(clock_factor=20), rng) - T0
    assert timedelta(seconds=30) <= fast <= timedelta(seconds=60)


def test_a_late_report_then_a_prompt_one_loses_nothing():
    """Reports arriving at 15, 36 (late), 45, 60... s each say 15 s were played: all count
    (the second leaves budget the third uses), and never more than the clock allows."""
    last, furthest, credited = T0, 0.0, []
    for step, arrival in enumerate([15, 36, 45, 60, 75, 90]):
        now = T0 + timedelta(seconds=arrival)
        budget = watch_budget(last, now, RULES)
        interval = creditable_interval(Report(step * 15, step * 15 + 15), budget=budget,
                                       furthest=furthest, first_viewing=True, duration=600)
        credited.append(interval)
        furthest = max(furthest, interval[1])
        last = budget_start(now, budget, interval[1] - interval[0], RULES)
    assert merge_intervals(credited) == [[0.0, 90.0]]


def test_unused_budget_carries_at_most_thirty_seconds():
    # An hour without reports, then a report of an hour: 75 s, plus nothing saved up.
    last = budget_start(T0, watch_budget(T0 - timedelta(hours=1), T0, RULES), 0.0, RULES)
    assert watch_budget(last, T0 + timedelta(seconds=60), RULES) == 75.0 + 30.0
