"""Hours claims for the tests: real small proof files (a ReportLab PDF, Pillow images), bad
ones, claims submitted through the service, and a class a cadre is a member of."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from PIL import Image
from reportlab.pdfgen import canvas

from app.domain.class_vocabulary import ClaimKind, ClassStatus, MemberSource, MemberStatus
from app.extensions import db
from app.models import ClassMember, TrainingClass
from app.services.training.claims import ClaimDraft, submit_claim
from app.services.training.proofs import ProofUpload

#: Noon in Chongqing on 15 June 2026: "today" of the service tests.
NOW = datetime(2026, 6, 15, 4, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


def pdf_bytes(text: str = "Certificate of completion") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG", size=(320, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 40, 40)).save(buffer, format=image_format)
    return buffer.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run"
HTML_BYTES = b"<!DOCTYPE html><html><head><title>cert</title></head><body>ok</body></html>"


def truncated_pdf() -> bytes:
    data = pdf_bytes()
    return data[: len(data) // 2]


def draft(**changes) -> ClaimDraft:
    values = {"title": "数字政府专题培训班", "organizer": "中共重庆市委党校",
              "kind": ClaimKind.PARTY_SCHOOL, "starts_on": date(2026, 5, 11),
              "ends_on": date(2026, 5, 12), "hours_claimed": Decimal("12"),
              "certificate_number": ""}
    values.update(changes)
    return ClaimDraft(**values)


def proof(data: bytes | None = None, filename: str = "结业证明.pdf") -> ProofUpload:
    return ProofUpload(filename, pdf_bytes() if data is None else data)


def submit(user, *, data: bytes | None = None, filename: str = "结业证明.pdf", now=NOW,
           **changes):
    return submit_claim(draft(**changes), proof(data, filename), actor=user, now=now)


def make_class(unit, starts_on: date, ends_on: date, members=(), *,
               status=ClassStatus.OPEN, title="数据治理培训班"):
    """A class of ``unit`` with ``members``: (user, MemberStatus) pairs or users (enrolled)."""
    training_class = TrainingClass(
        title=title, organizer="市委组织部", org_unit_id=unit.id, starts_on=starts_on,
        ends_on=ends_on, venue="市委党校", capacity=50, status=status)
    db.session.add(training_class)
    db.session.flush()
    for member in members:
        user, member_status = member if isinstance(member, tuple) else (
            member, MemberStatus.ENROLLED)
        db.session.add(ClassMember(class_id=training_class.id, user_id=user.id,
                                   status=member_status, source=MemberSource.NOMINATED))
    db.session.flush()
    return training_class
