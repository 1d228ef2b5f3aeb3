"""Administration: the audit log, filtered, paged and exported as CSV, with readable names
for the actions and a compact view of an event's details.

The log is read-only here on purpose: there is no page to edit or delete an event.
"""

from collections.abc import Callable, Mapping

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
from app.models.types import utcnow
from app.services.core.audit import AuditFilter, export_audit_csv, list_audit_events
from app.web.core.audit_details import detail_items
from app.web.guards import roles_required
from app.web.transactions import commits

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
    return render_template("core/audit.html", form=form, result=result,
                           args=filters.as_details() if filters else {},
                           action_label=action_label, detail_items=detail_items)


@bp.get("/audit.csv")
@roles_required(RoleName.ADMIN)
@commits
def audit_csv():
    form = _filter_form()
    filters = form.audit_filter()
    if filters is None:
        abort(400, description=_("Correct the filters: %(problems)s", problems="; ".join(
            str(error) for errors in form.errors.values() for error in errors)))
    chunks = export_audit_csv(actor=current_user, filters=filters, ip=request.remote_addr,
                              label=translated_action_label())
    filename = f"audit-{local_today(utcnow()):%Y%m%d}.csv"
    return Response(stream_with_context(chunks), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


# Readable names for audit actions and a compact view of an event's details.

ACTION_LABELS = {
    "access.refused": _l("Access refused"),
    "audit.exported": _l("Audit log exported"),
    "auth.login": _l("Signed in"),
    "auth.login_failed": _l("Sign-in failed"),
    "auth.login_throttled": _l("Sign-in refused: too many recent failures for this name"),
    "auth.login_refused_one_time_expired": _l("Sign-in refused: one-time password expired"),
    "auth.login_refused_inactive": _l("Sign-in refused: account deactivated"),
    "auth.throttled": _l("Sign-ins slowed down after repeated failures"),
    # Events of the account lockout that throttling replaced, kept readable in the history.
    "auth.login_refused_locked": _l("Sign-in refused: account locked"),
    "auth.locked": _l("Account locked after failed sign-ins"),
    "auth.logout": _l("Signed out"),
    "auth.password_changed": _l("Password changed"),
    "password.reset": _l("Password reset"),
    "users.created": _l("User created"),
    "users.updated": _l("User updated"),
    "users.deactivated": _l("User deactivated"),
    "users.reactivated": _l("User reactivated"),
    "roles.granted": _l("Role granted"),
    "roles.revoked": _l("Role revoked"),
    "org.created": _l("Org unit created"),
    "org.unit_created": _l("Org unit created"),
    "org.renamed": _l("Org unit renamed"),
    "org.moved": _l("Org unit moved"),
    "org.unit_moved": _l("Org unit moved"),
    "org.deactivated": _l("Org unit deactivated"),
    "org.reactivated": _l("Org unit reactivated"),
    "roster.imported": _l("Roster imported"),
    "courses.imported": _l("Course imported"),
    "courses.shared_bank_imported": _l("Shared question bank imported"),
    "authoring.course_created": _l("Course created"),
    "authoring.course_edited": _l("Course edited"),
    "authoring.course_published": _l("Course published"),
    "authoring.course_archived": _l("Course archived"),
    "authoring.course_unpublished": _l("Course returned to draft"),
    "authoring.course_owner_added": _l("Course owner added"),
    "authoring.course_owner_removed": _l("Course owner removed"),
    "authoring.course_image_uploaded": _l("Course image uploaded"),
    "authoring.lesson_created": _l("Lesson created"),
    "authoring.lesson_edited": _l("Lesson edited"),
    "authoring.lesson_moved": _l("Lesson moved"),
    "authoring.lesson_deleted": _l("Lesson deleted"),
    "authoring.video_uploaded": _l("Lesson video uploaded"),
    "authoring.video_deleted": _l("Lesson video deleted"),
    "authoring.video_subtitles_set": _l("Video subtitles uploaded"),
    "authoring.video_subtitles_removed": _l("Video subtitles removed"),
    "authoring.question_created": _l("Question created"),
    "authoring.question_updated": _l("Question updated"),
    "authoring.question_duplicated": _l("Question duplicated"),
    "authoring.question_retired": _l("Question retired"),
    "authoring.question_restored": _l("Question restored"),
    "authoring.questions_imported": _l("Questions imported"),
    "authoring.quiz_created": _l("Quiz created"),
    "authoring.quiz_edited": _l("Quiz edited"),
    "authoring.exercise_created": _l("Data exercise created"),
    "authoring.exercise_edited": _l("Data exercise edited"),
    "learning.enrolled": _l("Enrolled in a course"),
    "learning.left": _l("Left a course"),
    "learning.completed": _l("Course completed"),
    "learning.completion_withdrawn": _l("Course completion withdrawn"),
    "plans.created": _l("Training plan created"),
    "plans.updated": _l("Training plan updated"),
    "assessment.accommodation_set": _l("Extra time set"),
    "assessment.annual_test_created": _l("Annual test created"),
    "assessment.essay_graded": _l("Essay graded"),
    "assessment.appeal_filed": _l("Appeal filed"),
    "assessment.appeal_rejected": _l("Appeal rejected"),
    "assessment.appeal_upheld": _l("Appeal upheld (regraded)"),
    "assessment.hint_opened": _l("Exercise hint opened"),
    "sandbox.refused": _l("SQL query refused by the sandbox"),
    "appraisal.scheme_saved": _l("Appraisal scheme saved"),
    "appraisal.run": _l("Appraisal run"),
    "appraisal.exemption_granted": _l("Appraisal exemption granted"),
    "appraisal.plan_extended": _l("Plan due date extended"),
    "appraisal.year_closed": _l("Appraisal year closed"),
    "appraisal.year_reopened": _l("Appraisal year reopened"),
    "commendation.proposed": _l("Commendation list proposed"),
    "commendation.added": _l("Added to a commendation list"),
    "commendation.removed": _l("Removed from a commendation list"),
    "commendation.confirmed": _l("Commendation list confirmed"),
    "certificate.issued": _l("Certificate issued"),
    "certificate.reissued": _l("Certificate reissued"),
    "certificate.revoked": _l("Certificate revoked"),
    "certificate.seal_uploaded": _l("Certificate seal uploaded"),
    "certificate.seal_removed": _l("Certificate seal removed"),
    "video.hours_scheme_changed": _l("Hours by video length changed"),
    "classes.created": _l("Training class created"),
    "classes.updated": _l("Training class edited"),
    "classes.published": _l("Training class published"),
    "classes.cancelled": _l("Training class cancelled"),
    "classes.session_added": _l("Class session added"),
    "classes.session_updated": _l("Class session changed"),
    "classes.session_deleted": _l("Class session deleted"),
    "classes.nominated": _l("Cadres nominated to a class"),
    "classes.applied": _l("Applied to a class"),
    "classes.withdrew": _l("Withdrew from a class"),
    "classes.application_approved": _l("Class application approved"),
    "classes.application_rejected": _l("Class application rejected"),
    "classes.member_withdrawn": _l("Class member withdrawn"),
    "claims.submitted": _l("Hours claim submitted"),
    "claims.withdrawn": _l("Hours claim withdrawn"),
    "claims.approved": _l("Hours claim approved"),
    "claims.rejected": _l("Hours claim rejected"),
    "claims.reversed": _l("Hours claim approval reversed"),
    "attendance.checked_in": _l("Checked in to a class session"),
    "attendance.check_in_refused": _l("Class check-in refused"),
    "attendance.corrected": _l("Class attendance corrected"),
    "attendance.leave_requested": _l("Leave requested"),
    "attendance.leave_withdrawn": _l("Leave request withdrawn"),
    "attendance.leave_approved": _l("Leave request approved"),
    "attendance.leave_rejected": _l("Leave request rejected"),
    "report.downloaded": _l("Report downloaded"),
    "backup.created": _l("Backup created"),
    "backup.restored": _l("Backup restored"),
}

#: For actions without their own label: the area they belong to.
AREA_LABELS = {
    "access": _l("Access"),
    "audit": _l("Audit log"),
    "auth": _l("Sign-in"),
    "users": _l("Users"),
    "roles": _l("Roles"),
    "org": _l("Org units"),
    "authoring": _l("Authoring"),
    "courses": _l("Courses"),
    "learning": _l("Learning"),
    "plans": _l("Training plans"),
    "assessment": _l("Assessment"),
    "appraisal": _l("Appraisal"),
    "commendation": _l("Commendation"),
    "certificate": _l("Certificates"),
    "classes": _l("Training classes"),
    "report": _l("Reports"),
    "claims": _l("Recognized hours"),
    "attendance": _l("Class attendance"),
}

def action_label(action: str) -> str:
    return _label(action, ACTION_LABELS, AREA_LABELS)


def translated_action_label() -> Callable[[str], str]:
    """``action_label`` with every label translated now, for a CSV streamed after the request
    (translating later would look up the locale through a user no longer in a session)."""
    actions = {key: str(value) for key, value in ACTION_LABELS.items()}
    areas = {key: str(value) for key, value in AREA_LABELS.items()}
    return lambda action: _label(action, actions, areas)


def _label(action: str, actions: Mapping, areas: Mapping) -> str:
    label = actions.get(action)
    if label is not None:
        return str(label)
    area = areas.get(action.split(".", 1)[0])
    return f"{area} · {action.split('.', 1)[-1]}" if area is not None else action
