from datetime import timedelta

from sqlalchemy import select

from app.domain.appraisal import Rating
from app.domain.vocabulary import RoleName
from app.models import (
    AppraisalExemption,
    AppraisalResult,
    AppraisalScheme,
    AppraisalYearClosure,
    AuditEvent,
    PlanDueExtension,
    User,
)
from app.models.types import utcnow
from app.services.appraisal.run import run_appraisal
from app.services.core.audit import REFUSAL_ACTION
from tests.factories import make_course, make_plan, make_user

SCHEME = {"hours_bureau": "50", "hours_division": "50", "hours_section": "50",
          "hours_staff": "50", "hours_grassroots": "50", "weight_hours": "40",
          "weight_scores": "30", "weight_practice": "20", "weight_coverage": "10",
          "threshold_excellent": "90", "threshold_pass": "70", "threshold_basic": "60",
          "quota_percent": "20",
          **{f"online_{rank}": "0" for rank in ("bureau", "division", "section", "staff",
                                                "grassroots")},
          "five_year_bureau": "550", "five_year_division": "550", "five_year_section": "0",
          "five_year_staff": "0", "five_year_grassroots": "0"}


def scheme_form(**changes):
    return {**SCHEME, **changes}


def test_hr_runs_the_appraisal_for_their_unit_and_sees_results(client, tree, login_as, db):
    cadre = make_user(unit=tree["jiefangbei"], name="渝中干部")
    make_user(unit=tree["guanyinqiao"], name="江北干部")
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"])
    response = client.post("/hr/appraisal/run?year=2026&unit=500103")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "渝中干部" in page and "江北干部" not in page
    rows = db.session.scalars(select(AppraisalResult)).all()
    assert {r.user_id for r in rows} >= {cadre.id}
    detail = client.get(f"/hr/appraisal/cadres/{cadre.id}?year=2026")
    assert detail.status_code == 200 and 'id="index-composition"' in detail.get_data(as_text=True)


def test_hr_outside_the_scope_gets_403(client, tree, login_as, db):
    stranger = make_user(unit=tree["guanyinqiao"])
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"])
    assert client.get("/hr/appraisal/?unit=500105").status_code == 403
    assert client.post("/hr/appraisal/run?year=2026&unit=500105").status_code == 403
    assert client.get(f"/hr/appraisal/cadres/{stranger.id}").status_code == 403
    assert client.post(f"/hr/appraisal/cadres/{stranger.id}/exemption?year=2026",
                       data={"ex-reason": "r", "ex-document_ref": "d"}).status_code == 403
    assert client.get("/hr/appraisal/scheme?unit=500105").status_code == 403
    assert db.session.scalar(select(AppraisalResult)) is None
    # Without a unit the button runs every unit of the HR's scope, and only those.
    assert client.post("/hr/appraisal/run?year=2026").status_code == 302
    assert {r.user_id for r in db.session.scalars(select(AppraisalResult))} == {
        u.id for u in db.session.scalars(select(User).where(User.org_unit_id.in_(
            [tree["yuzhong"].id, tree["jiefangbei"].id, tree["chaotianmen"].id])))}


def test_cadres_get_403_on_hr_pages_and_see_only_their_own_row(client, tree, login_as, db):
    other = make_user(unit=tree["jiefangbei"], name="别人")
    login_as(RoleName.CADRE)
    for url in ("/hr/appraisal/", "/hr/appraisal/scheme", f"/hr/appraisal/cadres/{other.id}"):
        assert client.get(url).status_code == 403, url
    assert client.post("/hr/appraisal/run?year=2026").status_code == 403
    run_appraisal(2026, unit=None, actor=None, now=utcnow())
    db.session.commit()
    mine = client.get("/hr/appraisal/mine?year=2026")
    text = mine.get_data(as_text=True)
    assert mine.status_code == 200 and 'id="index-composition"' in text
    assert "0.00" in text
    assert "别人" not in text


def test_admin_edits_the_city_default_and_bad_input_saves_nothing(client, tree, login_as, db):
    login_as(RoleName.ADMIN)
    bad = client.post("/hr/appraisal/scheme?year=2026", data=scheme_form(weight_hours="50"))
    assert bad.status_code == 200
    assert "The weights must add up to 100." in bad.get_data(as_text=True) or \
        "权重" in bad.get_data(as_text=True)
    client.post("/hr/appraisal/scheme?year=2026", data=scheme_form(threshold_pass="95"))
    client.post("/hr/appraisal/scheme?year=2026", data=scheme_form(quota_percent="120"))
    assert db.session.scalar(select(AppraisalScheme)) is None
    good = client.post("/hr/appraisal/scheme?year=2026", data=scheme_form(quota_percent="15"))
    assert good.status_code == 302
    saved = db.session.scalar(select(AppraisalScheme))
    assert saved.org_unit_id is None and saved.quota_percent == 15


def test_hr_may_tighten_but_not_loosen_their_unit_scheme(client, tree, login_as, db):
    login_as(RoleName.HR, scope=tree["yuzhong"])
    looser = client.post("/hr/appraisal/scheme?year=2026&unit=500103",
                         data=scheme_form(hours_staff="40"))
    assert looser.status_code == 200 and db.session.scalar(select(AppraisalScheme)) is None
    assert client.post("/hr/appraisal/scheme?year=2026",
                       data=scheme_form(hours_staff="60")).status_code == 302
    saved = db.session.scalar(select(AppraisalScheme))
    assert saved.org_unit_id == tree["yuzhong"].id and saved.hours_targets["staff"] == 60


def test_hr_may_edit_only_the_schemes_of_units_in_their_scope(client, tree, login_as, db):
    """The page's edit switch is the service's check (scope included), not a copy of it."""
    login_as(RoleName.HR, scope=tree["yuzhong"])
    own = client.get("/hr/appraisal/scheme?year=2026&unit=500103")
    assert own.status_code == 200 and "<fieldset disabled>" not in own.get_data(as_text=True)
    assert client.get("/hr/appraisal/scheme?year=2026&unit=500105").status_code == 403
    refused = client.post("/hr/appraisal/scheme?year=2026&unit=500105",
                          data=scheme_form(hours_staff="60"))
    assert refused.status_code == 403 and db.session.scalar(select(AppraisalScheme)) is None
    refusals = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == REFUSAL_ACTION).order_by(AuditEvent.id)).all()
    assert [e.details["method"] for e in refusals] == ["GET", "POST"]


def test_city_hr_may_not_edit_the_city_default(client, tree, login_as, db):
    login_as(RoleName.HR)
    page = client.get("/hr/appraisal/scheme?year=2026")
    assert page.status_code == 200 and "disabled" in page.get_data(as_text=True)
    assert client.post("/hr/appraisal/scheme?year=2026", data=scheme_form()).status_code == 403


def test_hr_grants_an_exemption_and_an_extension(client, tree, login_as, db):
    cadre = make_user(unit=tree["jiefangbei"])
    plan = make_plan(unit=tree["yuzhong"], courses=[make_course("AP201")])
    db.session.commit()
    login_as(RoleName.HR, scope=tree["yuzhong"])
    url = f"/hr/appraisal/cadres/{cadre.id}"
    missing = client.post(f"{url}/exemption?year=2026", data={"ex-reason": "援藏"})
    assert missing.status_code == 400 and db.session.scalar(select(AppraisalExemption)) is None
    done = client.post(f"{url}/exemption?year=2026",
                       data={"ex-reason": "援藏", "ex-document_ref": "渝组发〔2026〕3号"})
    assert done.status_code == 302
    later = plan.due_on + timedelta(days=60)
    early = client.post(f"{url}/extension?year=2026", data={
        "ext-plan": str(plan.id), "ext-due_on": plan.due_on.isoformat(), "ext-reason": "r",
        "ext-document_ref": "d"})
    assert early.status_code == 400 and db.session.scalar(select(PlanDueExtension)) is None
    assert client.post(f"{url}/extension?year=2026", data={
        "ext-plan": str(plan.id), "ext-due_on": later.isoformat(), "ext-reason": "抗洪抢险",
        "ext-document_ref": "文号1"}).status_code == 302
    client.post("/hr/appraisal/run?year=2026&unit=500103")
    result = db.session.scalar(select(AppraisalResult).where(AppraisalResult.user_id == cadre.id))
    assert result.rating is Rating.EXEMPT
    page = client.get(f"{url}?year=2026").get_data(as_text=True)
    assert "渝组发〔2026〕3号" in page and "抗洪抢险" in page


def test_city_hr_closes_the_year_and_changes_are_refused_until_an_audited_reopen(
        client, tree, login_as, db):
    cadre = make_user(unit=tree["jiefangbei"], name="渝中干部")
    run_appraisal(2026, unit=None, actor=None, now=utcnow())
    db.session.commit()
    before = {(r.user_id, r.run_id) for r in db.session.scalars(select(AppraisalResult))}
    login_as(RoleName.HR)  # HR scoped to the city
    assert client.post("/hr/appraisal/close?year=2026").status_code == 302
    page = client.get("/hr/appraisal/?year=2026").get_data(as_text=True)
    assert 'id="year-closed"' in page and 'id="run-appraisal"' not in page

    refused = client.post("/hr/appraisal/run?year=2026", follow_redirects=True)
    assert "2026" in refused.get_data(as_text=True) and 'id="year-closed"' in refused.get_data(
        as_text=True)
    assert client.post("/hr/appraisal/scheme?year=2026&unit=500103",
                       data=scheme_form()).status_code == 302
    assert client.post(f"/hr/appraisal/cadres/{cadre.id}/exemption?year=2026",
                       data={"ex-reason": "r", "ex-document_ref": "d"}).status_code == 302
    db.session.expire_all()
    assert {(r.user_id, r.run_id) for r in db.session.scalars(select(AppraisalResult))} == before
    assert db.session.scalar(select(AppraisalScheme)) is None
    assert db.session.scalar(select(AppraisalExemption)) is None

    client.post("/hr/appraisal/reopen?year=2026", data={"reason": " "})
    assert db.session.scalar(select(AppraisalYearClosure)) is not None
    client.post("/hr/appraisal/reopen?year=2026", data={"reason": "成绩复核"})
    db.session.expire_all()
    assert db.session.scalar(select(AppraisalYearClosure)) is None
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "appraisal.year_reopened"))
    assert event.details["reason"] == "成绩复核"
    assert client.post("/hr/appraisal/run?year=2026").status_code == 302
    assert {r.run_id for r in db.session.scalars(select(AppraisalResult))} != {
        run for _, run in before}


def test_only_city_hr_and_admins_close_or_reopen_a_year(client, tree, login_as, db):
    login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get("/hr/appraisal/?year=2026").get_data(as_text=True)
    assert 'id="close-year"' not in page
    assert client.post("/hr/appraisal/close?year=2026").status_code == 403
    assert client.post("/hr/appraisal/reopen?year=2026", data={"reason": "x"}).status_code == 403
    client.post("/auth/logout")
    login_as(RoleName.CADRE)
    assert client.post("/hr/appraisal/close?year=2026").status_code == 403
    assert db.session.scalar(select(AppraisalYearClosure)) is None
    client.post("/auth/logout")
    login_as(RoleName.ADMIN)
    assert 'id="close-year"' in client.get("/hr/appraisal/?year=2026").get_data(as_text=True)
    assert client.post("/hr/appraisal/close?year=2026").status_code == 302
    assert db.session.scalar(select(AppraisalYearClosure)).year == 2026
    # Closing again changes nothing and says so.
    again = client.post("/hr/appraisal/close?year=2026", follow_redirects=True)
    assert again.status_code == 200 and 'id="year-closed"' in again.get_data(as_text=True)
