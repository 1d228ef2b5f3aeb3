"""Roster import (花名册): preview a CSV/XLSX file of people, then confirm it all at once.

- reading: bytes to numbered rows (CSV in UTF-8/GBK/GB18030, or XLSX read-only);
- preview: the rows checked (app.domain.roster) and compared with the accounts;
- apply: creates, updates and deactivations in bulk, one-time passwords for new accounts;
- uploads: the file kept between preview and confirmation.
"""

from app.services.people.roster.apply import (
    OneTimeCredential,
    RosterInvalid,
    RosterResult,
    TooManyNewAccounts,
    apply_roster,
)
from app.services.people.roster.preview import RosterPreview, preview_roster, require_roster_admin
from app.services.people.roster.uploads import (
    RosterUploadGone,
    StoredRoster,
    discard_roster_upload,
    load_roster_upload,
    purge_old_roster_uploads,
    store_roster_upload,
)

__all__ = [
    "OneTimeCredential", "RosterInvalid", "RosterPreview", "RosterResult",
    "RosterUploadGone", "StoredRoster", "apply_roster", "discard_roster_upload",
    "load_roster_upload", "preview_roster", "purge_old_roster_uploads", "require_roster_admin",
    "store_roster_upload", "TooManyNewAccounts",
]
