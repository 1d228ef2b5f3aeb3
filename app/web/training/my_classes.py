"""A cadre's classes: 我的培训班 (with each class's schedule), the open classes they may apply
to, applying, and withdrawing their own application or waitlist place."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services.training.access import find_class
from app.services.training.applications import (
    ApplicationRefused,
    apply_to_class,
    list_open_classes,
    withdraw_own_place,
)
from app.services.training.class_pages import list_my_classes, member_view
from app.web.errors import refusal_hidden
from app.web.forms import ActionForm
from app.web.guards import login_required
from app.web.training.class_forms import apply_refusal_text, member_refusal_text
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("my_classes", __name__)


@bp.get("/mine")
@login_required
def mine():
    return render_template("training/my_classes.html",
                           classes=list_my_classes(actor=current_user))


@bp.get("/open")
@login_required
def open_classes():
    return render_template("training/open_classes.html",
                           classes=list_open_classes(actor=current_user),
                           action_form=ActionForm())


@bp.post("/<int:class_id>/apply")
@login_required
@commits
def apply(class_id: int):
    training_class = _visible_class(class_id)
    if ActionForm().validate_on_submit():
        try:
            apply_to_class(training_class, actor=current_user)
        except ApplicationRefused as refused:
            discard_refused_work()
            flash(apply_refusal_text(refused.refusal), "danger")
        else:
            flash(_("Application sent: the organizer will decide."), "success")
    return redirect(url_for("classes.show", class_id=class_id))


@bp.post("/<int:class_id>/withdraw")
@login_required
@commits
def withdraw(class_id: int):
    training_class = _visible_class(class_id)
    if ActionForm().validate_on_submit():
        try:
            withdraw_own_place(training_class, actor=current_user)
        except ApplicationRefused as refused:
            discard_refused_work()
            flash(member_refusal_text(str(refused.refusal)), "danger")
        else:
            flash(_("You withdrew from the class."), "success")
    return redirect(url_for("classes.show", class_id=class_id))


@refusal_hidden()
def _visible_class(class_id: int):
    """The class if the cadre may see it (a member, or one who may apply); else 404."""
    training_class = find_class(class_id)
    member_view(training_class, actor=current_user)
    return training_class
