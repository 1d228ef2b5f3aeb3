"""学时认定 pages at work: submitting with a real proof and every kind of refusal as the
cadre sees it (a 50 MB body included), withdrawing, the proof as served, HR's decisions."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.class_vocabulary import RequestStatus
from app.extensions import db
from app.models import AppraisalYearClosure, HourCredit, HoursClaim, HoursClaimProof
from tests.claim_samples import EXE_BYTES, HTML_BYTES, image_bytes, pdf_bytes, submit
from tests.web.training.claim_fixtures import claim_people, count, owners_claim

people = pytest.fixture(claim_people)
claim = pytest.fixture(owners_claim)


def _form(**changes) -> dict:
    values = {"title": "数字政府专题培训班", "organizer": "中共重庆市委党校",
              "kind": "party_school", "starts_on": "2026-05-11", "ends_on": "2026-05-12",
              "hours_claimed": "12", "certificate_number": "DJ-2026-01",
              "proof": (io.BytesIO(pdf_bytes()), "结业证明.pdf")}
    values.update(changes)
    return values


# --- submitting ---------------------------------------------------------------------------

def test_a_cadre_submits_a_claim_and_sees_it_listed(client, login_as, people):
    login_as(user=people["owner"])
    response = client.post("/claims/new", data=_form(), content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.endswith("/claims/")
    page = client.get("/claims/").get_data(as_text=True)
    assert "已提交" in page or "数字政府专题培训班" in page
    assert "数字政府专题培训班" in page and 'data-status="pending"' in page
    assert count(HoursClaimProof) == 1


def _refused(client, expected_status=400, **changes) -> str:
    response = client.post("/claims/new", data=_form(**changes),
                           content_type="multipart/form-data")
    assert response.status_code == expected_status
    assert count(HoursClaim) == count(HoursClaimProof) == 0
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_on": "2026-05-10"}, "培训结束日期不能早于开始日期"),
    ({"hours_claimed": "17"}, "每天最多 8 学时"),
    ({"hours_claimed": "0"}, "申报学时须大于 0"),
    ({"ends_on": "2099-01-01"}, "培训结束后才能申报"),
    ({"title": ""}, "必填"),
    ({"proof": (io.BytesIO(EXE_BYTES), "证书.pdf")}, "这是一个程序"),
    ({"proof": (io.BytesIO(HTML_BYTES), "证书.png")}, "这是一个网页"),
    ({"proof": (io.BytesIO(pdf_bytes()[:700]), "证书.pdf")}, "无法读取"),
])
def test_a_refused_claim_names_the_field_and_stores_nothing(client, login_as, people,
                                                          changes, message):
    login_as(user=people["owner"])
    page = _refused(client, **changes)
    assert message in page
    assert 'id="claim-problems"' in page


def test_a_claim_into_a_closed_year_is_refused_with_its_reason(client, login_as, people):
    db.session.add(AppraisalYearClosure(year=2025))
    db.session.commit()
    login_as(user=people["owner"])
    page = _refused(client, starts_on="2025-12-01", ends_on="2025-12-02")
    assert "2025 年度考核已关闭" in page


class HugeBody(io.RawIOBase):
    """A request body of ``size`` bytes that counts how much of it the server read."""

    def __init__(self, size: int):
        self.size, self.position, self.read_bytes = size, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position,
                         io.SEEK_END: self.size}[whence] + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        count = max(0, min(len(buffer), self.size - self.position))
        buffer[:count] = b"\0" * count
        self.position += count
        self.read_bytes += count
        return count


def test_a_50_mb_proof_is_refused_before_its_body_is_read(client, login_as, people):
    login_as(user=people["owner"])
    body = HugeBody(50 * 1024 * 1024)
    response = client.post("/claims/new", input_stream=body,
                           content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "大于 10 MB" in page and 'id="claim-form"' in page
    assert body.read_bytes < 1024 * 1024
    assert count(HoursClaim) == count(HoursClaimProof) == 0


def test_a_body_without_a_length_is_cut_at_the_proof_limit(app, client, login_as, people):
    app.config["HOURS_CLAIM_PROOF_MAX_BYTES"] = 1024 * 1024
    try:
        login_as(user=people["owner"])
        body = HugeBody(20 * 1024 * 1024)
        response = client.post("/claims/new", input_stream=body,
                               content_type="multipart/form-data; boundary=x",
                               environ_overrides={"CONTENT_LENGTH": "",
                                                  "wsgi.input_terminated": True})
    finally:
        app.config["HOURS_CLAIM_PROOF_MAX_BYTES"] = 10 * 1024 * 1024
    assert response.status_code == 413
    assert body.read_bytes < 2 * 1024 * 1024
    assert count(HoursClaim) == 0


def test_a_proof_over_the_limit_but_under_the_request_cap_is_refused(app, client, login_as,
                                                                     people):
    app.config["HOURS_CLAIM_PROOF_MAX_BYTES"] = 2000
    try:
        login_as(user=people["owner"])
        page = _refused(client, proof=(io.BytesIO(image_bytes("PNG", (900, 900))), "a.png"))
    finally:
        app.config["HOURS_CLAIM_PROOF_MAX_BYTES"] = 10 * 1024 * 1024
    assert "大于" in page


def test_the_cadre_withdraws_a_pending_claim(client, login_as, people, claim):
    login_as(user=people["owner"])
    assert client.post(f"/claims/{claim.id}/withdraw").status_code == 302
    page = client.get("/claims/").get_data(as_text=True)
    assert 'data-status="withdrawn"' in page
    assert client.post(f"/claims/{claim.id}/withdraw").status_code == 302  # says it is decided


# --- the proof ----------------------------------------------------------------------------

def test_an_image_proof_shows_inline_and_a_pdf_is_a_download(client, login_as, people):
    png = submit(people["owner"], data=image_bytes("PNG"), filename="scan.png", now=None)
    pdf = submit(people["owner"], starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 1),
                 hours_claimed=Decimal("4"), now=None)
    db.session.commit()
    login_as(user=people["hr_in_scope"])
    image = client.get(f"/claims/{png.id}/proof")
    assert image.mimetype == "image/png" and image.headers["Content-Disposition"] == "inline"
    assert "sandbox" in image.headers["Content-Security-Policy"]
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    document = client.get(f"/claims/{pdf.id}/proof")
    assert document.mimetype == "application/pdf"
    assert document.headers["Content-Disposition"].startswith("attachment;")
    assert document.data == pdf_bytes() or document.data.startswith(b"%PDF-")
    page = client.get(f"/hr/claims/{png.id}").get_data(as_text=True)
    assert f'src="/claims/{png.id}/proof"' in page


# --- HR's decisions -----------------------------------------------------------------------

def test_hr_approves_fewer_hours_only_with_a_reason(client, login_as, people, claim):
    login_as(user=people["hr_in_scope"])
    url = f"/hr/claims/{claim.id}/approve"
    response = client.post(url, data={"hours_approved": "8", "reason": ""})
    assert response.status_code == 400
    assert "核减学时须说明理由" in response.get_data(as_text=True)
    assert count(HourCredit) == 0
    response = client.post(url, data={"hours_approved": "8", "reason": "第二天仅半天"})
    assert response.status_code == 302
    line = db.session.scalar(select(HourCredit))
    assert (line.hours, line.year, line.hours_claim_id) == (Decimal("8"), 2026, claim.id)
    page = client.get(f"/hr/claims/{claim.id}").get_data(as_text=True)
    assert 'id="reverse-form"' in page and 'id="approve-form"' not in page


def test_hr_cannot_approve_more_than_claimed(client, login_as, people, claim):
    login_as(user=people["hr_in_scope"])
    response = client.post(f"/hr/claims/{claim.id}/approve",
                           data={"hours_approved": "13", "reason": "多给"})
    assert response.status_code == 400 and count(HourCredit) == 0


def test_a_rejection_needs_a_reason(client, login_as, people, claim):
    login_as(user=people["hr_in_scope"])
    response = client.post(f"/hr/claims/{claim.id}/reject", data={"reject-reason": " "})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(HoursClaim, claim.id).status is RequestStatus.PENDING


def test_approving_into_a_closed_year_says_so_and_changes_nothing(client, login_as, people,
                                                                  claim):
    db.session.add(AppraisalYearClosure(year=2026))
    db.session.commit()
    login_as(user=people["hr_in_scope"])
    response = client.post(f"/hr/claims/{claim.id}/approve",
                           data={"hours_approved": "12", "reason": ""})
    assert response.status_code == 409
    assert "2026 年度考核已关闭" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(HoursClaim, claim.id).status is RequestStatus.PENDING
    assert count(HourCredit) == 0


def test_hr_reads_but_does_not_decide_their_own_claim(client, login_as, people):
    own = submit(people["hr_in_scope"], now=None)
    db.session.commit()
    login_as(user=people["hr_in_scope"])
    page = client.get(f"/hr/claims/{own.id}").get_data(as_text=True)
    assert 'id="own-claim"' in page and 'id="approve-form"' not in page
    response = client.post(f"/hr/claims/{own.id}/approve",
                           data={"hours_approved": "12", "reason": ""})
    assert response.status_code == 403 and count(HourCredit) == 0


def test_the_queue_filters_and_pages_in_a_bounded_number_of_queries(
        client, login_as, people, count_queries):
    for day in range(1, 4):
        submit(people["owner"], starts_on=date(2026, 4, day), ends_on=date(2026, 4, day),
               hours_claimed=Decimal("2"), now=None)
    db.session.commit()
    login_as(user=people["hr_in_scope"])
    with count_queries(own_context=True) as few:
        assert client.get("/hr/claims/?status=pending&unit=500103").status_code == 200
    for day in range(10, 20):
        submit(people["other_cadre"], starts_on=date(2026, 4, day),
               ends_on=date(2026, 4, day), hours_claimed=Decimal("2"), now=None)
    db.session.commit()
    with count_queries(own_context=True) as many:
        page = client.get("/hr/claims/?status=pending&unit=500103")
    assert many.count == few.count
    assert len(re.findall(r'id="claim-\d+"', page.get_data(as_text=True))) == 13
    outside = client.get("/hr/claims/?unit=500105")
    assert outside.status_code == 403


