"""The organizer's attendance pages (issue 20): a session's sheet with corrections, and
the class's overview of every session."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.class_vocabulary import AttendanceStatus
from app.models.types import utcnow
from app.services.training.access import find_managed_class
from app.services.training.attendance_sheet import (
    SHEET_REFUSALS,
    attendance_sheet,
    class_attendance_overview,
    count_session_attendance,
    latest_refusals,
)
from app.services.training.corrections import CorrectionRefused, correct_attendance
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.training.attendance import MANAGER_ROLES, managed_session
from app.web.training.attendance_forms import CorrectionForm
from app.web.training.attendance_words import correction_refusal
from app.web.transactions import commits

bp = Blueprint("attendance_sheet", __name__)


def _sheet_page(session, form: CorrectionForm, lines):
    return render_template(
        "training/attendance/sheet.html", class_session=session,
        training_class=session.training_class, lines=lines, form=form,
        counts=count_session_attendance(session),
        refusals=latest_refusals(session, SHEET_REFUSALS))


@bp.get("/<int:class_id>/sessions/<int:session_id>/attendance")
@roles_required(*MANAGER_ROLES)
def sheet(class_id: int, session_id: int):
    session = managed_session(class_id, session_id)
    lines = attendance_sheet(session)
    form = CorrectionForm(lines, member=request.args.get("member", type=int))
    return _sheet_page(session, form, lines)


@bp.post("/<int:class_id>/sessions/<int:session_id>/attendance/correct")
@roles_required(*MANAGER_ROLES)
@commits
def correct(class_id: int, session_id: int):
    session = managed_session(class_id, session_id)
    lines = attendance_sheet(session)
    form = CorrectionForm(lines)
    if form.validate_on_submit():
        try:
            correct_attendance(session, form.member.data, AttendanceStatus(form.status.data),
                               form.reason.data, actor=current_user, now=utcnow(),
                               ip=request.remote_addr)
        except CorrectionRefused as refused:
            form.form_errors.append(correction_refusal(refused.reason))
        else:
            flash(_("Attendance corrected."), "success")
            return redirect(url_for(".sheet", class_id=class_id, session_id=session_id))
    return _sheet_page(session, form, lines)


@bp.get("/<int:class_id>/attendance")
@roles_required(*MANAGER_ROLES)
def overview(class_id: int):
    with refusal_says(_("Only the organizers of this class may open its attendance.")):
        training_class = find_managed_class(class_id, actor=current_user)
    return render_template("training/attendance/overview.html", training_class=training_class,
                           lines=class_attendance_overview(training_class))
