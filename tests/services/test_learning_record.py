from datetime import datetime
from decimal import Decimal

import pytest

from app.domain.learning import CITY_TIMEZONE, local_year
from app.domain.vocabulary import AppealStatus, CompetencyArea, CreditKind, QuizKind, RoleName
from app.extensions import db
from app.models import HourCredit, QuizResult
from app.models.types import utcnow
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.errors import NotFound, PermissionDenied
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from app.services.records.learning_record import (
    BadYear,
    RecordLines,
    build_learning_record,
    find_record_subject,
    record_lines,
)
from tests.factories import (
    make_appeal,
    make_course,
    make_exercise,
    make_question,
    make_quiz,
    make_user,
)
from tests.services.test_competency import graded_attempt

NOW = utcnow()
YEAR = local_year(NOW)


def _credit(user, course, year, hours, kind):
    db.session.add(HourCredit(user_id=user.id, course_id=course.id, year=year,
                              hours=Decimal(hours), kind=kind,
                              credited_at=datetime(year, 6, 1, tzinfo=CITY_TIMEZONE)))


def _pass_course(course, quiz, cadre):
    enrollment = enroll_in_course(course, actor=cadre)
    complete_lesson(enrollment, course.lessons[0], actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    for position, item in enumerate(attempt.questions):
        save_answer(attempt, position, {"value": [item["display"]["ids"][item["spec"]["answer"]]]},
                    client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    return enrollment, attempt


@pytest.fixture
def cadre(tree):
    return make_user(unit=tree["jiefangbei"])


def test_hours_are_totalled_by_year_and_kind(cadre):
    courses = [make_course(f"HC{i}") for i in range(4)]
    _credit(cadre, courses[0], YEAR, "4", CreditKind.REQUIRED)
    _credit(cadre, courses[1], YEAR, "2.5", CreditKind.ELECTIVE)
    _credit(cadre, courses[2], YEAR, "3", CreditKind.ELECTIVE)
    _credit(cadre, courses[3], YEAR - 1, "10", CreditKind.REQUIRED)
    record = build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW)
    assert record.required_hours == 4 and record.elective_hours == Decimal("5.5")
    assert record.total_hours == Decimal("9.5") and record.target == 50
    assert record.percent == 19
    assert [h.code for h in record.hours] == ["HC0", "HC1", "HC2"]
    assert record.years == [YEAR, YEAR - 1]
    last = build_learning_record(cadre, actor=cadre, year=YEAR - 1, now=NOW)
    assert last.total_hours == 10 and last.completed == [] and last.results == []


def test_completed_courses_with_scores_results_and_appeals(cadre):
    course = make_course("DA110", lessons=1, hours="5", areas=(CompetencyArea.DATA,))
    questions = [make_question(f"DA110-Q0{i}", course=course) for i in (1, 2)]
    quiz = make_quiz(course, questions)
    practice = make_quiz(course, questions, code="DA110/practice", graded=False)
    _enrollment, attempt = _pass_course(course, quiz, cadre)
    graded_attempt(practice, cadre, [("DA110-Q01", CompetencyArea.DATA, 0, 2)])
    db.session.add(QuizResult(quiz_id=practice.id, user_id=cadre.id, percent=Decimal(0),
                              passed=False, attempts=1))
    appeal = make_appeal(attempt, 1, "答案有歧义")
    appeal.status, appeal.response = AppealStatus.REJECTED, "答案无误"

    record = build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW)
    assert [c.code for c in record.completed] == ["DA110"]
    assert [(s.title, s.percent, s.passed) for s in record.completed[0].scores] == [
        (quiz.title, Decimal("100.00"), True)]  # the practice quiz is not graded
    assert record.total_hours == 5
    assert {(r.title, r.passed, r.attempts) for r in record.results} == {
        (quiz.title, True, 1), (practice.title, False, 1)}
    assert [(a.status, a.response, a.position) for a in record.appeals] == [
        (AppealStatus.REJECTED, "答案无误", 1)]
    assert [c.title for c in record.certificates] == [quiz.course.title]  # completed: issued
    assert record.profile.standings[CompetencyArea.DATA].items == 3


def test_exercise_results_are_listed_with_their_kind(cadre):
    course = make_course("GV210")
    exercise = make_exercise(course, code="GV210/grid")
    graded_attempt(exercise, cadre, [("GV210/grid/T1", CompetencyArea.DATA, 2, 2)])
    db.session.add(QuizResult(quiz_id=exercise.id, user_id=cadre.id, percent=Decimal(100),
                              passed=True, attempts=1))
    [line] = build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW).results
    assert line.kind is QuizKind.EXERCISE and line.course_code == "GV210"


def test_who_may_see_a_record(tree, cadre):
    other = make_user(unit=tree["jiefangbei"])
    hr_yuzhong = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    hr_jiangbei = make_user(unit=tree["jiangbei"], roles=[RoleName.HR], scope=tree["jiangbei"])
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    for actor in (cadre, hr_yuzhong, admin):
        assert find_record_subject(cadre.id, actor=actor) is cadre
        build_learning_record(cadre, actor=actor, year=YEAR, now=NOW)
    for actor in (other, hr_jiangbei):
        with pytest.raises(PermissionDenied):
            find_record_subject(cadre.id, actor=actor)
        with pytest.raises(PermissionDenied):
            build_learning_record(cadre, actor=actor, year=YEAR, now=NOW)
    with pytest.raises(NotFound):
        find_record_subject(999999, actor=admin)


@pytest.mark.parametrize("year", [1999, YEAR + 1])
def test_a_year_out_of_range_is_refused(cadre, year):
    with pytest.raises(BadYear):
        build_learning_record(cadre, actor=cadre, year=year, now=NOW)


def _busy_cadre(cadre, courses: int, prefix="QB"):
    for i in range(courses):
        course = make_course(f"{prefix}{i:03d}", lessons=1)
        question = make_question(f"{prefix}{i:03d}-Q01", course=course)
        quiz = make_quiz(course, [question])
        _, attempt = _pass_course(course, quiz, cadre)
        if i % 2:
            make_appeal(attempt, 0)


def test_the_record_takes_a_bounded_number_of_queries(cadre, count_queries):
    _busy_cadre(cadre, 1)
    make_course("OPEN1")  # a course to suggest, so both runs take the same path
    build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW)  # keeps the course list
    with count_queries() as one:
        build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW)
    # someone else's work changes nothing
    _busy_cadre(make_user(unit=cadre.org_unit), 2, prefix="QX")
    _busy_cadre(cadre, 7, prefix="QC")
    build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW)  # new courses: read once
    with count_queries() as eight:
        record = build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW)
    assert len(record.completed) == 8 and len(record.results) == 8
    # + the certificates, the scheme, the videos, the five years' hours by kind
    assert eight.count == one.count <= 13


def test_record_lines_answer_for_many_cadres_what_they_answer_for_each(cadre, tree,
                                                                        count_queries):
    """One definition of the record's queries: a list of cadres, or one (a list of one)."""
    other, idle = make_user(unit=tree["jiefangbei"]), make_user(unit=tree["guanyinqiao"])
    _busy_cadre(cadre, 3, prefix="RA")
    _busy_cadre(other, 2, prefix="RB")
    _credit(other, make_course("RC1"), YEAR, "2", CreditKind.ELECTIVE)
    db.session.flush()
    with count_queries() as single:
        alone = record_lines([cadre.id], YEAR)
    with count_queries() as many:
        lines = record_lines([cadre.id, other.id, idle.id], YEAR)
    assert single.count == many.count <= 6  # hours, courses and scores, results, appeals, videos
    assert lines[cadre.id] == alone[cadre.id]
    assert lines[other.id] == record_lines([other.id], YEAR)[other.id]
    assert lines[idle.id] == RecordLines(hours=[], completed=[], results=[], appeals=[])
    assert [c.code for c in lines[cadre.id].completed] == ["RA000", "RA001", "RA002"]
    assert len(lines[other.id].appeals) == 1 and len(lines[other.id].hours) == 3


def test_the_target_is_the_one_the_appraisal_uses(cadre, tree):
    """The cadre's pages show the hours target of the scheme in force for their unit."""
    from dataclasses import replace

    from app.domain.appraisal import default_scheme
    from app.services.appraisal.schemes import RANKS, save_scheme
    from app.services.records.my_learning import summarize_my_learning

    assert build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW).target == 50
    hr = make_user(unit=tree["yuzhong"], roles=[RoleName.HR], scope=tree["yuzhong"])
    stricter = replace(default_scheme(RANKS), hours_targets={rank: 60 for rank in RANKS})
    save_scheme(YEAR, tree["yuzhong"], stricter, actor=hr)
    assert build_learning_record(cadre, actor=cadre, year=YEAR, now=NOW).target == 60
    assert summarize_my_learning(actor=cadre, now=NOW).target == 60
    outside = make_user(unit=tree["guanyinqiao"])  # 江北区 keeps the city's
    assert build_learning_record(outside, actor=outside, year=YEAR, now=NOW).target == 50
