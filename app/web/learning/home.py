"""The home page: one section per role the user holds."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.models.types import utcnow
from app.services.certificates.notices import list_unread_notifications, mark_notification_read
from app.services.core.errors import ServiceError
from app.services.records.home_pages import (
    summarize_people_in_scope,
    summarize_platform,
    summarize_study_focus,
)
from app.services.records.my_learning import summarize_my_learning
from app.web.forms import ActionForm
from app.web.guards import login_required
from app.web.transactions import commits

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    hr_overview = (summarize_people_in_scope(actor=current_user)
                   if current_user.has_role(RoleName.HR) else None)
    admin_overview = (summarize_platform(actor=current_user)
                      if current_user.has_role(RoleName.ADMIN) else None)
    is_cadre = current_user.has_role(RoleName.CADRE)
    learning = summarize_my_learning(actor=current_user, now=utcnow()) if is_cadre else None
    focus = summarize_study_focus(actor=current_user, now=utcnow()) if is_cadre else None
    return render_template("learning/home.html", hr_overview=hr_overview,
                           admin_overview=admin_overview, learning=learning, focus=focus,
                           notifications=list_unread_notifications(current_user),
                           notice_form=ActionForm())


@bp.post("/notifications/<int:notification_id>/read")
@login_required
@commits
def read_notification(notification_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        mark_notification_read(notification_id, actor=current_user)
    except ServiceError:
        abort(404)
    return redirect(url_for("home.index"))
