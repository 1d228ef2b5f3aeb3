"""Issue #17, finding 19: the seal's use cases refuse everyone but admins, whatever the page."""

from datetime import date

import pytest

from app.domain.vocabulary import RoleName
from app.services.certificates.seal import (
    remove_seal,
    sample_certificate_document,
    seal_png,
    upload_seal,
)
from app.services.core.errors import PermissionDenied
from tests.factories import audit_events, make_seal, make_user, seal_image


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.TRAINER, RoleName.HR],
                         ids=lambda role: role.value)
def test_finding_19_only_an_admin_changes_or_samples_the_seal(tree, role):
    person = make_user(unit=tree["city"], roles=[] if role is RoleName.CADRE else [role],
                       scope=tree["city"] if role is RoleName.HR else None)
    with pytest.raises(PermissionDenied):
        upload_seal(seal_image(), actor=person)
    assert seal_png() is None
    make_seal()
    with pytest.raises(PermissionDenied):
        remove_seal(actor=person)
    with pytest.raises(PermissionDenied):
        sample_certificate_document(today=date(2026, 12, 7), actor=person)
    assert seal_png() is not None
    assert audit_events("certificate.seal_uploaded") == audit_events(
        "certificate.seal_removed") == []
