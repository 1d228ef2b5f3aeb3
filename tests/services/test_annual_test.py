from collections import Counter

import pytest

from app.domain.assessment import ANNUAL_AREAS, annual_draw_rules
from app.domain.vocabulary import CompetencyArea, Rank, RoleName
from app.services.assessment.annual_test import annual_test_for, create_annual_tests
from app.services.assessment.attempts import AttemptRefused, start_attempt
from tests.factories import make_question, make_user


@pytest.fixture
def shared_bank(db):
    for area in ANNUAL_AREAS:
        for difficulty, count in ((1, 5), (2, 4), (3, 3)):
            for i in range(count):
                make_question(f"SB-{area.upper()}-{difficulty}{i:02d}", course=None,
                              area=CompetencyArea(area), difficulty=difficulty)


def test_blueprints_cover_every_area_with_eight_questions():
    for tier in ("foundation", "intermediate", "advanced"):
        rules = annual_draw_rules(tier)
        per_area = Counter()
        for rule in rules:
            per_area[rule["area"]] += rule["count"]
        assert per_area == {area: 8 for area in ANNUAL_AREAS}


def test_annual_tests_are_created_once_per_tier(db):
    first = create_annual_tests(2026, actor=None)
    again = create_annual_tests(2026, actor=None)
    assert [q.code for q in first] == ["ANNUAL-2026-foundation", "ANNUAL-2026-intermediate",
                                       "ANNUAL-2026-advanced"]
    assert [q.id for q in first] == [q.id for q in again]


def test_a_cadre_draws_forty_questions_of_their_tier(tree, shared_bank, db):
    create_annual_tests(2026, actor=None)
    staff = make_user(unit=tree["jiefangbei"], rank=Rank.STAFF)
    quiz = annual_test_for(staff, 2026)
    assert quiz.code == "ANNUAL-2026-foundation" and quiz.question_count == 40
    from app.services.assessment.quizzes import quiz_status

    quiz.opens_at = None
    quiz.closes_at = None
    attempt = start_attempt(quiz, actor=staff)
    assert len(attempt.questions) == 40
    assert Counter(q["area"] for q in attempt.questions) == {a: 8 for a in ANNUAL_AREAS}
    assert Counter(q["difficulty"] for q in attempt.questions) == {1: 20, 2: 15, 3: 5}
    assert len({q["key"] for q in attempt.questions}) == 40
    leader = make_user(unit=tree["city"], rank=Rank.BUREAU, roles=[RoleName.HR],
                       scope=tree["city"])
    with pytest.raises(AttemptRefused, match="not_enrolled"):
        start_attempt(quiz, actor=leader)  # leaders take the advanced test
    assert quiz_status(annual_test_for(leader, 2026), actor=leader).quiz.tier.value == "advanced"


def test_a_bank_too_small_refuses_to_start(tree, db):
    create_annual_tests(2026, actor=None)
    staff = make_user(unit=tree["jiefangbei"], rank=Rank.STAFF)
    quiz = annual_test_for(staff, 2026)
    quiz.opens_at = quiz.closes_at = None
    with pytest.raises(AttemptRefused, match="not_enough_questions"):
        start_attempt(quiz, actor=staff)
