from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.domain.grading import ResponseError
from app.domain.vocabulary import AttemptState, CreditKind, GradingMethod
from app.models import Attempt, HourCredit, Question, QuizResult, TimeAccommodation
from app.models.types import utcnow
from app.services.assessment.attempts import (
    AttemptRefused,
    find_attempt_for,
    save_answer,
    save_answers,
    start_attempt,
    submit_attempt,
)
from app.services.core.errors import NotFound
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from tests.factories import make_course, make_question, make_quiz, make_user


@pytest.fixture
def setup(tree):
    course = make_course("DA110", lessons=1, hours="5")
    questions = [make_question(f"DA110-Q{i:02d}", course=course) for i in range(1, 5)]
    quiz = make_quiz(course, questions, pass_mark=60, max_attempts=3)
    cadre = make_user(unit=tree["jiefangbei"])
    enrollment = enroll_in_course(course, actor=cadre)
    return {"course": course, "quiz": quiz, "cadre": cadre, "enrollment": enrollment,
            "questions": questions}


def _answer(attempt, position, correct=True, seq=1):
    item = attempt.questions[position]
    index = item["spec"]["answer"] if correct else (item["spec"]["answer"] + 1) % 3
    return save_answer(attempt, position, {"value": [item["display"]["ids"][index]]},
                       client_seq=seq, actor=attempt.user)


def test_start_snapshots_questions_and_resumes(setup, db):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    assert attempt.number == 1 and attempt.state is AttemptState.IN_PROGRESS
    assert [q["key"] for q in sorted(attempt.questions, key=lambda q: q["key"])] == [
        "DA110-Q01", "DA110-Q02", "DA110-Q03", "DA110-Q04"]
    assert attempt.max_score == 8
    assert start_attempt(setup["quiz"], actor=setup["cadre"]).id == attempt.id  # resumes


def test_later_edits_do_not_change_a_started_attempt(setup, db):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    position = next(i for i, q in enumerate(attempt.questions) if q["key"] == "DA110-Q01")
    question = db.session.scalar(select(Question).where(Question.key == "DA110-Q01"))
    question.spec = {"options": ["x", "y", "z"], "answer": 2}
    db.session.flush()
    assert _answer(attempt, position)  # the key as shown at the start still counts
    for other in range(4):
        if other != position:
            _answer(attempt, other)
    submit_attempt(attempt, actor=setup["cadre"])
    assert attempt.score == 8 and attempt.passed


def test_only_one_open_attempt_even_if_the_check_is_raced(setup, db):
    first = start_attempt(setup["quiz"], actor=setup["cadre"])
    db.session.add(Attempt(quiz_id=setup["quiz"].id, user_id=setup["cadre"].id, number=2,
                           seed=1, questions=[], max_score=0))
    with pytest.raises(Exception, match="(?i)unique|constraint"):
        db.session.flush()
    db.session.rollback()
    assert first.id is not None


def test_refusals(setup, tree, db):
    stranger = make_user(unit=tree["jiefangbei"])
    with pytest.raises(AttemptRefused, match="not_enrolled"):
        start_attempt(setup["quiz"], actor=stranger)
    quiz = setup["quiz"]
    quiz.opens_at = utcnow() + timedelta(days=1)
    with pytest.raises(AttemptRefused, match="not_open_yet"):
        start_attempt(quiz, actor=setup["cadre"])
    quiz.opens_at, quiz.closes_at = None, utcnow() - timedelta(minutes=1)
    with pytest.raises(AttemptRefused, match="closed"):
        start_attempt(quiz, actor=setup["cadre"])
    quiz.closes_at, quiz.max_attempts = None, 1
    attempt = start_attempt(quiz, actor=setup["cadre"])
    submit_attempt(attempt, actor=setup["cadre"])
    with pytest.raises(AttemptRefused, match="no_attempts_left"):
        start_attempt(quiz, actor=setup["cadre"])


def test_another_cadres_attempt_is_not_found(setup, tree):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    other = make_user(unit=tree["jiefangbei"])
    with pytest.raises(NotFound):
        find_attempt_for(attempt.id, actor=other)


def test_a_stale_autosave_never_overwrites_a_newer_one(setup, db):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    assert _answer(attempt, 0, correct=True, seq=200)
    assert not _answer(attempt, 0, correct=False, seq=100)  # arrived late
    assert not _answer(attempt, 0, correct=False, seq=200)
    submit_attempt(attempt, actor=setup["cadre"])
    saved = {a.position: a.points for a in attempt.answers}
    assert saved[0] == Decimal("2.00")


def _raw(attempt, position, correct=True):
    item = attempt.questions[position]
    index = item["spec"]["answer"] if correct else (item["spec"]["answer"] + 1) % 3
    return {"value": [item["display"]["ids"][index]]}


def test_a_whole_form_save_keeps_newer_autosaves_and_reports_bad_answers(setup, db):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    assert _answer(attempt, 0, correct=True, seq=500)  # an autosave newer than the form
    assert _answer(attempt, 1, correct=False, seq=100)  # an older one the form replaces
    raws = {0: _raw(attempt, 0, correct=False), 1: _raw(attempt, 1), 2: _raw(attempt, 2),
            3: {"value": ["deadbeef"]}}
    refused = save_answers(attempt, raws, client_seq=300, actor=setup["cadre"])
    assert list(refused) == [3] and refused[3].code == "unknown_option"
    submit_attempt(attempt, actor=setup["cadre"])
    points = {a.position: a.points for a in attempt.answers}
    assert points == {0: Decimal("2.00"), 1: Decimal("2.00"), 2: Decimal("2.00"),
                      3: Decimal("0.00")}


def test_a_whole_form_save_runs_the_same_few_statements_for_4_or_40_answers(
        tree, count_queries):
    counts = []
    for size in (4, 40):
        course = make_course(f"BK{size}", lessons=1)
        questions = [make_question(f"BK{size}-Q{i:02d}", course=course) for i in range(size)]
        quiz = make_quiz(course, questions, max_attempts=3)
        cadre = make_user(unit=tree["jiefangbei"])
        enroll_in_course(course, actor=cadre)
        attempt = start_attempt(quiz, actor=cadre)
        _answer(attempt, 0, seq=1)  # one stored already: the form updates it, inserts the rest
        raws = {position: _raw(attempt, position) for position in range(size)}
        with count_queries() as counter:
            assert save_answers(attempt, raws, client_seq=2, actor=cadre) == {}
        counts.append(counter.count)
        assert len(attempt.answers) == size
    assert counts[0] == counts[1] <= 6


def test_a_whole_form_save_falls_back_when_an_autosave_inserts_meanwhile(setup, monkeypatch):
    """Between reading the stored counters and inserting, an autosave stored position 0."""
    from app.services.assessment import attempts as module

    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    real_select = module.select
    calls = []

    def select_then_autosave(*args, **kwargs):
        statement = real_select(*args, **kwargs)
        if not calls and args and args[0] is module.AttemptAnswer.position:
            calls.append(True)
            _answer(attempt, 0, correct=True, seq=900)
        return statement

    monkeypatch.setattr(module, "select", select_then_autosave)
    raws = {0: _raw(attempt, 0, correct=False), 1: _raw(attempt, 1)}
    assert save_answers(attempt, raws, client_seq=300, actor=setup["cadre"]) == {}
    monkeypatch.setattr(module, "select", real_select)
    submit_attempt(attempt, actor=setup["cadre"])
    points = {a.position: a.points for a in attempt.answers}
    assert calls and points[0] == Decimal("2.00") and points[1] == Decimal("2.00")


def test_bad_answers_are_refused_and_change_nothing(setup):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    with pytest.raises(ResponseError, match="not one of"):
        save_answer(attempt, 0, {"value": ["deadbeef"]}, client_seq=1, actor=setup["cadre"])
    with pytest.raises(ResponseError, match="not part of the attempt"):
        save_answer(attempt, 99, {"value": ["x"]}, client_seq=1, actor=setup["cadre"])
    assert attempt.answers == []


def test_submitting_twice_grades_once(setup, db):
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    for position in range(4):
        _answer(attempt, position, correct=position < 3)
    results = [submit_attempt(attempt, actor=setup["cadre"]) for _ in range(20)]
    assert results.count(True) == 1
    assert attempt.state is AttemptState.GRADED and attempt.percent == 75
    with pytest.raises(AttemptRefused, match="closed"):
        _answer(attempt, 0)


def test_after_the_deadline_only_answers_saved_in_time_count(setup, db, app):
    setup["quiz"].time_limit_minutes = 10
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    _answer(attempt, 0)
    _answer(attempt, 1)
    # Time passes: those two were saved ten minutes ago, the deadline was five minutes ago.
    for answer in attempt.answers:
        answer.saved_at = utcnow() - timedelta(minutes=10)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.flush()
    with pytest.raises(AttemptRefused, match="time_up"):
        _answer(attempt, 2)
    submit_attempt(attempt, actor=setup["cadre"])
    assert attempt.score == 4 and attempt.state is AttemptState.GRADED


def test_accommodation_extends_the_deadline(setup, db):
    setup["quiz"].time_limit_minutes = 30
    db.session.add(TimeAccommodation(user_id=setup["cadre"].id, extra_percent=50))
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    assert attempt.deadline_at - attempt.started_at == timedelta(minutes=45)


def test_passing_the_quiz_completes_the_course_and_credits_hours(setup, db):
    complete_lesson(setup["enrollment"], setup["course"].lessons[0], actor=setup["cadre"])
    assert setup["enrollment"].completed_at is None  # the graded quiz is still pending
    attempt = start_attempt(setup["quiz"], actor=setup["cadre"])
    for position in range(4):
        _answer(attempt, position, correct=position != 0)  # 75 %
    submit_attempt(attempt, actor=setup["cadre"])
    assert setup["enrollment"].completed_at is not None
    credit = db.session.scalar(select(HourCredit))
    assert credit.hours == 5 and credit.kind is CreditKind.ELECTIVE


def test_failing_then_passing_under_each_grading_method(setup, db):
    quiz = setup["quiz"]

    def take(correct_count):
        attempt = start_attempt(quiz, actor=setup["cadre"])
        for position in range(4):
            _answer(attempt, position, correct=position < correct_count)
        submit_attempt(attempt, actor=setup["cadre"])

    take(1)  # 25 %
    take(3)  # 75 %
    take(2)  # 50 %
    result = db.session.scalar(select(QuizResult))
    expected = {GradingMethod.HIGHEST: (75, True), GradingMethod.LATEST: (50, False),
                GradingMethod.FIRST: (25, False), GradingMethod.AVERAGE: (50, False)}
    from app.services.assessment.grading import refresh_quiz_result

    for method, (percent, passed) in expected.items():
        quiz.grading_method = method
        refresh_quiz_result(quiz, setup["cadre"].id)
        assert (result.percent, result.passed, result.attempts) == (percent, passed, 3), method


def test_essays_leave_the_attempt_pending(setup, db):
    essay = make_question("DA110-Q09", type="essay", spec={"rubric": "要点"},
                          course=setup["course"], points=10)
    quiz = make_quiz(setup["course"], [essay], code="DA110/essay")
    attempt = start_attempt(quiz, actor=setup["cadre"])
    save_answer(attempt, 0, {"value": ["我的分析……"]}, client_seq=1, actor=setup["cadre"])
    submit_attempt(attempt, actor=setup["cadre"])
    assert attempt.state is AttemptState.SUBMITTED and attempt.score is None
    assert db.session.scalar(select(func.count(QuizResult.id))) == 0


def test_submitting_fifty_questions_runs_a_bounded_number_of_queries(setup, db, count_queries):
    questions = [make_question(f"BIG-{i:03d}", course=setup["course"]) for i in range(50)]
    quiz = make_quiz(setup["course"], questions, code="DA110/big")
    attempt = start_attempt(quiz, actor=setup["cadre"])
    for position in range(50):
        _answer(attempt, position, correct=position % 2 == 0)
    db.session.commit()
    attempt = db.session.get(Attempt, attempt.id)
    with count_queries() as counter:
        submit_attempt(attempt, actor=attempt.user)
    assert attempt.percent == 50
    assert counter.count <= 20
