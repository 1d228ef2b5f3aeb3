"""Leave requests (请假, issue 20): a member's page for one session, and the organizer's
page of the class's requests with their decisions."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.models.types import utcnow
from app.services.training.access import find_managed_class
from app.services.training.leave import (
    LeaveRefused,
    decide_leave,
    find_managed_leave,
    find_member_session,
    find_own_leave,
    list_class_leave,
    request_leave,
    withdraw_leave,
)
from app.web.errors import refusal_says
from app.web.forms import ActionForm
from app.web.guards import login_required, roles_required
from app.web.training.attendance import MANAGER_ROLES
from app.web.training.attendance_forms import LeaveDecisionForm, LeaveRequestForm
from app.web.training.attendance_words import leave_refusal
from app.web.transactions import commits

bp = Blueprint("class_leave", __name__)
NOT_MANAGER = _l("Only the organizers of this class may decide its leave requests.")


def _member_session(class_id: int, session_id: int):
    with refusal_says(_("Only enrolled members of this class may ask for leave.")):
        return find_member_session(class_id, session_id, actor=current_user)


@bp.route("/<int:class_id>/sessions/<int:session_id>/leave", methods=["GET", "POST"])
@login_required
@commits
def ask(class_id: int, session_id: int):
    session = _member_session(class_id, session_id)
    form = LeaveRequestForm()
    if form.validate_on_submit():
        try:
            request_leave(session, form.reason.data, actor=current_user, now=utcnow(),
                          ip=request.remote_addr)
        except LeaveRefused as refused:
            form.form_errors.append(leave_refusal(refused.reason))
        else:
            flash(_("Leave requested: the organizer will decide."), "success")
            return redirect(url_for(".ask", class_id=class_id, session_id=session_id))
    return render_template("training/leave/ask.html", class_session=session,
                           training_class=session.training_class, form=form,
                           leave=find_own_leave(session, current_user),
                           withdraw_form=ActionForm(), now=utcnow())


@bp.post("/<int:class_id>/sessions/<int:session_id>/leave/withdraw")
@login_required
@commits
def withdraw(class_id: int, session_id: int):
    session = _member_session(class_id, session_id)
    leave = find_own_leave(session, current_user)
    if leave is None:
        abort(404)
    try:
        withdraw_leave(leave, actor=current_user, now=utcnow(), ip=request.remote_addr)
    except LeaveRefused as refused:
        flash(leave_refusal(refused.reason), "warning")
    else:
        flash(_("Leave request withdrawn."), "success")
    return redirect(url_for(".ask", class_id=class_id, session_id=session_id))


@bp.get("/<int:class_id>/leave")
@roles_required(*MANAGER_ROLES)
def manage(class_id: int):
    with refusal_says(NOT_MANAGER):
        training_class = find_managed_class(class_id, actor=current_user)
    return render_template("training/leave/manage.html", training_class=training_class,
                           requests=list_class_leave(training_class))


@bp.post("/<int:class_id>/leave/<int:leave_id>/decide")
@roles_required(*MANAGER_ROLES)
@commits
def decide(class_id: int, leave_id: int):
    with refusal_says(NOT_MANAGER):
        leave = find_managed_leave(class_id, leave_id, actor=current_user)
    form = LeaveDecisionForm()
    if not form.validate_on_submit() or not (form.approve.data or form.reject.data):
        problems = [e for errors in form.errors.values() for e in errors]
        flash(problems[0] if problems else _("Choose to approve or reject."), "danger")
    else:
        try:
            decide_leave(leave, approve=bool(form.approve.data), note=form.note.data or "",
                         actor=current_user, now=utcnow(), ip=request.remote_addr)
        except LeaveRefused as refused:
            flash(leave_refusal(refused.reason), "danger")
        else:
            flash(_("Leave approved.") if form.approve.data else _("Leave rejected."),
                  "success")
    return redirect(url_for(".manage", class_id=class_id))
