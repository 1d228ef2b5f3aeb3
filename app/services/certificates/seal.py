"""The issuer's seal on certificates: admins upload, replace and remove it; PDFs draw it.

One seal for the whole platform (the certificates' issuer is one, CERT_ISSUER), kept in the
``certificate_seal`` table. Every change is audited as ``certificate.seal_uploaded`` or
``certificate.seal_removed``. Certificates are drawn when downloaded, so a new seal shows on
every certificate from then on, and removing it gives the plain certificates of before.
"""

from datetime import date

from flask import current_app
from sqlalchemy import select

from app.domain.certificate_seal import SealRefused, check_seal_image
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import User
from app.models.certificate import CertificateSeal
from app.models.types import utcnow
from app.reports.certificate import CertificateDocument
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied

__all__ = ["SealRefused", "current_seal", "remove_seal", "sample_certificate_document",
           "seal_png", "upload_seal"]

SEAL_TARGET = "certificate_seal"


def _ensure_admin(actor: User) -> None:
    if not actor.has_role(RoleName.ADMIN):
        raise PermissionDenied("only an administrator may change the certificates' seal",
                               target=SEAL_TARGET)


def current_seal() -> CertificateSeal | None:
    """The seal's facts (size, who uploaded it when), without its bytes."""
    return db.session.get(CertificateSeal, 1)


def seal_png() -> bytes | None:
    """The seal's PNG to draw, or None when no seal is uploaded (one query)."""
    return db.session.scalar(select(CertificateSeal.png).where(CertificateSeal.id == 1))


def upload_seal(data: bytes, *, actor: User, ip: str | None = None) -> CertificateSeal:
    """Check the image (SealRefused says what is wrong) and make it the seal."""
    _ensure_admin(actor)
    image = check_seal_image(data)
    seal = current_seal()
    replaced = seal is not None
    if seal is None:
        seal = CertificateSeal(id=1)
        db.session.add(seal)
    seal.png, seal.width, seal.height, seal.sha256 = (image.png, image.width, image.height,
                                                      image.sha256)
    seal.uploaded_at, seal.uploaded_by_id = utcnow(), actor.id
    db.session.flush()
    record_event("certificate.seal_uploaded", actor=actor, target=SEAL_TARGET, ip=ip,
                 details={"bytes": len(image.png), "width": image.width,
                          "height": image.height, "replaced": replaced})
    return seal


def remove_seal(*, actor: User, ip: str | None = None) -> bool:
    """Remove the seal; False when there was none (nothing recorded then)."""
    _ensure_admin(actor)
    seal = current_seal()
    if seal is None:
        return False
    db.session.delete(seal)
    db.session.flush()
    record_event("certificate.seal_removed", actor=actor, target=SEAL_TARGET, ip=ip)
    return True


def sample_certificate_document(*, today: date, actor: User) -> CertificateDocument:
    """A specimen certificate with the current seal, for the admin's preview (样张)."""
    _ensure_admin(actor)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return CertificateDocument(
        serial="DCA-0000-000000", issuer=current_app.config["CERT_ISSUER"],
        holder_name="样张", unit_name="样张单位", title="样张课程", kind="course",
        hours="4.0", score="90.0", level=None, issued_on=today,
        verify_url=f"{base}/verify/", seal=seal_png())
