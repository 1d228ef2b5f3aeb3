import difflib
import json
import re

import pytest
from sqlalchemy import select

from app.domain.vocabulary import CertificateStatus, RoleName
from app.extensions import db
from app.models import AuditEvent
from app.models.certificate import Certificate
from app.models.notification import Notification
from app.services.certificates.lookup import code_for
from app.services.certificates.open_badges import hashed_identity
from app.services.core.audit import REFUSAL_ACTION
from tests.factories import make_certificate, make_user


@pytest.fixture
def held(tree):
    holder = make_user(unit=tree["jiefangbei"], name="张三明", username="HOLDER01")
    made = make_certificate(holder)
    db.session.commit()
    return made


def _logout(client):
    client.post("/auth/logout")


def test_the_holder_lists_and_opens_their_certificates(client, login_as, held,
                                                       count_queries):
    login_as(user=held.user)
    for _ in range(3):
        make_certificate(held.user, code=f"CT2{_:02d}")
    db.session.commit()
    with count_queries() as counter:
        response = client.get("/certificates/")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and held.serial in text and held.title in text
    assert text.count("font-monospace") == 4
    assert counter.count <= 6, counter.statements
    page = client.get(f"/certificates/{held.serial}").get_data(as_text=True)
    assert code_for(held) in page and 'id="revoke-form"' not in page  # cadres do not manage
    assert 'id="nav-certificates"' in page


def test_an_empty_list_says_how_to_earn_one(client, login_as):
    login_as(RoleName.CADRE)
    assert 'id="no-certificates"' in client.get("/certificates/").get_data(as_text=True)


def _refusals(certificate):
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == REFUSAL_ACTION,
        AuditEvent.target == f"certificate:{certificate.serial}").order_by(AuditEvent.id)))


def _same_pages(one, other):
    """Assert two lists of (status, page) are equal, showing the differing lines if not."""
    for (status, page), (other_status, other_page) in zip(one, other, strict=True):
        assert status == other_status
        assert page == other_page, "\n".join(difflib.unified_diff(
            page.splitlines(), other_page.splitlines(), lineterm="", n=1))


def _masked(page: str, serial: str) -> str:
    """The page without what differs between any two requests: its own path (the language
    switch echoes it) and the form token (signed with the current second)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "TOKEN", page.replace(serial, "SERIAL"))


def _answers(client, serial):
    """Status and (masked) page of each view of a serial."""
    return [(r.status_code, _masked(r.get_data(as_text=True), serial)) for r in (
        client.get(f"/certificates/{serial}{suffix}") for suffix in ("", ".pdf", ".json"))]


def test_finding_11_another_cadres_certificate_answers_404_like_a_missing_one(
        client, login_as, held):
    cadre = login_as(RoleName.CADRE)
    missing = _answers(client, "DCA-2026-999999")
    assert [status for status, _ in missing] == [404, 404, 404]
    _same_pages(_answers(client, held.serial), missing)
    refusals = _refusals(held)
    assert [(e.actor_id, e.details["reason"]) for e in refusals] == [(cadre.id, "hidden")] * 3


def test_finding_11_hr_out_of_scope_gets_404_like_a_missing_serial(client, login_as, held,
                                                                    tree):
    hr = login_as(RoleName.HR, scope=tree["jiangbei"])
    missing = _answers(client, "DCA-2026-999999")
    _same_pages(_answers(client, held.serial), missing)
    for action in ("revoke", "reissue"):
        refused = client.post(f"/certificates/{held.serial}/{action}", data={"reason": "x"})
        absent = client.post(f"/certificates/DCA-2026-999999/{action}", data={"reason": "x"})
        assert refused.status_code == absent.status_code == 404
        assert (_masked(refused.get_data(as_text=True), held.serial)
                == _masked(absent.get_data(as_text=True), "DCA-2026-999999"))
    assert db.session.get(Certificate, held.id).status is CertificateStatus.VALID
    assert {e.actor_id for e in _refusals(held)} == {hr.id} and len(_refusals(held)) == 5
    assert client.get("/certificates/nonsense.pdf").status_code == 404


def test_the_pdf_is_drawn_from_the_certificate(client, login_as, held, monkeypatch):
    documents = []

    def fake_render(document):
        documents.append(document)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr("app.web.certificates.routes.render_certificate_pdf", fake_render)
    login_as(user=held.user)
    response = client.get(f"/certificates/{held.serial}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert held.serial in response.headers["Content-Disposition"]
    document = documents[0]
    assert (document.serial, document.holder_name, document.kind) == (
        held.serial, "张三明", "course")
    assert document.verify_url == (f"http://127.0.0.1:5000/verify/{held.serial}"
                                   f"?c={code_for(held)}")
    assert document.code == code_for(held)  # printed for typing into /verify by hand
    assert not document.revoked


def test_the_real_pdf_renders(client, login_as, held):
    login_as(user=held.user)
    response = client.get(f"/certificates/{held.serial}.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert len(response.data) > 5_000


def test_the_open_badge_has_the_ob3_structure(client, login_as, held):
    login_as(user=held.user)
    response = client.get(f"/certificates/{held.serial}.json")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    badge = json.loads(response.data)
    assert badge["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert badge["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badge["issuer"]["id"] == "http://127.0.0.1:5000" and badge["issuer"]["name"]
    assert badge["validFrom"].endswith("Z")
    subject = badge["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    identity = subject["identifier"][0]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    assert identity["identityHash"] == hashed_identity("HOLDER01", identity["salt"])
    assert identity["identityHash"].startswith("sha256$")
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Certificate"
    assert achievement["name"] == held.title and achievement["criteria"]["narrative"]
    assert badge["evidence"][0]["id"].endswith(f"?c={code_for(held)}")
    assert "张三明" not in response.get_data(as_text=True)
    assert "HOLDER01" not in response.get_data(as_text=True)


def test_hr_in_scope_revokes_with_a_reason(client, login_as, held, tree):
    hr = login_as(RoleName.HR, scope=tree["yuzhong"])
    page = client.get(f"/certificates/{held.serial}").get_data(as_text=True)
    assert 'id="revoke-form"' in page
    refused = client.post(f"/certificates/{held.serial}/revoke", data={"reason": "  "})
    assert refused.status_code == 302
    assert db.session.get(Certificate, held.id).status is CertificateStatus.VALID
    response = client.post(f"/certificates/{held.serial}/revoke", data={"reason": "材料不实"},
                           follow_redirects=True)
    assert response.status_code == 200 and "材料不实" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, held.id).status is CertificateStatus.REVOKED
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "certificate.revoked"))
    assert event.actor_id == hr.id and event.ip
    again = client.post(f"/certificates/{held.serial}/revoke", data={"reason": "再次"},
                        follow_redirects=True)
    assert again.status_code == 200


def test_a_cadre_cannot_post_a_revocation(client, login_as, held):
    login_as(user=held.user)
    assert client.post(f"/certificates/{held.serial}/revoke",
                       data={"reason": "x"}).status_code == 403


def test_an_admin_reissues_after_a_name_change(client, login_as, held):
    login_as(RoleName.ADMIN)
    held.user.name = "张三明远"
    db.session.commit()
    response = client.post(f"/certificates/{held.serial}/reissue")
    assert response.status_code == 302
    new = db.session.scalar(select(Certificate).where(Certificate.reissue_of_id == held.id))
    assert new.holder_name == "张三明远" and response.location.endswith(new.serial)
    page = client.get(response.location).get_data(as_text=True)
    assert 'id="serial-history"' in page and held.serial in page and new.serial in page
    twice = client.post(f"/certificates/{held.serial}/reissue")
    assert twice.status_code == 302
    assert db.session.scalar(select(Certificate).where(
        Certificate.reissue_of_id == held.id, Certificate.id != new.id)) is None


def test_the_record_page_lists_certificates(client, login_as, held, tree):
    login_as(RoleName.HR, scope=tree["city"])
    text = client.get(f"/records/{held.user_id}").get_data(as_text=True)
    assert 'id="record-certificates"' in text and held.serial in text


def test_notices_show_on_the_dashboard_until_read(client, login_as, held):
    cadre = login_as(user=held.user)
    db.session.add(Notification(user_id=cadre.id, kind="certificate.revoked",
                                params={"serial": held.serial, "title": held.title}))
    other = make_user(unit=cadre.org_unit)
    db.session.add(Notification(user_id=other.id, kind="certificate.revoked", params={}))
    db.session.commit()
    notice = db.session.scalar(select(Notification).where(Notification.user_id == cadre.id))
    foreign = db.session.scalar(select(Notification).where(Notification.user_id == other.id))
    text = client.get("/").get_data(as_text=True)
    assert 'id="notifications"' in text and held.serial in text
    assert client.post(f"/notifications/{foreign.id}/read").status_code == 404
    assert client.post(f"/notifications/{notice.id}/read").status_code == 302
    assert 'id="notifications"' not in client.get("/").get_data(as_text=True)


def test_trainers_mark_a_course_core_on_its_form(client, login_as, tree):
    from app.models import Course
    from app.services.core.access import add_course_owner
    from tests.web.test_authoring_courses import FORM, _revision

    trainer = login_as(RoleName.TRAINER)
    course = make_certificate(trainer, code="DA110").course  # any course the trainer owns
    add_course_owner(course, trainer, actor=None)
    db.session.commit()
    page = client.get("/teaching/courses/DA110/edit").get_data(as_text=True)
    assert 'name="core"' in page
    data = FORM | {"core": "y", "revision": _revision(page)}
    assert client.post("/teaching/courses/DA110/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).core is True
    page = client.get("/teaching/courses/DA110/edit").get_data(as_text=True)
    data = FORM | {"revision": _revision(page)}  # the box left unticked
    assert client.post("/teaching/courses/DA110/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).core is False
