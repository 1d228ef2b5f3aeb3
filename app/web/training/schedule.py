"""A class's schedule tab (its managers): the sessions, adding, changing and deleting one."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.training_classes import local_clock, local_day
from app.services.training.classes import ClassRefused
from app.services.training.schedule import (
    SessionInput,
    SessionRefused,
    add_class_session,
    delete_class_session,
    find_class_session,
    update_class_session,
)
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.training.class_forms import SessionForm, class_refusal_text, schedule_problem_text
from app.web.training.classes import MANAGERS, managed_class_or_403, show_refusal
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("class_schedule", __name__)


@bp.route("/<int:class_id>/schedule", methods=["GET", "POST"])
@roles_required(*MANAGERS)
@commits
def index(class_id: int):
    training_class = managed_class_or_403(class_id)
    form = SessionForm()
    if request.method == "GET":
        form.day.data = training_class.starts_on
    if form.validate_on_submit() and _saved(form, lambda data: add_class_session(
            training_class, data, actor=current_user)):
        flash(_("Session added."), "success")
        return redirect(url_for(".index", class_id=class_id))
    return render_template("training/class_schedule.html", training_class=training_class,
                           form=form, action_form=ActionForm(), active_tab="schedule")


@bp.route("/<int:class_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
@commits
def edit(class_id: int, session_id: int):
    training_class = managed_class_or_403(class_id)
    session = find_class_session(training_class, session_id)
    form = SessionForm()
    if request.method == "GET":
        _fill(form, session)
    if form.validate_on_submit() and _saved(form, lambda data: update_class_session(
            session, data, actor=current_user)):
        flash(_("Session saved."), "success")
        return redirect(url_for(".index", class_id=class_id))
    return render_template("training/session_form.html", training_class=training_class,
                           class_session=session, form=form, active_tab="schedule")


@bp.post("/<int:class_id>/sessions/<int:session_id>/delete")
@roles_required(*MANAGERS)
@commits
def delete(class_id: int, session_id: int):
    training_class = managed_class_or_403(class_id)
    session = find_class_session(training_class, session_id)
    if ActionForm().validate_on_submit():
        try:
            delete_class_session(session, actor=current_user)
        except ClassRefused as refused:
            discard_refused_work()
            flash(class_refusal_text(refused.code, refused.params), "danger")
        except SessionRefused as refused:
            discard_refused_work()
            for problem in refused.problems:
                flash(schedule_problem_text(problem.code, problem.params), "danger")
        else:
            flash(_("Session deleted."), "success")
    return redirect(url_for(".index", class_id=class_id))


def _saved(form: SessionForm, save) -> bool:
    """Save through ``save``; on a refusal, each problem goes under its field."""
    data = SessionInput(day=form.day.data, starts=form.starts.data, ends=form.ends.data,
                        topic=form.topic.data, teacher=form.teacher.data or "",
                        hours=form.hours.data)
    try:
        save(data)
    except ClassRefused as refused:  # the class is finished or cancelled
        show_refusal(form, refused)
        return False
    except SessionRefused as refused:
        discard_refused_work()
        for problem in refused.problems:
            field = getattr(form, problem.field, None)
            text = schedule_problem_text(problem.code, problem.params)
            if field is not None:
                field.errors = [*field.errors, text]
            else:
                form.form_errors.append(text)
        return False
    return True


def _fill(form: SessionForm, session) -> None:
    form.day.data = local_day(session.starts_at)
    form.starts.data, form.ends.data = local_clock(session.starts_at), local_clock(session.ends_at)
    form.topic.data, form.teacher.data = session.topic, session.teacher
    form.hours.data = session.hours
