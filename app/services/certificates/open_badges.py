"""A certificate as an Open Badges 3.0 OpenBadgeCredential (JSON-LD).

Unsigned in this version: the credential carries no proof; its evidence is the public
verification URL, where anyone checks it against the platform. The holder is identified by
a salted SHA-256 of their username (an IdentityObject with ``hashed: true``), never by name.
"""

import hashlib

from flask import current_app

from app.domain.vocabulary import CertificateKind, CertificateStatus
from app.models.certificate import Certificate
from app.services.certificates.lookup import verify_url

CONTEXTS = ["https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def identity_salt(certificate: Certificate) -> str:
    # Per certificate, so the same cadre's badges cannot be linked by their identifiers.
    return hashlib.sha256(f"{certificate.serial}:salt".encode()).hexdigest()[:16]


def hashed_identity(username: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((username + salt).encode("utf-8")).hexdigest()


def _criteria(certificate: Certificate) -> str:
    if certificate.kind is CertificateKind.COURSE:
        return (f"完成课程《{certificate.title}》的全部课节，并通过其全部计分测验与数据实战练习"
                f"（{format(certificate.hours, 'f')} 学时）。")
    if certificate.kind is CertificateKind.CLASS:
        return (f"参加培训班《{certificate.title}》，出勤、关联课程与结业考核均达到结业要求"
                f"（面授 {format(certificate.hours, 'f')} 学时）。")
    return (f"完成{certificate.level}层级的全部核心课程（{format(certificate.hours, 'f')} 学时）。")


def _achievement_path(certificate: Certificate) -> str:
    if certificate.course is not None:
        return f"course/{certificate.course.code}"
    if certificate.training_class_id is not None:
        return f"class/{certificate.training_class_id}"
    return f"tier/{certificate.tier.value}"


def build_open_badge(certificate: Certificate) -> dict:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    issuer_name = current_app.config["CERT_ISSUER"]
    target = _achievement_path(certificate)
    salt = identity_salt(certificate)
    credential = {
        "@context": CONTEXTS,
        "id": f"{base}/verify/{certificate.serial}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title,
        "issuer": {"id": base, "type": ["Profile"], "name": issuer_name},
        "validFrom": certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "identifier", "hashed": True,
                "identityHash": hashed_identity(certificate.user.username, salt),
                "salt": salt,
            }],
            "achievement": {
                "id": f"{base}/achievements/{target}",
                "type": ["Achievement"],
                "name": certificate.title,
                "description": f"{issuer_name}颁发的{certificate.title}证书。",
                "criteria": {"narrative": _criteria(certificate)},
                "achievementType": "Certificate",
            },
        },
        "evidence": [{"id": verify_url(certificate), "type": ["Evidence"],
                      "name": "证书在线核验"}],
    }
    if certificate.status is CertificateStatus.REVOKED and certificate.revoked_at is not None:
        credential["validUntil"] = certificate.revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return credential
