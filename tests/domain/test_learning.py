from datetime import UTC, date, datetime

from app.domain import completion
from app.domain.completion import Requirement, is_complete, pending
from app.domain.learning import (
    Candidate,
    audience_matches,
    is_overdue,
    local_year,
    local_year_bounds,
    missing_prerequisites,
    progress_percent,
    recommend_courses,
)
from app.domain.vocabulary import CourseTier, Rank, WorkCategory

F, MID, A = CourseTier.FOUNDATION, CourseTier.INTERMEDIATE, CourseTier.ADVANCED


def test_progress_percent():
    assert progress_percent(0, 4) == 0
    assert progress_percent(1, 3) == 33
    assert progress_percent(3, 3) == 100
    assert progress_percent(5, 3) == 100
    assert progress_percent(0, 0) == 0


def test_audience_matches_empty_lists_mean_everyone():
    assert audience_matches([], [], Rank.STAFF, WorkCategory.ECONOMY)
    assert audience_matches(["staff"], [], Rank.STAFF, WorkCategory.ECONOMY)
    assert not audience_matches(["bureau"], [], Rank.STAFF, WorkCategory.ECONOMY)
    assert not audience_matches([], ["public_service"], Rank.STAFF, WorkCategory.ECONOMY)


def test_missing_prerequisites():
    assert missing_prerequisites(["B", "A"], ["A"]) == ["B"]
    assert missing_prerequisites([], []) == []


def test_overdue_only_when_past_due_and_unfinished():
    assert is_overdue(date(2026, 6, 30), False, date(2026, 7, 1))
    assert not is_overdue(date(2026, 6, 30), False, date(2026, 6, 30))
    assert not is_overdue(date(2026, 6, 30), True, date(2026, 7, 1))
    assert not is_overdue(None, False, date(2026, 7, 1))


def test_hours_count_in_the_city_year():
    assert local_year(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == 2026
    assert local_year(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == 2027


def test_a_city_year_runs_from_local_midnight_to_local_midnight_in_utc():
    start, end = local_year_bounds(2026)
    assert start == datetime(2025, 12, 31, 16, 0, tzinfo=UTC) and start.tzinfo is UTC
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC) and end.tzinfo is UTC
    assert local_year(start) == 2026 and local_year(end) == 2027


def _candidate(code, tier, ranks=(), categories=(), prerequisites=()):
    return Candidate(code, tier, tuple(ranks), tuple(categories), tuple(prerequisites))


def test_recommendations_fit_rank_category_and_prerequisites():
    candidates = [
        _candidate("ADV", A),
        _candidate("INT", MID, prerequisites=["FND"]),
        _candidate("FND", F),
        _candidate("SOC", F, categories=["social_governance"]),
        _candidate("LEAD", MID, ranks=["bureau"]),
    ]
    staff = recommend_courses(candidates, rank=Rank.STAFF,
                              category=WorkCategory.SOCIAL_GOVERNANCE, completed=[])
    assert staff == ["SOC", "FND", "ADV"]  # targeted first, then tier; INT locked, LEAD not theirs
    after = recommend_courses(candidates, rank=Rank.STAFF,
                              category=WorkCategory.SOCIAL_GOVERNANCE, completed=["FND"])
    assert "INT" in after
    leader = recommend_courses(candidates, rank=Rank.BUREAU, category=WorkCategory.ECONOMY,
                               completed=["FND"], limit=2)
    assert leader == ["ADV", "INT"]


def test_completion_needs_lessons_and_every_requirement():
    assert not is_complete([])
    assert not is_complete([Requirement("lessons", 0, 0)])
    assert not is_complete([Requirement("lessons", 2, 3)])
    assert is_complete([Requirement("lessons", 3, 3)])
    both = [Requirement("lessons", 3, 3), Requirement("quizzes", 0, 1)]
    assert not is_complete(both)
    assert [r.key for r in pending(both)] == ["quizzes"]


def test_finding_12_progress_counts_every_requirement():
    lessons_done = [Requirement("lessons", 3, 3), Requirement("quizzes", 0, 1),
                    Requirement("exercises", 0, 0)]
    assert completion.progress_percent(lessons_done) == 75
    assert completion.next_requirement(lessons_done) == "quizzes"
    # Rounding never shows 100 before the course is complete.
    nearly = [Requirement("lessons", 199, 199), Requirement("exercises", 0, 1)]
    assert completion.progress_percent(nearly) == 99
    everything = [Requirement("lessons", 2, 2), Requirement("quizzes", 1, 1),
                  Requirement("exercises", 1, 1)]
    assert completion.progress_percent(everything) == 100
    assert completion.next_requirement(everything) is None
    assert completion.progress_percent([]) == 0


def test_finding_12_in_progress_means_enrolled_and_not_completed():
    assert completion.course_state(enrolled=False, completed=False) == "none"
    assert completion.course_state(enrolled=True, completed=False) == "in_progress"
    assert completion.course_state(enrolled=True, completed=True) == "completed"
