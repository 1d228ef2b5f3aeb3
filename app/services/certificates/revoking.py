"""Revoking and reissuing certificates, and taking back a completion a regrade made untrue.

HR in scope or an admin revokes a certificate with a reason (audited as
``certificate.revoked``). A reissue after a name change revokes the old certificate with the
reason "reissued" and issues a new serial pointing back to it (``reissue_of_id``).

A regrade (an upheld appeal, a corrected key) may drop the standing result of a graded quiz
below its pass mark. The course is then no longer complete: the completion is cleared, that
year's hour credit for the course is deleted unless the year's appraisal is closed (a closed
year is a snapshot), and the course certificate, and the tier certificate when the course is
core for its tier, are revoked with the reason "score revised"; the cadre gets a notice.

Revoking a certificate does not take back its hours: the ledger line stays (only a
completion a regrade made untrue removes one, above). The same holds for a class
certificate (结业证书): revoking it leaves the class's face-to-face hours in the ledger.
"""

from sqlalchemy import delete, select

from app.domain.learning import local_year
from app.domain.vocabulary import CertificateStatus
from app.extensions import db
from app.models import Enrollment, HourCredit, User
from app.models.certificate import Certificate
from app.models.notification import Notification
from app.models.types import utcnow
from app.services.appraisal.closing import is_year_closed
from app.services.certificates.issuing import holder_fields, insert_numbered, valid_certificate
from app.services.certificates.lookup import may_manage_certificate
from app.services.core.audit import record_event
from app.services.core.errors import PermissionDenied, ServiceError

MAX_REASON = 500
REASON_REISSUED = "reissued"
REASON_SCORE_REVISED = "score revised"


class ReasonRequired(ServiceError):
    """Revoking needs a reason (at most MAX_REASON characters)."""


class AlreadyRevoked(ServiceError):
    """The certificate is revoked already."""


def _revoke(certificate: Certificate, reason: str, actor: User | None, ip: str | None) -> None:
    if certificate.status is CertificateStatus.REVOKED:
        raise AlreadyRevoked(certificate.serial)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    certificate.revoked_by_id = actor.id if actor is not None else None
    db.session.flush()
    record_event("certificate.revoked", actor=actor, target=f"certificate:{certificate.serial}",
                 details={"reason": reason, "user_id": certificate.user_id}, ip=ip)


def revoke_certificate(certificate: Certificate, reason: str, *, actor: User,
                       ip: str | None = None) -> None:
    if not may_manage_certificate(actor, certificate):
        raise PermissionDenied("only HR in scope or an admin may revoke this certificate")
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON:
        raise ReasonRequired(str(MAX_REASON))
    _revoke(certificate, reason, actor, ip)


def reissue_certificate(certificate: Certificate, *, actor: User,
                        ip: str | None = None) -> Certificate:
    """A new serial with the holder's current name and unit; the old one is revoked."""
    if not may_manage_certificate(actor, certificate):
        raise PermissionDenied("only HR in scope or an admin may reissue this certificate")
    _revoke(certificate, REASON_REISSUED, actor, ip)
    replacement = Certificate(
        kind=certificate.kind, course_id=certificate.course_id, tier=certificate.tier,
        training_class_id=certificate.training_class_id, title=certificate.title,
        hours=certificate.hours, score=certificate.score, level=certificate.level,
        reissue_of_id=certificate.id,
        **holder_fields(certificate.user))
    issued = insert_numbered(replacement, utcnow())
    if issued is None:  # a valid one appeared meanwhile: nothing to replace
        raise ServiceError("already_valid")
    record_event("certificate.reissued", actor=actor, target=f"certificate:{issued.serial}",
                 details={"replaces": certificate.serial}, ip=ip)
    return issued


def notify_revoked(certificate: Certificate) -> None:
    db.session.add(Notification(user_id=certificate.user_id, kind="certificate.revoked",
                                params={"serial": certificate.serial,
                                        "title": certificate.title}))


def withdraw_completion(enrollment: Enrollment, *, actor: User | None) -> list[Certificate]:
    """The course is no longer complete after a regrade: undo completion, hours, certificates."""

    if enrollment.completed_at is None:
        return []
    year = local_year(enrollment.completed_at)
    enrollment.completed_at = None
    if not is_year_closed(year):
        db.session.execute(delete(HourCredit).where(
            HourCredit.user_id == enrollment.user_id, HourCredit.course_id == enrollment.course_id,
            HourCredit.year == year))
    course = enrollment.course
    revoked = [valid_certificate(enrollment.user_id, course_id=course.id)]
    if course.core:
        revoked.append(valid_certificate(enrollment.user_id, tier=course.tier))
    revoked = [certificate for certificate in revoked if certificate is not None]
    for certificate in revoked:
        _revoke(certificate, REASON_SCORE_REVISED, actor, None)
        notify_revoked(certificate)
    record_event("learning.completion_withdrawn", actor=actor,
                 target=f"course:{course.code}",
                 details={"user_id": enrollment.user_id, "year": year,
                          "certificates": [c.serial for c in revoked]})
    db.session.flush()
    return revoked


def withdraw_completion_for_quiz(course_id: int, user_id: int, *, actor: User | None) -> None:
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.course_id == course_id, Enrollment.user_id == user_id))
    if enrollment is not None:
        withdraw_completion(enrollment, actor=actor)
