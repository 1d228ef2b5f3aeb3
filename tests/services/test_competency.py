from datetime import timedelta
from decimal import Decimal

import pytest

from app.domain.competency import HALF_LIFE_DAYS, ProficiencyLevel
from app.domain.vocabulary import AttemptState, CompetencyArea, CourseStatus
from app.extensions import db
from app.models import Attempt, AttemptAnswer
from app.models.types import utcnow
from app.services.learning.enrollment import enroll_in_course
from app.services.records.competency import (
    build_competency_profile,
    courses_for_area,
    mastery_profile,
)
from tests.factories import make_course, make_exercise, make_question, make_quiz, make_user

DATA = CompetencyArea.DATA


def graded_attempt(quiz, user, answers, *, days_ago=0, state=AttemptState.GRADED):
    """An attempt graded ``days_ago`` with (question_key, area, points, max_points) answers."""
    number = db.session.query(Attempt).filter_by(quiz_id=quiz.id, user_id=user.id).count() + 1
    when = utcnow() - timedelta(days=days_ago)
    attempt = Attempt(quiz_id=quiz.id, user_id=user.id, number=number, seed=1, questions=[],
                      state=state, started_at=when, submitted_at=when,
                      graded_at=when if state is AttemptState.GRADED else None,
                      max_score=sum(Decimal(a[3]) for a in answers))
    attempt.answers = [AttemptAnswer(position=i, question_key=key, area=area,
                                     points=Decimal(points), max_points=Decimal(out_of))
                       for i, (key, area, points, out_of) in enumerate(answers)]
    db.session.add(attempt)
    db.session.flush()
    return attempt


@pytest.fixture
def setup(tree):
    course = make_course("DA110", areas=(DATA,))
    easy = make_question("DA110-Q01", course=course, difficulty=1)
    hard = make_question("DA110-Q02", course=course, difficulty=3)
    quiz = make_quiz(course, [easy, hard])
    return {"course": course, "quiz": quiz, "cadre": make_user(unit=tree["jiefangbei"]),
            "easy": easy, "hard": hard}


def test_no_evidence_leaves_every_area_without_a_level(setup):
    profile = build_competency_profile(setup["cadre"], now=utcnow())
    assert set(profile.standings) == set(CompetencyArea)
    assert all(s.mastery is None and s.items == 0 and s.level is None
               for s in profile.standings.values())
    assert profile.weakest is CompetencyArea.MINDSET  # no evidence anywhere: first area


def test_recent_evidence_is_weighted_more(setup):
    quiz, cadre = setup["quiz"], setup["cadre"]
    graded_attempt(quiz, cadre, [("DA110-Q01", DATA, 0, 2)] * 5, days_ago=2 * HALF_LIFE_DAYS)
    graded_attempt(quiz, cadre, [("DA110-Q01", DATA, 2, 2)] * 5, days_ago=0)
    standing = mastery_profile(cadre, now=utcnow())[DATA]
    assert standing.mastery == pytest.approx(80.0, abs=0.1)  # weights 0.25 and 1
    assert standing.items == 10
    assert standing.demanding_items == 0
    assert standing.level is ProficiencyLevel.INTERMEDIATE  # no demanding items yet


def test_hard_questions_and_exercise_tasks_count_as_demanding(setup):
    quiz, cadre = setup["quiz"], setup["cadre"]
    exercise = make_exercise(setup["course"], code="DA110/grid")
    graded_attempt(quiz, cadre, [("DA110-Q01", DATA, 2, 2)] * 7 + [("DA110-Q02", DATA, 2, 2)])
    graded_attempt(exercise, cadre, [("DA110/grid/T1", DATA, 2, 2), ("DA110/grid/T3", DATA, 1, 2)])
    standing = mastery_profile(cadre, now=utcnow())[DATA]
    assert standing.items == 10 and standing.demanding_items == 3
    assert standing.demanding_mastery == pytest.approx(83.3)
    assert standing.mastery == 95.0
    assert standing.level is ProficiencyLevel.ADVANCED


def test_only_graded_attempts_and_the_cadres_own_count(setup, tree):
    quiz, cadre = setup["quiz"], setup["cadre"]
    other = make_user(unit=tree["jiefangbei"])
    graded_attempt(quiz, cadre, [("DA110-Q01", DATA, 2, 2)] * 6, state=AttemptState.SUBMITTED)
    graded_attempt(quiz, other, [("DA110-Q01", DATA, 2, 2)] * 6)
    assert mastery_profile(cadre, now=utcnow())[DATA].items == 0


def test_weakest_area_suggests_uncompleted_published_courses_covering_it(setup, tree):
    cadre = setup["cadre"]
    for area in CompetencyArea:
        graded_attempt(setup["quiz"], cadre, [("X", area, 2 if area is not DATA else 1, 2)] * 5)
    make_course("DA210", areas=(DATA,))
    make_course("DA999", areas=(DATA,), status=CourseStatus.DRAFT)
    make_course("MS101", areas=(CompetencyArea.MINDSET,))
    done = make_course("DA120", areas=(DATA,))
    enroll_in_course(done, actor=cadre).completed_at = utcnow()
    profile = build_competency_profile(cadre, now=utcnow())
    assert profile.weakest is DATA
    assert [c.code for c in profile.next_courses] == ["DA110", "DA210"]


def test_no_course_left_for_the_area(setup):
    assert courses_for_area(setup["cadre"], CompetencyArea.SECURITY) == []


def test_profile_queries_do_not_grow_with_attempts(setup, count_queries):
    quiz, cadre = setup["quiz"], setup["cadre"]
    graded_attempt(quiz, cadre, [("DA110-Q01", DATA, 1, 2)] * 3)
    build_competency_profile(cadre, now=utcnow())  # the shared course list is kept from here
    with count_queries() as few:
        build_competency_profile(cadre, now=utcnow())
    for days in range(40):
        graded_attempt(quiz, cadre, [("DA110-Q01", DATA, 1, 2), ("DA110-Q02", DATA, 2, 2),
                                     ("K", CompetencyArea.SECURITY, 1, 1)], days_ago=days)
    with count_queries() as many:
        profile = build_competency_profile(cadre, now=utcnow())
    assert profile.standings[DATA].items == 83
    assert many.count == few.count <= 4


def test_courses_whose_prerequisites_are_missing_wait(setup):
    cadre, basics = setup["cadre"], setup["course"]
    make_course("DA210", areas=(DATA,), prerequisites=[basics])
    assert [c.code for c in courses_for_area(cadre, DATA)] == ["DA110"]
    enroll_in_course(basics, actor=cadre).completed_at = utcnow()
    assert [c.code for c in courses_for_area(cadre, DATA)] == ["DA210"]


def test_the_dashboard_focus_is_the_weakest_area_and_its_courses(setup):
    from app.services.records.home_pages import summarize_study_focus

    cadre = setup["cadre"]
    for area in CompetencyArea:
        graded_attempt(setup["quiz"], cadre, [("X", area, 1 if area is DATA else 2, 2)] * 5)
    focus = summarize_study_focus(actor=cadre, now=utcnow())
    assert focus.area is DATA and focus.standing.mastery == 50.0
    assert [c.code for c in focus.courses] == ["DA110"]
