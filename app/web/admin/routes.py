"""Administration: the audit log, filtered, paged and exported as CSV.

The log is read-only here on purpose: there is no page to edit or delete an event.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.domain.learning import local_today
from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models.types import utcnow
from app.services.audit_log import AuditFilter, export_audit_csv, list_audit_events
from app.web.admin.audit_labels import action_label, detail_items, translated_action_label
from app.web.guards import roles_required

bp = Blueprint("admin", __name__)


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: filters in the address, shareable and bookmarkable

    actor = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=64)])
    target = StringField(_l("Target"), validators=[Optional(), Length(max=128)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def audit_filter(self) -> AuditFilter | None:
        """The filters, or None when a field is invalid (the form then carries the errors)."""
        if not self.validate():
            return None
        return AuditFilter(actor=(self.actor.data or "").strip(),
                           action=(self.action.data or "").strip(),
                           target=(self.target.data or "").strip(),
                           date_from=self.date_from.data, date_to=self.date_to.data)


def _filter_form() -> AuditFilterForm:
    return AuditFilterForm(formdata=request.args)


@bp.get("/audit")
@roles_required(RoleName.ADMIN)
def audit():
    form = _filter_form()
    filters = form.audit_filter()
    result = None if filters is None else list_audit_events(
        actor=current_user, filters=filters, page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"])
    return render_template("admin/audit.html", form=form, result=result,
                           args=filters.as_details() if filters else {},
                           action_label=action_label, detail_items=detail_items)


@bp.get("/audit.csv")
@roles_required(RoleName.ADMIN)
def audit_csv():
    form = _filter_form()
    filters = form.audit_filter()
    if filters is None:
        abort(400, description=_("Correct the filters: %(problems)s", problems="; ".join(
            str(error) for errors in form.errors.values() for error in errors)))
    chunks = export_audit_csv(actor=current_user, filters=filters, ip=request.remote_addr,
                              label=translated_action_label())
    db.session.commit()  # the export is audited before a single row leaves
    filename = f"audit-{local_today(utcnow()):%Y%m%d}.csv"
    return Response(stream_with_context(chunks), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})
