"""HR of 渝中区 opens the dashboard from the menu, drills down to a street and its cadres,
finds a cadre and opens her record, downloads the cadre list as Excel, and is refused
江北区's dashboard."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.learning import local_year
from app.domain.vocabulary import CreditKind, Rank, WorkCategory
from app.extensions import db
from app.models import Course, HourCredit, OrgUnit
from app.models.types import utcnow
from app.services.people.accounts import create_user
from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e


def _prepare(live_app):
    with live_app.app_context():
        street = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "500103001"))
        course = db.session.scalar(select(Course).where(Course.code == "DA110"))
        person = create_user(username="E2EDB1", name="看板<学员>", org_unit=street,
                             rank=Rank.STAFF, category=WorkCategory.ECONOMY,
                             password="Demo@2026", actor=None)
        db.session.add(HourCredit(user_id=person.id, course_id=course.id,
                                  year=local_year(utcnow()), hours=Decimal("12.5"),
                                  kind=CreditKind.ELECTIVE, credited_at=utcnow()))
        db.session.commit()


def test_hr_drills_down_finds_a_cadre_and_downloads_excel(page, live_app):
    _prepare(live_app)
    sign_in(page, "hr_yuzhong")
    page.locator("#menu-hr").click()
    page.locator("#nav-dashboard").click()
    page.wait_for_url("**/hr/dashboard/")
    assert "渝中区" in page.locator("h1").inner_text()
    assert page.locator("#dashboard-charts svg[role=img]:visible").count() == 4  # not the phone's
    page.locator("#dashboard-units").get_by_role("link", name="解放碑街道", exact=True).click()
    page.wait_for_url("**unit=500103001**")
    crumbs = page.locator("#dashboard-breadcrumbs")
    assert crumbs.get_by_role("link", name="渝中区").count() == 1

    page.locator("#all-cadres").click()
    page.wait_for_url("**/hr/dashboard/cadres**")
    page.locator("#q").fill("看板")
    page.locator("#dashboard-filters button[type=submit]").click()
    page.wait_for_url("**q=**")
    assert page.locator("#dashboard-cadres tbody tr").count() == 1
    with page.expect_download() as download_info:
        page.locator("#export-cadres").click()
    sheet = load_workbook(BytesIO(download_info.value.path().read_bytes())).active
    assert sheet.freeze_panes == "A2"
    assert "看板<学员>" in [row[1].value for row in sheet.iter_rows(min_row=2)]

    page.get_by_role("link", name="看板<学员>").click()
    page.wait_for_url("**/records/**")
    assert "看板<学员>" in page.content().replace("&lt;", "<").replace("&gt;", ">")

    refused = page.goto("/hr/dashboard/?unit=500105")
    assert refused.status == 403
