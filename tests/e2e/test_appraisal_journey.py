"""HR runs the year's appraisal for 渝中区, grants an exemption, confirms the commendation list
and closes the year; an appeal upheld afterwards does not change the closed results."""

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.appraisal import Rating, default_scheme
from app.domain.learning import local_year
from app.domain.vocabulary import AppealRemedy, CreditKind, Rank, WorkCategory
from app.extensions import db
from app.models import AppraisalResult, Course, HourCredit, OrgUnit, Quiz, User
from app.models.types import utcnow
from app.services.appraisal.schemes import RANKS, save_scheme
from app.services.assessment.appeals import file_appeal, uphold_appeal
from app.services.assessment.attempts import start_attempt, submit_attempt
from app.services.learning.enrollment import enroll_in_course
from app.services.people.accounts import create_user
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e

HOURS = (50, 46, 42, 38, 30, 20)  # six cadres of one street, different study hours


def _prepare(live_app, year):
    """Six cadres with hours in a 渝中区 street, a cadre with a failed quiz she will appeal,
    and a city scheme whose thresholds hours alone can reach (the demo has no activity)."""
    with live_app.app_context():
        street = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103001"))
        course = db.session.scalar(select(Course).where(Course.code == "DA110"))
        people = []
        for number, hours in enumerate(HOURS):
            person = create_user(username=f"E2EAP{number}", name=f"考核学员{number}",
                                 org_unit=street, rank=Rank.STAFF,
                                 category=WorkCategory.SOCIAL_GOVERNANCE, password="Demo@2026",
                                 actor=None)
            db.session.add(HourCredit(user_id=person.id, course_id=course.id, year=year,
                                      hours=Decimal(hours), kind=CreditKind.REQUIRED,
                                      credited_at=utcnow()))
            people.append(person.id)
        appellant = create_user(username="E2EAPPEAL", name="申诉学员", org_unit=street,
                                rank=Rank.STAFF, category=WorkCategory.SOCIAL_GOVERNANCE,
                                password="Demo@2026", actor=None)
        enroll_in_course(course, actor=appellant)
        quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id,
                                                    Quiz.graded.is_(True)))
        attempt = start_attempt(quiz, actor=appellant)
        submit_attempt(attempt, actor=appellant)  # nothing answered: 0 %
        lenient = replace(default_scheme(RANKS),
                          thresholds={"excellent": 30, "pass": 20, "basic": 10})
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        save_scheme(year, None, lenient, actor=admin)
        db.session.commit()
        return people, attempt.id


def _stored(live_app, year):
    with live_app.app_context():
        rows = db.session.scalars(select(AppraisalResult).join(User).where(
            AppraisalResult.year == year, User.username.like("E2EAP%")))
        return {row.user_id: (row.index, row.scores_component, row.rating, row.run_id)
                for row in rows}


def _appeal_and_regrade(live_app, attempt_id):
    with live_app.app_context():
        from app.models import Attempt

        attempt = db.session.get(Attempt, attempt_id)
        trainer = db.session.scalar(select(User).where(User.username == "trainer"))
        appeal = file_appeal(attempt, 0, "题干有歧义，申请复核。", actor=attempt.user)
        changes = uphold_appeal(appeal, AppealRemedy.ACCEPT_ANSWER, "理由成立。", actor=trainer)
        db.session.commit()
        assert changes and changes[0][1] != changes[0][2]  # the regrade moved the score


def test_hr_runs_exempts_commends_closes_and_a_later_regrade_changes_nothing(page, live_app):
    year = local_year(utcnow())
    people, attempt_id = _prepare(live_app, year)
    sign_in(page, "hr")

    page.goto(f"/hr/appraisal/?year={year}&unit=500103")
    page.locator("#run-appraisal").click()
    page.wait_for_load_state()
    table = page.locator("#appraisal-results")
    assert "考核学员0" in table.inner_text()
    stored = _stored(live_app, year)
    ratings = [stored[person][2] for person in people]
    # Four of the six reach the 优秀 threshold; 20 % of the street's 7 candidates allows one.
    assert ratings.count(Rating.EXCELLENT) == 1 and ratings[0] is Rating.EXCELLENT
    assert ratings[1:4] == [Rating.PASS] * 3

    # 容错: an exemption with a reason and a document reference, then the run again.
    page.goto(f"/hr/appraisal/cadres/{people[5]}?year={year}")
    exemption = page.locator("form", has=page.get_by_role("button", name="批准免考核"))
    exemption.get_by_label("理由").fill("援疆挂职，全年不在岗")
    exemption.get_by_label("文件文号").fill("渝组干〔2026〕18号")
    exemption.get_by_role("button", name="批准免考核").click()
    page.goto(f"/hr/appraisal/?year={year}&unit=500103")
    assert "援疆挂职" in page.locator("#exemptions").inner_text()
    page.locator("#run-appraisal").click()
    page.wait_for_load_state()
    assert _stored(live_app, year)[people[5]][2] is Rating.EXEMPT

    # 表彰: propose the street's list from the results and confirm it.
    page.goto(f"/hr/appraisal/commendation?year={year}&unit=500103001")
    page.get_by_role("button", name="根据考核结果生成建议名单").click()
    assert "考核学员0" in page.locator("#commendation-person").inner_text()
    page.get_by_role("button", name="确认名单").click()
    assert "确认" in page.locator("#commendation-status .text-bg-success").inner_text()

    # Close the year, then an appeal upheld afterwards: the closed results stay as they were.
    page.goto(f"/hr/appraisal/?year={year}&unit=500103")
    page.locator("#close-year").click()
    assert page.locator("#year-closed").is_visible()
    before = _stored(live_app, year)
    shown_before = page.locator("#appraisal-results").inner_text()
    _appeal_and_regrade(live_app, attempt_id)
    page.goto(f"/hr/appraisal/?year={year}&unit=500103")
    assert page.locator("#run-appraisal").count() == 0  # no run while closed
    assert page.locator("#appraisal-results").inner_text() == shown_before
    assert _stored(live_app, year) == before

    # Reopen (audited, with a reason) so the other journeys find an open year.
    page.get_by_label("重新开账理由（记入审计日志）").fill("端到端测试结束")
    page.get_by_role("button", name="重新开账").click()
    assert page.locator("#run-appraisal").is_visible()
