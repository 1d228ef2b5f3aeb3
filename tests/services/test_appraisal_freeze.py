from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.appraisal import Rating, default_scheme
from app.domain.vocabulary import AppealRemedy, RoleName
from app.extensions import db
from app.models import AppraisalResult, AttemptAnswer, HourCredit, QuizResult
from app.services.appraisal.closing import (
    ReasonRequired,
    YearClosed,
    YearNotClosed,
    close_year,
    is_year_closed,
    may_close_years,
    reopen_year,
)
from app.services.appraisal.run import run_appraisal, run_appraisal_in_scope
from app.services.appraisal.schemes import RANKS, grant_exemption, save_scheme
from app.services.assessment.appeals import file_appeal, uphold_appeal
from app.services.assessment.attempts import save_answer, start_attempt, submit_attempt
from app.services.core.access import add_course_owner
from app.services.core.errors import PermissionDenied
from app.services.learning.enrollment import complete_lesson, enroll_in_course
from tests.factories import audit_events, make_course, make_question, make_quiz, make_user
from tests.services.test_appraisal import NOW, YEAR, give, hr
from tests.services.test_appraisal import course as course_fixture

course = course_fixture


def snapshot():
    return {r.user_id: (r.index, r.scores_component, r.rating, r.run_id)
            for r in db.session.scalars(select(AppraisalResult))}


def actions(name):
    return audit_events(name)


@pytest.fixture
def admin(tree):
    return make_user(unit=tree["city"], roles=[RoleName.ADMIN])


def test_a_closed_year_keeps_its_results_through_a_regrade_until_reopened(tree, course, admin):
    cadre = make_user(unit=tree["jiefangbei"])
    give(cadre, course, hours=50, score=100, practice=100, areas=1)
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    close_year(YEAR, actor=admin, now=NOW)
    before = snapshot()
    assert before[cadre.id][1] == 100 and is_year_closed(YEAR)

    # A regrade after closing: the answer loses its points and the standing drops to 0 %.
    for answer in db.session.scalars(select(AttemptAnswer)):
        answer.points = Decimal(0)
    for result in db.session.scalars(select(QuizResult)):
        result.percent = Decimal(0)
    db.session.flush()

    with pytest.raises(YearClosed):
        run_appraisal(YEAR, unit=None, actor=None, now=NOW + timedelta(minutes=1))
    with pytest.raises(YearClosed):
        run_appraisal_in_scope(YEAR, unit=tree["yuzhong"], actor=admin, now=NOW)
    db.session.expire_all()
    assert snapshot() == before

    with pytest.raises(ReasonRequired):
        reopen_year(YEAR, reason="  ", actor=admin)
    reopen_year(YEAR, reason="复核更正成绩", actor=admin)
    [event] = actions("appraisal.year_reopened")
    assert event.details["reason"] == "复核更正成绩" and event.actor_id == admin.id
    assert not is_year_closed(YEAR)

    run_appraisal(YEAR, unit=None, actor=None, now=NOW + timedelta(minutes=2))
    after = snapshot()
    assert after[cadre.id][1] == 0 and after[cadre.id][3] != before[cadre.id][3]


def test_an_appeal_upheld_after_closing_leaves_the_closed_results_alone(tree, admin):
    """The real regrade path: a cadre appeals, the trainer accepts the answer, the quiz
    result and the course completion change, and the closed appraisal does not."""
    course = make_course("GV330", lessons=1, hours="4")
    quiz = make_quiz(course, [make_question(f"GV330-Q0{n}", course=course) for n in (1, 2)],
                     shuffle=False, pass_mark=60)
    trainer = make_user(unit=tree["city"], roles=[RoleName.TRAINER])
    add_course_owner(course, trainer, actor=None)
    cadre = make_user(unit=tree["jiefangbei"])
    complete_lesson(enroll_in_course(course, actor=cadre), course.lessons[0], actor=cadre)
    attempt = start_attempt(quiz, actor=cadre)
    for position, choice in ((0, 0), (1, 1)):  # the first right, the second wrong: 50 %
        ids = attempt.questions[position]["display"]["ids"]
        save_answer(attempt, position, {"value": [ids[choice]]}, client_seq=1, actor=cadre)
    submit_attempt(attempt, actor=cadre)
    assert attempt.percent == 50
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    close_year(YEAR, actor=admin, now=NOW)
    before = snapshot()
    stored_hours = db.session.scalar(select(AppraisalResult.hours).where(
        AppraisalResult.user_id == cadre.id))

    appeal = file_appeal(attempt, 1, "该题表述有歧义，我的理解同样成立。", actor=cadre)
    uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, "理由成立。", actor=trainer)
    assert attempt.percent == 100  # the regrade happened: the quiz passes, the course completes
    assert db.session.scalar(select(HourCredit.hours).where(HourCredit.user_id == cadre.id)) == 4
    with pytest.raises(YearClosed):
        run_appraisal(YEAR, unit=None, actor=None, now=NOW + timedelta(minutes=1))
    db.session.expire_all()
    assert snapshot() == before
    assert db.session.scalar(select(AppraisalResult.hours).where(
        AppraisalResult.user_id == cadre.id)) == stored_hours == 0

    reopen_year(YEAR, reason="申诉改分后重新考核", actor=admin)
    run_appraisal(YEAR, unit=None, actor=None, now=NOW + timedelta(minutes=2))
    after = snapshot()
    assert after[cadre.id][1] > before[cadre.id][1]  # the course score now counts 100 %


def test_scheme_edits_and_exemptions_of_a_closed_year_are_refused(tree, admin):
    cadre = make_user(unit=tree["jiefangbei"])
    close_year(YEAR, actor=admin, now=NOW)
    with pytest.raises(YearClosed):
        save_scheme(YEAR, None, default_scheme(RANKS), actor=admin)
    with pytest.raises(YearClosed):
        grant_exemption(cadre, YEAR, reason="援藏", document_ref="1号", actor=admin)
    # Other years stay open.
    save_scheme(YEAR + 1, None, default_scheme(RANKS), actor=admin)
    grant_exemption(cadre, YEAR + 1, reason="援藏", document_ref="1号", actor=admin)


def test_closing_twice_or_reopening_an_open_year_is_refused(tree, admin):
    with pytest.raises(YearNotClosed):
        reopen_year(YEAR, reason="x", actor=admin)
    close_year(YEAR, actor=admin, now=NOW)
    with pytest.raises(YearClosed):
        close_year(YEAR, actor=admin, now=NOW)
    assert len(actions("appraisal.year_closed")) == 1


def test_only_admins_and_city_hr_close_or_reopen(tree, admin):
    city_hr, district_hr = hr(tree, tree["city"]), hr(tree, tree["yuzhong"])
    cadre = make_user(unit=tree["jiefangbei"])
    assert may_close_years(admin) and may_close_years(city_hr)
    assert not may_close_years(district_hr) and not may_close_years(cadre)
    for outsider in (district_hr, cadre):
        with pytest.raises(PermissionDenied):
            close_year(YEAR, actor=outsider, now=NOW)
    close_year(YEAR, actor=city_hr, now=NOW)
    with pytest.raises(PermissionDenied):
        reopen_year(YEAR, reason="x", actor=district_hr)
    reopen_year(YEAR, reason="x", actor=city_hr)


def test_ratings_of_a_closed_year_are_what_was_stored(tree, course, admin):
    cadre = make_user(unit=tree["jiefangbei"])
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    close_year(YEAR, actor=admin, now=NOW)
    give(cadre, course, hours=60, score=100, practice=100, areas=5)
    stored = db.session.scalar(select(AppraisalResult).where(AppraisalResult.user_id == cadre.id))
    assert stored.rating is Rating.FAIL and stored.index == 0


def test_the_cli_refuses_a_closed_year_with_a_clear_message(tree, runner, admin):
    make_user(unit=tree["jiefangbei"])
    close_year(YEAR, actor=admin, now=NOW)
    db.session.commit()
    result = runner.invoke(args=["appraise", "--year", str(YEAR)])
    assert result.exit_code != 0
    assert f"the {YEAR} appraisal is closed; nothing was changed" in result.output
    assert db.session.scalar(select(AppraisalResult)) is None


def test_a_year_closes_only_when_movers_are_rated_in_their_unit_at_closing(tree, admin):
    from app.services.appraisal.closing import ResultsOutdated

    mover = make_user(unit=tree["jiefangbei"])
    run_appraisal(YEAR, unit=None, actor=None, now=NOW)
    mover.org_unit = tree["guanyinqiao"]  # moves to 江北区 after the run
    db.session.flush()
    with pytest.raises(ResultsOutdated) as refused:
        close_year(YEAR, actor=admin, now=NOW)
    assert refused.value.cadres == 1 and not is_year_closed(YEAR)
    run_appraisal(YEAR, unit=None, actor=None, now=NOW + timedelta(minutes=1))
    close_year(YEAR, actor=admin, now=NOW + timedelta(minutes=2))
    unit = db.session.scalar(select(AppraisalResult.org_unit_id).where(
        AppraisalResult.user_id == mover.id))
    assert unit == tree["guanyinqiao"].id and is_year_closed(YEAR)
