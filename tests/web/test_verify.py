import pytest

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.services.certificates import revoke_certificate
from app.services.certificates.lookup import code_for
from tests.factories import make_certificate, make_user


@pytest.fixture
def certificate(tree):
    holder = make_user(unit=tree["jiefangbei"], name="张三明", username="HOLDER01")
    made = make_certificate(holder)
    db.session.commit()
    return made


def _not_found_text(response):
    """The page's own content (the header echoes the URL in its language switch)."""
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    return text[text.index('<main id="main"'):text.index("</main>")]


def test_a_valid_certificate_shows_only_public_facts(client, certificate, app):
    response = client.get(f"/verify/{certificate.serial}?c={code_for(certificate)}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "张*明" in text and "张三明" not in text and "HOLDER01" not in text
    assert certificate.serial in text and certificate.title in text
    assert app.config["CERT_ISSUER"] in text and "解放碑街道" not in text


def test_every_failure_gets_the_same_not_found_page(client, certificate):
    code = code_for(certificate)
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    other = make_certificate(make_user(unit=certificate.user.org_unit), code="CT102")
    db.session.commit()
    pages = [_not_found_text(client.get(url)) for url in (
        f"/verify/{certificate.serial}?c={tampered}",
        f"/verify/{certificate.serial}?c={code_for(other)}",  # the code of another serial
        f"/verify/{certificate.serial}",
        "/verify/DCA-2026-999999?c=" + code,
        "/verify/not-a-serial?c=" + code,
        f"/verify/{certificate.serial}?c=" + "A" * 10_000,
        "/verify/" + "D" * 5_000,
        f"/verify/{certificate.serial}/extra?c={code}",
    )]
    assert len(set(pages)) == 1
    assert "张*明" not in pages[0]
    # A 10 kB query string of junk around the right code still verifies, without error.
    noisy = client.get(f"/verify/{certificate.serial}?c={code}&x=" + "%FF" * 3_400)
    assert noisy.status_code == 200


def test_codes_typed_in_lowercase_with_spaces_and_dashes_are_normalized(client, certificate):
    code = code_for(certificate)
    typed = f"{code[:4].lower()} {code[4:8]}-{code[8:12].lower()} {code[12:]}"
    response = client.get(f"/verify/{certificate.serial.lower()}", query_string={"c": typed})
    assert response.status_code == 200 and "张*明" in response.get_data(as_text=True)


def test_a_revoked_certificate_shows_the_date_but_not_the_reason(client, certificate, tree):
    admin = make_user(unit=tree["city"], roles=[RoleName.ADMIN])
    revoke_certificate(certificate, "材料造假", actor=admin)
    db.session.commit()
    response = client.get(f"/verify/{certificate.serial}?c={code_for(certificate)}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert certificate.revoked_at.strftime("%Y") in text and "材料造假" not in text
    assert 'text-bg-danger' in text


def test_the_lookup_form_sends_people_to_the_verification_page(client, certificate):
    assert client.get("/verify/").status_code == 200
    code = code_for(certificate)
    response = client.get("/verify/", query_string={"serial": f" {certificate.serial} ",
                                                     "c": code.lower()})
    assert response.status_code == 302
    assert response.location.endswith(f"/verify/{certificate.serial}?c={code}")
    assert client.get(response.location).status_code == 200
    missing = client.get("/verify/", query_string={"serial": certificate.serial, "c": ""})
    assert missing.status_code == 200 and "is-invalid" in missing.get_data(as_text=True)
    malformed = client.get("/verify/", query_string={"serial": "DCA-1", "c": code})
    assert malformed.status_code == 404
    huge = client.get("/verify/", query_string={"serial": "D" * 10_000, "c": "A" * 10_000})
    assert huge.status_code == 200 and "is-invalid" in huge.get_data(as_text=True)


def test_verification_is_rate_limited(client, certificate, app, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_RATE_LIMIT", "3 per minute")
    url = f"/verify/{certificate.serial}?c={code_for(certificate)}"
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
