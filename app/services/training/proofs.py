"""Proof files of hours claims: checked by content (app.domain.claim_proofs) and kept in the
database, like the other uploads (course images, pending rosters): every app instance reads
them, a backup holds them, and a refused or rolled-back claim leaves no file behind. They
are never served as static files: open_claim_proof checks who asks, every time.
"""

import hashlib
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.domain.claim_proofs import CheckedProof, check_proof
from app.extensions import db
from app.models import HoursClaim, HoursClaimProof, User
from app.services.core.errors import NotFound
from app.services.training.claim_access import ensure_may_see_claim, find_claim

#: A name is kept to show and to save the download under, never as a path.
MAX_NAME_CHARS = 120
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


@dataclass(frozen=True)
class ProofUpload:
    """A file as the browser sent it."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class ProofFile:
    """A stored proof, ready to send."""

    claim: HoursClaim
    content: bytes

    @property
    def is_image(self) -> bool:
        return self.claim.proof_type.startswith("image/")


def proof_max_bytes() -> int:
    """The configured size limit of a proof (HOURS_CLAIM_PROOF_MAX_BYTES)."""
    return int(current_app.config["HOURS_CLAIM_PROOF_MAX_BYTES"])


def check_proof_upload(upload: ProofUpload) -> CheckedProof:
    """The proof's kind by content; ProofRefused says why it cannot be a proof."""
    return check_proof(upload.data, max_bytes=proof_max_bytes())


def describe_proof(claim: HoursClaim, upload: ProofUpload, checked: CheckedProof) -> None:
    """Set the claim's proof columns (its hash, checked type, size and a safe name)."""
    claim.proof_key = hashlib.sha256(upload.data).hexdigest()
    claim.proof_type = checked.content_type
    claim.proof_bytes = len(upload.data)
    claim.proof_name = safe_proof_name(upload.filename, checked)


def store_proof(claim: HoursClaim, data: bytes) -> None:
    db.session.add(HoursClaimProof(claim_id=claim.id, content=data))
    db.session.flush()


def open_claim_proof(claim_id: int, *, actor: User) -> ProofFile:
    """The proof of a claim the actor may see (its cadre, HR in scope, admins)."""
    claim = find_claim(claim_id)
    ensure_may_see_claim(actor, claim)
    content = db.session.scalar(
        select(HoursClaimProof.content).where(HoursClaimProof.claim_id == claim.id))
    if content is None:  # a claim written without one (not through submit_claim)
        raise NotFound(f"hours claim {claim.id} has no stored proof")
    return ProofFile(claim, content)


def safe_proof_name(filename: str, checked: CheckedProof) -> str:
    """The name as sent, without folders or control characters, ending in the extension of
    what the file really is (a PNG sent as "scan.jpg" is kept as "scan.png")."""
    base = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE_NAME.sub("_", base).strip(" ._") or "proof"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem[:MAX_NAME_CHARS]}.{checked.extension}"
