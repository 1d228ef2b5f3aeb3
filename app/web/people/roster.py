"""Roster import: upload, preview (creates, updates, deactivations, errors), confirm.

The upload is kept in the database under a random token (the file's own name is never a
path), so any app instance can confirm it; the preview page posts the token back, and
confirming re-reads and re-checks the file against the database as it is then, applies
everything in one transaction, and shows each new account's one-time password once, on a
printable page.
"""

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.spreadsheet import safe_cell
from app.domain.vocabulary import RoleName
from app.services.people.roster import (
    RosterInvalid,
    RosterUploadGone,
    TooManyNewAccounts,
    apply_roster,
    discard_roster_upload,
    load_roster_upload,
    preview_roster,
    store_roster_upload,
)
from app.web.guards import roles_required
from app.web.people.roster_forms import (
    FIELD_LABELS,
    RosterConfirmForm,
    RosterErrorsForm,
    RosterUploadForm,
    change_value,
    error_text,
)
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("roster", __name__)
#: Items of each list (creates, updates, deactivations, errors) shown on the preview page.
PREVIEW_LIMIT = 200


@bp.get("/")
@roles_required(RoleName.ADMIN)
def index():
    return render_template("people/roster.html", form=RosterUploadForm(),
                           max_new=_max_new_accounts())


@bp.post("/")
@roles_required(RoleName.ADMIN)
@commits
def upload():
    limit = current_app.config["ROSTER_MAX_BYTES"]
    if (request.content_length or 0) > limit + 64 * 1024:  # the form's own bytes are few
        _too_large(limit)
    form = RosterUploadForm()
    upload = form.file.data if form.validate_on_submit() else None
    if upload is None or not getattr(upload, "filename", ""):
        flash(_("Choose the roster file to import."), "warning")
        return render_template("people/roster.html", form=form, max_new=_max_new_accounts()), 400
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        _too_large(limit)
    preview = preview_roster(data, upload.filename or "", actor=current_user,
                             deactivate_missing=form.deactivate_missing.data)
    token = store_roster_upload(data, filename=upload.filename or "",
                                deactivate_missing=form.deactivate_missing.data,
                                actor=current_user)
    return _preview_page(preview, token, upload.filename or "")


@bp.post("/confirm")
@roles_required(RoleName.ADMIN)
@commits
def confirm():
    token, stored = _stored_upload(RosterConfirmForm())
    try:
        result = apply_roster(stored.data, stored.filename, actor=current_user,
                              deactivate_missing=stored.deactivate_missing,
                              ip=request.remote_addr, max_creates=_max_new_accounts())
    except RosterInvalid as invalid:  # the database changed since the preview, or too many
        discard_refused_work()
        if not isinstance(invalid, TooManyNewAccounts):
            flash(_("Nothing was imported: the roster no longer applies cleanly."), "danger")
        return _preview_page(invalid.preview, token, stored.filename), 409
    discard_roster_upload(token)  # in the same transaction: gone only once imported
    return render_template("people/roster_done.html", result=result, diff=result.preview.diff)


@bp.post("/errors.csv")
@roles_required(RoleName.ADMIN)
def errors_csv():
    _token, stored = _stored_upload(RosterErrorsForm())
    preview = preview_roster(stored.data, stored.filename, actor=current_user,
                             deactivate_missing=stored.deactivate_missing)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("Row"), _("Column"), _("Value"), _("Problem")])
    for error in preview.errors:
        writer.writerow([error.row or "", safe_cell(error.column), safe_cell(error.value),
                         safe_cell(error_text(error))])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="roster-errors.csv"',
        "Cache-Control": "no-store"})


def _max_new_accounts() -> int:
    return current_app.config["ROSTER_WEB_MAX_NEW_ACCOUNTS"]


def _too_large(limit: int):
    abort(413, description=_("The roster file is larger than %(mb)s MB. Split it into "
                             "several files and import them one after the other.",
                             mb=limit // (1024 * 1024)))


def _stored_upload(form):
    if not form.validate_on_submit():
        abort(400)
    try:
        return form.token.data, load_roster_upload(form.token.data, actor=current_user)
    except RosterUploadGone:
        flash(_("This upload is no longer available (imported already, or older than a "
                "day): upload the file again."), "warning")
        abort(redirect(url_for(".index")))


def _preview_page(preview, token: str, filename: str):
    confirm = errors_form = None
    too_many = len(preview.diff.creates) > _max_new_accounts()
    if preview.can_confirm and not too_many:
        confirm = RosterConfirmForm(token=token)
    if len(preview.errors) > PREVIEW_LIMIT:
        errors_form = RosterErrorsForm(token=token)
    return render_template("people/roster_preview.html", preview=preview, diff=preview.diff,
                           filename=filename, confirm=confirm, errors_form=errors_form,
                           too_many=too_many, max_new=_max_new_accounts(),
                           limit=PREVIEW_LIMIT, error_text=error_text,
                           field_labels=FIELD_LABELS, change_value=change_value)
