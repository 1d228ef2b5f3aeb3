"""Certificates (issue #8): issuing on completion, tiers, verification, revocation, reissue.

issuing.py numbers and issues (classes.py: a finished training class's certificates);
lookup.py finds, scopes and verifies; revoking.py revokes, reissues and undoes a completion a
regrade made untrue; notices.py holds the dashboard notices.
"""

from app.services.certificates.issuing import (
    MissingWork,
    find_missing_work,
    issue_course_certificate,
    issue_for_completion,
    issue_missing_certificates,
    issue_tier_certificate,
)
from app.services.certificates.lookup import (
    ClassDetails,
    certificate_document,
    class_details,
    code_for,
    find_certificate_for,
    list_certificates_of,
    may_manage_certificate,
    public_facts,
    serial_history,
    verify_certificate,
    verify_url,
)
from app.services.certificates.revoking import (
    AlreadyRevoked,
    ReasonRequired,
    reissue_certificate,
    revoke_certificate,
    withdraw_completion,
)

__all__ = [
    "AlreadyRevoked", "ClassDetails", "MissingWork", "ReasonRequired", "certificate_document",
    "class_details", "code_for", "find_certificate_for", "find_missing_work",
    "issue_course_certificate", "issue_for_completion", "issue_missing_certificates",
    "issue_tier_certificate", "list_certificates_of", "may_manage_certificate",
    "public_facts", "reissue_certificate", "revoke_certificate", "serial_history",
    "verify_certificate", "verify_url", "withdraw_completion",
]
