"""学时认定, the cadre's side: every rule and refusal of a claim and its proof, withdrawing,
and the flags HR sees (overlapping dates, a certificate number used before)."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select

from app.domain import claim_proofs
from app.domain.class_vocabulary import ClassStatus, MemberStatus, RequestStatus
from app.models import AppraisalYearClosure, HoursClaim, HoursClaimProof
from app.services.core.errors import NotFound, PermissionDenied
from app.services.training.claim_flags import OVERLAP, REPEATED_CERTIFICATE
from app.services.training.claim_review import claim_context
from app.services.training.claims import (
    DOMAIN_PROBLEM_FIELDS,
    ClaimInvalid,
    ClaimNotPending,
    list_my_claims,
    withdraw_claim,
)
from app.services.training.proofs import open_claim_proof
from tests.claim_samples import (
    EXE_BYTES,
    HTML_BYTES,
    NOW,
    TODAY,
    image_bytes,
    make_class,
    pdf_bytes,
    submit,
    truncated_pdf,
)
from tests.factories import audit_events, make_user


@pytest.fixture
def cadre(tree):
    return make_user(unit=tree["jiefangbei"], name="张晓明")


def _nothing_stored():
    return (db_count(HoursClaim), db_count(HoursClaimProof),
            len(audit_events("claims.submitted"))) == (0, 0, 0)


def db_count(model) -> int:
    from app.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def _refusal(user, **kwargs) -> ClaimInvalid:
    with pytest.raises(ClaimInvalid) as raised:
        submit(user, **kwargs)
    assert _nothing_stored()
    return raised.value


def _fields(invalid: ClaimInvalid) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in invalid.problems:
        found.setdefault(problem.field, []).append(problem.message)
    return found


# --- submitting -------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "data", "filename", "content_type", "stored_name"), [
    ("pdf", pdf_bytes(), "结业证明.pdf", "application/pdf", "结业证明.pdf"),
    ("png", image_bytes("PNG"), "scan.png", "image/png", "scan.png"),
    ("jpeg", image_bytes("JPEG"), "photo.JPG", "image/jpeg", "photo.jpg"),
    ("webp", image_bytes("WEBP"), "photo.webp", "image/webp", "photo.webp"),
    # Recognized by content: a PNG sent as .jpg is kept as what it is.
    ("renamed", image_bytes("PNG"), "..\\..\\证书.jpg", "image/png", "证书.png"),
])
def test_a_claim_with_a_real_proof_is_stored_pending_with_its_file(
        cadre, kind, data, filename, content_type, stored_name):
    claim = submit(cadre, data=data, filename=filename, certificate_number=" DJ 2026-0001 ")
    assert claim.status is RequestStatus.PENDING
    assert (claim.proof_type, claim.proof_name, claim.proof_bytes) == (
        content_type, stored_name, len(data))
    assert claim.certificate_number == "DJ 2026-0001"
    assert claim.certificate_key == "dj2026-0001"
    assert claim.flags == []
    assert open_claim_proof(claim.id, actor=cadre).content == data
    event = audit_events("claims.submitted")[0]
    assert event.target == f"hours_claim:{claim.id}" and event.actor_id == cadre.id
    assert event.details["hours_claimed"] == "12" and event.details["file"]["type"] == content_type


def test_every_problem_of_the_domain_names_a_field():
    assert set(DOMAIN_PROBLEM_FIELDS.values()) <= {"ends_on", "hours_claimed"}


def test_the_training_cannot_end_before_it_starts(cadre):
    invalid = _refusal(cadre, starts_on=date(2026, 5, 12), ends_on=date(2026, 5, 11))
    assert _fields(invalid) == {"ends_on": ["The training cannot end before it starts."]}


@pytest.mark.parametrize("hours", ["0", "-3"])
def test_the_hours_must_be_more_than_zero(cadre, hours):
    invalid = _refusal(cadre, hours_claimed=Decimal(hours))
    assert _fields(invalid) == {"hours_claimed": ["The hours claimed must be more than 0."]}


def test_more_than_eight_hours_a_day_is_refused_and_eight_are_fine(cadre):
    invalid = _refusal(cadre, hours_claimed=Decimal("16.5"))  # two days
    assert _fields(invalid) == {"hours_claimed": [
        "More hours are claimed than the dates allow (at most 8 a day)."]}
    assert submit(cadre, hours_claimed=Decimal("16")).hours_claimed == 16


def test_hours_keep_two_decimals_and_fit_one_claim(cadre):
    assert _fields(_refusal(cadre, hours_claimed=Decimal("1.255"))) == {
        "hours_claimed": ["At most two decimals (e.g. 0.25)."]}
    long_course = {"starts_on": date(2026, 1, 5), "ends_on": date(2026, 6, 12)}
    assert "At most %(hours)s hours in one claim." in _fields(
        _refusal(cadre, hours_claimed=Decimal("1000"), **long_course))["hours_claimed"]


def test_training_in_the_future_is_refused_and_today_is_fine(cadre):
    invalid = _refusal(cadre, starts_on=TODAY, ends_on=TODAY + timedelta(days=1),
                       hours_claimed=Decimal("8"))
    assert list(_fields(invalid)) == ["ends_on"]
    assert submit(cadre, starts_on=TODAY, ends_on=TODAY, hours_claimed=Decimal("8"))


def test_training_older_than_the_five_counted_years_is_refused(cadre):
    invalid = _refusal(cadre, starts_on=date(2021, 12, 30), ends_on=date(2021, 12, 31))
    problem = invalid.problems[0]
    assert (problem.field, problem.params) == ("ends_on", {"year": 2022})
    assert submit(cadre, starts_on=date(2022, 1, 3), ends_on=date(2022, 1, 4))


def test_a_claim_into_a_closed_appraisal_year_is_refused(db, cadre):
    db.session.add(AppraisalYearClosure(year=2025))
    db.session.flush()
    invalid = _refusal(cadre, starts_on=date(2025, 12, 30), ends_on=date(2025, 12, 31))
    problem = invalid.problems[0]
    assert problem.field == "ends_on" and problem.params == {"year": 2025}
    assert "closed" in problem.message
    # The year the training ended decides: ending in January 2026 goes to the open year.
    assert submit(cadre, starts_on=date(2025, 12, 31), ends_on=date(2026, 1, 1)).year == 2026


def test_texts_are_required_and_fit_their_columns(cadre):
    fields = _fields(_refusal(cadre, title="  ", organizer="党" * 101,
                              certificate_number="9" * 101))
    assert fields == {"title": ["This field is required."],
                      "organizer": ["At most %(count)s characters."],
                      "certificate_number": ["At most %(count)s characters."]}


@pytest.mark.parametrize(("data", "reason"), [
    (EXE_BYTES, "program"),
    (HTML_BYTES, "web_page"),
    (b"\xef\xbb\xbf  <html><script>alert(1)</script></html>", "web_page"),
    (b"PK\x03\x04" + b"\x00" * 40, "archive"),
    (b"just some text", "unknown"),
    (b"", "empty"),
    (truncated_pdf(), "unreadable"),
    (b"%PDF-1.7\nnot really a pdf\n%%EOF\n", "unreadable"),
    (image_bytes("PNG", (600, 600))[:-300], "unreadable"),
    (image_bytes("JPEG", (600, 600))[:900], "unreadable"),
])
def test_a_proof_that_is_not_a_pdf_or_an_image_is_refused_with_its_reason(cadre, data, reason):
    invalid = _refusal(cadre, data=data, filename="certificate.pdf")
    assert invalid.proof_refused.reason == reason
    assert invalid.problems == []


def test_a_password_protected_pdf_is_refused(cadre):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")  # noqa: S106
    buffer = io.BytesIO()
    writer.write(buffer)
    assert _refusal(cadre, data=buffer.getvalue()).proof_refused.reason == "encrypted"


def test_a_proof_over_the_configured_size_is_refused(app, cadre):
    app.config["HOURS_CLAIM_PROOF_MAX_BYTES"] = 1000
    try:
        assert _refusal(cadre).proof_refused.reason == "too_large"
    finally:
        app.config["HOURS_CLAIM_PROOF_MAX_BYTES"] = 10 * 1024 * 1024


def test_a_picture_with_too_many_pixels_is_refused_before_decoding(cadre, monkeypatch):
    monkeypatch.setattr(claim_proofs, "MAX_PROOF_PIXELS", 320 * 200 - 1)
    refused = _refusal(cadre, data=image_bytes("PNG")).proof_refused
    assert (refused.reason, refused.detail) == ("too_many_pixels", "320 × 200")


def test_problems_of_the_fields_and_of_the_proof_come_together(cadre):
    invalid = _refusal(cadre, data=EXE_BYTES, hours_claimed=Decimal("0"))
    assert list(_fields(invalid)) == ["hours_claimed"]
    assert invalid.proof_refused.reason == "program"


# --- the cadre's list and withdrawing -----------------------------------------------------

def test_a_cadre_lists_only_their_own_claims_newest_first(tree, cadre):
    other = make_user(unit=tree["jiefangbei"])
    first = submit(cadre, title="第一期")
    second = submit(cadre, title="第二期", now=NOW + timedelta(hours=1))
    submit(other)
    page = list_my_claims(actor=cadre)
    assert [claim.id for claim in page.items] == [second.id, first.id]


def test_the_cadre_withdraws_a_pending_claim_and_only_that(tree, cadre):
    claim = submit(cadre)
    with pytest.raises(NotFound):
        withdraw_claim(claim.id, actor=make_user(unit=tree["jiefangbei"]))
    withdraw_claim(claim.id, actor=cadre, now=NOW)
    assert claim.status is RequestStatus.WITHDRAWN
    assert audit_events("claims.withdrawn")[0].target == f"hours_claim:{claim.id}"
    with pytest.raises(ClaimNotPending):
        withdraw_claim(claim.id, actor=cadre)


def test_only_the_cadre_and_reviewers_in_scope_open_the_proof(tree, cadre):
    claim = submit(cadre)
    allowed = [cadre, make_user(unit=tree["city"], roles=["hr"], scope=tree["yuzhong"]),
               make_user(unit=tree["city"], roles=["admin"])]
    refused = [make_user(unit=tree["jiefangbei"]),
               make_user(unit=tree["jiefangbei"], roles=["trainer"]),
               make_user(unit=tree["city"], roles=["hr"], scope=tree["jiangbei"])]
    for person in allowed:
        assert open_claim_proof(claim.id, actor=person).content.startswith(b"%PDF-")
    for person in refused:
        with pytest.raises(PermissionDenied):
            open_claim_proof(claim.id, actor=person)
    with pytest.raises(NotFound):
        open_claim_proof(claim.id + 1000, actor=cadre)


# --- flags --------------------------------------------------------------------------------

def test_overlapping_claims_flag_each_other_until_one_is_withdrawn(cadre):
    first = submit(cadre, starts_on=date(2026, 5, 11), ends_on=date(2026, 5, 12))
    second = submit(cadre, starts_on=date(2026, 5, 12), ends_on=date(2026, 5, 13))
    apart = submit(cadre, starts_on=date(2026, 5, 20), ends_on=date(2026, 5, 20),
                   hours_claimed=Decimal("4"))
    assert (first.flags, second.flags, apart.flags) == ([OVERLAP], [OVERLAP], [])
    withdraw_claim(second.id, actor=cadre)
    assert first.flags == []


def test_another_cadres_claim_on_the_same_dates_is_no_overlap(tree, cadre):
    submit(make_user(unit=tree["jiefangbei"]))
    assert submit(cadre).flags == []


@pytest.mark.parametrize(("status", "member", "flagged"), [
    (ClassStatus.OPEN, MemberStatus.ENROLLED, True),
    (ClassStatus.FINISHED, MemberStatus.ENROLLED, True),
    (ClassStatus.OPEN, MemberStatus.APPLIED, False),
    (ClassStatus.OPEN, MemberStatus.WAITLISTED, False),
    (ClassStatus.OPEN, MemberStatus.WITHDRAWN, False),
    (ClassStatus.CANCELLED, MemberStatus.ENROLLED, False),
])
def test_a_class_the_cadre_is_enrolled_in_on_those_dates_is_an_overlap(
        tree, cadre, status, member, flagged):
    make_class(tree["yuzhong"], date(2026, 5, 12), date(2026, 5, 14), [(cadre, member)],
               status=status)
    make_class(tree["yuzhong"], date(2026, 5, 1), date(2026, 5, 3), [cadre])  # other dates
    assert submit(cadre).flags == ([OVERLAP] if flagged else [])


def test_a_certificate_number_used_before_is_flagged_folding_spaces_and_case(tree, cadre):
    other = make_user(unit=tree["guanyinqiao"])
    earlier = submit(other, certificate_number="DJ 2026-0001", starts_on=date(2026, 3, 2),
                     ends_on=date(2026, 3, 2), hours_claimed=Decimal("6"))
    claim = submit(cadre, certificate_number="dj2026 - 0001".replace(" - ", "-"))
    assert claim.flags == [REPEATED_CERTIFICATE]
    assert earlier.flags == [REPEATED_CERTIFICATE]  # the pending one it repeats, too
    assert submit(cadre, certificate_number="DJ2026-0002", starts_on=date(2026, 4, 1),
                  ends_on=date(2026, 4, 1), hours_claimed=Decimal("2")).flags == []


def test_a_withdrawn_claim_does_not_hold_its_certificate_number(tree, cadre):
    other = make_user(unit=tree["guanyinqiao"])
    earlier = submit(other, certificate_number="DJ-7", starts_on=date(2026, 3, 2),
                     ends_on=date(2026, 3, 2), hours_claimed=Decimal("6"))
    withdraw_claim(earlier.id, actor=other)
    assert submit(cadre, certificate_number="dj-7").flags == []


def test_the_claim_page_computes_the_flags_afresh_without_writing(db, tree, cadre,
                                                                  count_queries):
    claim = submit(cadre)
    make_class(tree["yuzhong"], date(2026, 5, 12), date(2026, 5, 12), [cadre])
    db.session.flush()
    with count_queries() as counter:
        context = claim_context(claim)
    assert context.flags == [OVERLAP] and claim.flags == []
    assert [near.overlapping for near in context.classes] == [True]
    assert all(statement.lstrip().upper().startswith("SELECT")
               for statement in counter.statements)
    assert not db.session.dirty and not db.session.new
