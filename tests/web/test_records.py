import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.learning import local_year
from app.domain.vocabulary import CompetencyArea, CreditKind, RoleName
from app.extensions import db
from app.models import AuditEvent, HourCredit
from app.models.types import utcnow
from tests.factories import make_course, make_question, make_quiz, make_user
from tests.services.test_competency import graded_attempt
from tests.services.test_learning_record import _busy_cadre

YEAR = local_year(utcnow())


@pytest.fixture
def person(tree):
    user = make_user(unit=tree["chaotianmen"], name="朝天门学员")
    db.session.commit()
    return user


def test_anonymous_users_are_sent_to_sign_in(client, person):
    for url in ("/records/me", f"/records/{person.id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location


def test_a_cadre_sees_their_own_record_with_the_radar_and_levels(client, login_as):
    cadre = login_as(RoleName.CADRE)
    course = make_course("DA110", areas=(CompetencyArea.DATA,))
    quiz = make_quiz(course, [make_question("DA110-Q01", course=course)])
    graded_attempt(quiz, cadre, [("DA110-Q01", CompetencyArea.DATA, 2, 2)] * 5)
    db.session.add(HourCredit(user_id=cadre.id, course_id=course.id, year=YEAR,
                              hours=Decimal("4"), kind=CreditKind.REQUIRED))
    make_course("MS101", title="数字思维入门", areas=(CompetencyArea.MINDSET,))
    db.session.commit()
    response = client.get("/records/me")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'id="record-hours">4' in text
    start = text.index("<svg")
    svg = ET.fromstring(text[start:text.index("</svg>", start) + 6])  # noqa: S314 - our page
    assert svg.get("role") == "img" and svg.get("aria-label")
    assert len(svg.findall("{http://www.w3.org/2000/svg}line")) == 5
    assert 'id="profile-table"' in text and 'data-area="data"' in text
    assert "数字思维入门" in text  # what to study next for the weakest area


def test_a_cadre_cannot_open_another_record_by_id(client, login_as, person):
    login_as(RoleName.CADRE)
    assert client.get(f"/records/{person.id}").status_code == 403


def test_hr_in_scope_sees_the_record(client, tree, login_as, person):
    login_as(RoleName.HR, scope=tree["yuzhong"], unit=tree["yuzhong"])
    response = client.get(f"/records/{person.id}")
    assert response.status_code == 200 and "朝天门学员" in response.get_data(as_text=True)


def test_hr_outside_the_subtree_gets_403(client, tree, login_as, person):
    hr = login_as(RoleName.HR, scope=tree["jiangbei"], unit=tree["jiangbei"])
    assert client.get(f"/records/{person.id}").status_code == 403
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "access.refused"))
    assert (event.actor_id, event.target) == (hr.id, f"user:{person.id}")  # names the person


def test_admin_sees_any_record_and_a_missing_one_is_404(client, login_as, person):
    login_as(RoleName.ADMIN)
    assert client.get(f"/records/{person.id}").status_code == 200
    assert client.get("/records/999999").status_code == 404


def test_the_year_can_be_chosen_and_a_bad_year_is_explained(client, login_as):
    cadre = login_as(RoleName.CADRE)
    course = make_course("HC1")
    db.session.add(HourCredit(user_id=cadre.id, course_id=course.id, year=YEAR - 1,
                              hours=Decimal("7"), kind=CreditKind.ELECTIVE))
    db.session.commit()
    assert 'id="record-hours">7' in client.get(f"/records/me?year={YEAR - 1}").get_data(
        as_text=True)
    assert 'id="record-hours">0' in client.get("/records/me").get_data(as_text=True)
    bad = client.get("/records/me?year=1999")
    assert bad.status_code == 400 and "2000" in bad.get_data(as_text=True)


def test_the_page_takes_a_bounded_number_of_queries(client, login_as, count_queries):
    cadre = login_as(RoleName.CADRE)
    _busy_cadre(cadre, 1)
    make_course("OPEN1")
    db.session.commit()
    client.get("/records/me")  # the shared course list is kept from here
    with count_queries(own_context=True) as one:
        assert client.get("/records/me").status_code == 200
    _busy_cadre(cadre, 9, prefix="QC")
    db.session.commit()
    client.get("/records/me")  # new courses: the shared list is read once
    with count_queries(own_context=True) as ten:
        assert client.get("/records/me").status_code == 200
    assert ten.count == one.count <= 14  # + the certificates, the scheme for the target


def test_the_record_is_linked_from_home_and_from_the_hr_cadre_page(client, login_as, person):
    login_as(RoleName.CADRE)
    assert 'href="/records/me"' in client.get("/").get_data(as_text=True)
    client.post("/auth/logout")
    login_as(RoleName.HR)
    page = client.get(f"/hr/cadres/{person.id}").get_data(as_text=True)
    assert f'href="/records/{person.id}"' in page
