"""The pages show the ledger's three kinds: the cadre's record and home page, the cadre's
appraisal explanation, the HR cadres list."""

from decimal import Decimal

from app.domain.learning import local_year
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models.types import utcnow
from app.services.appraisal.run import run_appraisal
from app.services.training.ledger import credit_claim_hours, credit_class_hours
from tests.factories import make_course
from tests.services.test_hours_ledger import make_claim, make_class
from tests.services.test_hr_dashboard import credit


def _mixed_year(person, tree):
    year = local_year(utcnow())
    credit(person, make_course("HK101"), "4", year=year)
    credit_class_hours(make_class(tree["yuzhong"], year=year), person.id, Decimal(12),
                       utcnow())
    claim = make_claim(person, hours="3", ends_on=utcnow().date().replace(month=3, day=2))
    credit_claim_hours(claim, Decimal("2.5"), utcnow())
    db.session.commit()
    return year


def test_the_cadre_sees_the_year_by_kind_and_the_five_years(client, login_as, tree):
    cadre = login_as(RoleName.CADRE)
    _mixed_year(cadre, tree)
    record = client.get("/records/me").get_data(as_text=True)
    assert 'id="record-hours-face-to-face">12.0' in record
    assert 'id="record-hours-recognized">2.5' in record
    assert "数字政府专题培训班" in record and "中共重庆市委党校" in record and "面授" in record
    assert 'id="record-hours-five-year">18.5' in record
    home = client.get("/").get_data(as_text=True)
    assert 'id="hours-face-to-face">12.0' in home and 'id="hours-total">18.5' in home


def test_the_appraisal_explains_the_hours_by_kind(client, login_as, tree):
    cadre = login_as(RoleName.CADRE)
    year = _mixed_year(cadre, tree)
    run_appraisal(year, unit=None, actor=None, now=utcnow())
    db.session.commit()
    page = client.get(f"/hr/appraisal/mine?year={year}").get_data(as_text=True)
    assert "在线 4.0，面授 12.0，认定 2.5" in page


def test_hr_sees_each_cadres_hours_by_kind(client, login_as, tree):
    from tests.factories import make_user
    person = make_user(unit=tree["jiefangbei"], name="分类学时")
    _mixed_year(person, tree)
    login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get("/hr/dashboard/cadres?unit=500103").get_data(as_text=True)
    assert "分类学时" in page and ">12.0<" in page and ">2.5<" in page
