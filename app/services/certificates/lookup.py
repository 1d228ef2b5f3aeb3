"""Finding certificates: the holder's list, a scoped lookup, public verification, the PDF data.

Who may see a certificate: its holder, HR whose scope covers the holder's unit, admins
(app.services.core.access). Who may revoke or reissue one: HR in scope and admins.
"""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.certificates import (
    DEV_SIGNING_KEY,
    code_matches,
    mask_name,
    normalize_serial,
    verification_code,
)
from app.domain.learning import local_today
from app.domain.vocabulary import CertificateKind, CertificateStatus
from app.extensions import db
from app.models import TrainingClass, User
from app.models.certificate import Certificate
from app.reports.certificate import CertificateDocument
from app.services.certificates.seal import seal_png
from app.services.core.access import may_manage_unit, may_view_person
from app.services.core.errors import NotFound, PermissionDenied


def signing_key() -> str:
    """CERT_SIGNING_KEY; outside production an empty key falls back to a fixed dev key
    (production refuses to start without a real one, see config.py)."""
    return current_app.config.get("CERT_SIGNING_KEY") or DEV_SIGNING_KEY


def code_for(certificate: Certificate) -> str:
    return verification_code(certificate.serial, signing_key())


def verify_url(certificate: Certificate) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/verify/{certificate.serial}?c={code_for(certificate)}"


def find_certificate(serial: str) -> Certificate | None:
    normalized = normalize_serial(serial)
    if normalized is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.serial == normalized))


def verify_certificate(serial: str | None, code: str | None) -> Certificate | None:
    """The certificate when serial and code match; None for anything else, alike."""
    certificate = find_certificate(serial or "")
    if certificate is None or not code_matches(certificate.serial, code, signing_key()):
        return None
    return certificate


def may_manage_certificate(actor: User, certificate: Certificate) -> bool:
    """HR whose scope covers the holder, or an admin (revoke, reissue)."""
    return may_manage_unit(actor, certificate.user.org_unit)


def find_certificate_for(serial: str, *, actor: User) -> Certificate:
    """The certificate if the actor may see it: NotFound, or PermissionDenied (the web answers
    both with the same 404, app.web.certificates)."""
    certificate = find_certificate(serial)
    if certificate is None:
        raise NotFound(serial)
    if not may_view_person(actor, certificate.user):
        raise PermissionDenied("this certificate's holder is outside your scope",
                               target=f"certificate:{certificate.serial}")
    return certificate


def list_certificates_of(user: User) -> list[Certificate]:
    """All of a cadre's certificates, valid and revoked, newest first (one query)."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user.id)
        .options(selectinload(Certificate.course))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def serial_history(certificate: Certificate) -> list[Certificate]:
    """The chain of reissues this certificate belongs to, oldest first."""
    first = certificate
    seen = {first.id}
    while first.reissue_of is not None and first.reissue_of.id not in seen:
        first = first.reissue_of
        seen.add(first.id)
    chain, current = [first], first
    while True:
        following = db.session.scalar(select(Certificate)
                                      .where(Certificate.reissue_of_id == current.id))
        if following is None or following.id in {c.id for c in chain}:
            return chain
        chain.append(following)
        current = following


@dataclass(frozen=True)
class ClassDetails:
    """A class certificate's class: who ran it and when (printed from the class)."""

    organizer: str
    starts_on: date
    ends_on: date


def class_details(certificate: Certificate) -> ClassDetails | None:
    """The class of a class certificate (one query), None for the other kinds."""
    if certificate.training_class_id is None:
        return None
    training_class = db.session.get(TrainingClass, certificate.training_class_id)
    return ClassDetails(training_class.organizer, training_class.starts_on,
                        training_class.ends_on)


@dataclass(frozen=True)
class VerifiedFacts:
    """What the public page may say: nothing personal beyond the masked name."""

    serial: str
    valid: bool
    kind: CertificateKind
    title: str
    hours: str
    issued_on: date
    revoked_on: date | None
    issuer: str
    masked_name: str
    #: Class certificates: the class's organizer and dates.
    training_class: ClassDetails | None = None


def public_facts(certificate: Certificate) -> VerifiedFacts:
    revoked = certificate.status is CertificateStatus.REVOKED
    return VerifiedFacts(
        serial=certificate.serial, valid=not revoked, kind=certificate.kind,
        title=certificate.title,
        hours=format(certificate.hours, "f"), issued_on=local_today(certificate.issued_at),
        revoked_on=local_today(certificate.revoked_at) if revoked and certificate.revoked_at
        else None,
        issuer=current_app.config["CERT_ISSUER"], masked_name=mask_name(certificate.holder_name),
        training_class=class_details(certificate))


def certificate_document(certificate: Certificate) -> CertificateDocument:
    """Everything printed on the PDF, from the row as issued, and today's seal."""
    details = class_details(certificate)
    return CertificateDocument(
        serial=certificate.serial, issuer=current_app.config["CERT_ISSUER"],
        holder_name=certificate.holder_name, unit_name=certificate.unit_name,
        title=certificate.title, kind=certificate.kind.value,
        hours=format(certificate.hours, "f"),
        score=None if certificate.score is None else format(certificate.score, "f"),
        level=certificate.level, issued_on=local_today(certificate.issued_at),
        verify_url=verify_url(certificate), code=code_for(certificate),
        revoked=certificate.status is CertificateStatus.REVOKED, seal=seal_png(),
        organizer=details.organizer if details else None,
        starts_on=details.starts_on if details else None,
        ends_on=details.ends_on if details else None)
