"""An audit event's details as an administrator reads them: named fields, readable values.

Services record details with stable English keys and vocabulary values ({"unit": "500000",
"role": "admin", "thresholds": {"excellent": 90}}): good for the CSV export and for
searching, not for a Chinese page. Here each key gets its label and each vocabulary value its
name (the labels users read everywhere else); data (usernames, codes, paths, titles) stays as
recorded. A key without a label is shown as the recorded identifier, marked as code.
"""

import json
from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.labels import all_value_labels
from app.web.appraisal.routes import COMPONENT_LABELS, RATING_LABELS
from app.web.training.claim_forms import FLAG_LABELS

#: A detail value longer than this is cut in the table (the CSV export keeps it whole).
DETAIL_CHARS = 120

DETAIL_LABELS = {
    "bytes": _l("Size (bytes)"), "cadres": _l("Cadres"), "certificates": _l("Certificates"),
    "change": _l("Change"), "changes": _l("Changes"), "closed_at": _l("Closed at"),
    "code": _l("Code"), "content": _l("Content"), "course": _l("Course"),
    "created": _l("Created"), "deactivate_missing": _l("Deactivate those missing"),
    "deactivated": _l("Deactivated"), "document_ref": _l("Document reference"),
    "due_on": _l("Due date"), "encoding": _l("Encoding"), "endpoint": _l("Page"),
    "enrolled": _l("Enrolled"), "entries": _l("Entries"), "extra_percent": _l("Extra time (%)"),
    "file": _l("File"), "filename": _l("File name"), "filters": _l("Filters"),
    "fixed_dataset": _l("Fixed dataset"), "from": _l("From"), "height": _l("Height (pixels)"),
    "hours_targets": _l("Hours targets"), "hours_claimed": _l("Hours claimed"),
    "hours_approved": _l("Hours approved"), "flags": _l("Flags"), "before": _l("Before"),
    "after": _l("After"), "status": _l("Status"),
    "kind": _l("Kind of item"), "message": _l("Message"),
    "method": _l("Request method"), "name": _l("Name"), "new_path": _l("New path"),
    "number": _l("Number"), "old_path": _l("Old path"), "one_time": _l("One-time password"),
    "one_time_replaced": _l("One-time password replaced"), "parent": _l("Parent unit"),
    "path": _l("Address"), "people": _l("People"), "plan_id": _l("Plan"),
    "points": _l("Points"), "position": _l("Question number"), "quiz_id": _l("Quiz"),
    "quota_percent": _l("Quota (%)"), "ratings": _l("Ratings"), "reason": _l("Reason"),
    "remedy": _l("Remedy"), "replaced": _l("Replaced"), "replaces": _l("Replaces"),
    "results": _l("Results"), "retired": _l("Retired"), "role": _l("Role"),
    "rows": _l("Rows"), "run_id": _l("Appraisal run"), "scenario": _l("Scenario"),
    "scope": _l("Scope"), "source": _l("Source"), "sql": _l("SQL"), "tables": _l("Tables"),
    "team_unit_id": _l("Team unit"), "teams": _l("Teams"), "thresholds": _l("Thresholds"),
    "title": _l("Title"), "to": _l("To"), "type": _l("Type"), "unchanged": _l("Unchanged"),
    "unit": _l("Org unit"), "until": _l("Until"), "updated": _l("Updated"),
    "user_id": _l("User"), "username": _l("Username"), "version": _l("Version"),
    "weights": _l("Weights"), "width": _l("Width (pixels)"), "year": _l("Year"),
    # Training classes.
    "promoted": _l("Moved up from the waitlist"), "ranks": _l("Ranks"),
    "categories": _l("Work categories"), "waitlisted": _l("Waitlisted"),
    "session_id": _l("Session"), "hours": _l("Hours"),
}
# Class attendance (issue 20).
DETAIL_LABELS.update({
    "after": _l("After"), "before": _l("Before"), "before_method": _l("Recorded before by"),
    "decision_note": _l("Note to the member"), "leave_request": _l("Leave request"),
    "refusal": _l("Refusal"),
    "scanned_at": _l("Scanned at"), "status": _l("Status"), "window": _l("Code window"),
})
#: Values recorded as identifiers that are not vocabulary members.
EXTRA_VALUE_LABELS = {
    "denied": _l("not allowed for this person"), "no_rule": _l("no access rule"),
    "cadre_record": _l("Cadre record (PDF)"), "unit_summary": _l("Unit summary (PDF)"),
    "batch_records": _l("Training records of a whole unit (PDF)"),
    "excel": _l("Excel"), "gift": _l("GIFT"), "course": _l("Course"),
}


def _value_labels() -> dict:
    labels = all_value_labels()
    labels.update({str(k): v for k, v in RATING_LABELS.items()})
    labels.update(COMPONENT_LABELS)
    labels.update(EXTRA_VALUE_LABELS)
    labels.update(FLAG_LABELS)
    return labels


def readable_value(value, labels: Mapping | None = None) -> str:
    """A detail's value in words: vocabulary by name, yes/no, — for nothing, data as is."""
    labels = labels if labels is not None else _value_labels()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return str(labels.get(value, value))
    if isinstance(value, Mapping):
        return "；".join(f"{_key_text(key, labels)} {readable_value(item, labels)}"
                        for key, item in value.items())
    if isinstance(value, list | tuple) and not any(isinstance(item, list | tuple | Mapping)
                                                   for item in value):
        return "、".join(readable_value(item, labels) for item in value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _key_text(key, labels: Mapping) -> str:
    key = str(key)
    return str(DETAIL_LABELS.get(key) or labels.get(key) or key)


def detail_items(details: dict | None) -> list[tuple[Markup, str]]:
    """(label, short text) pairs: a key without a label shows as code, long texts are cut."""
    labels, items = _value_labels(), []
    for key, value in (details or {}).items():
        name = DETAIL_LABELS.get(str(key))
        shown = escape(str(name)) if name else Markup("<code>%s</code>") % str(key)
        text = readable_value(value, labels)
        items.append((shown, text if len(text) <= DETAIL_CHARS
                      else text[: DETAIL_CHARS - 1] + "…"))
    return items
