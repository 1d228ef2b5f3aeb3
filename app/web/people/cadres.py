"""HR's view of the people in their org subtree."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import User
from app.services.assessment.accommodations import (
    find_time_accommodation,
    may_set_accommodation,
    set_time_accommodation,
)
from app.services.core.access import ensure_may_view_person, hr_scope_units
from app.services.people.user_admin import search_people
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.people.cadres_forms import AccommodationForm
from app.web.transactions import commits

bp = Blueprint("hr", __name__)


@bp.get("/cadres")
@roles_required(RoleName.HR, RoleName.ADMIN)
def cadres():
    page = request.args.get("page", 1, type=int)
    query = request.args.get("q", "").strip()
    result = search_people(actor=current_user, text=query, page=page,
                           per_page=current_app.config["PAGE_SIZE"])
    return render_template("people/cadres.html", result=result, q=query,
                           scopes=hr_scope_units(current_user))


@bp.get("/cadres/<int:user_id>")
@roles_required(RoleName.HR, RoleName.ADMIN)
def cadre(user_id: int):
    person = db.get_or_404(User, user_id)
    with refusal_says(_("This person is outside the org units you may see.")):
        ensure_may_view_person(current_user, person)
    accommodation = find_time_accommodation(person)
    return render_template("people/cadre.html", person=person, form=AccommodationForm(
        extra_percent=getattr(accommodation, "extra_percent", 0)),
        accommodation=accommodation, may_grant=may_set_accommodation(current_user, person))


@bp.post("/cadres/<int:user_id>/accommodation")
@roles_required(RoleName.HR, RoleName.ADMIN)
@commits
def accommodation(user_id: int):
    person = db.get_or_404(User, user_id)
    form = AccommodationForm()
    if form.validate_on_submit():
        with refusal_says(_("Extra time is granted by HR in the cadre's org units or by a "
                            "trainer of a course the cadre is enrolled in, never by the cadre.")):
            set_time_accommodation(person, form.extra_percent.data, form.reason.data or "",
                                   actor=current_user)
        flash(_("Extra time saved; it applies to attempts started from now on."), "success")
    else:
        flash(_("Extra time must be a whole percentage from 0 to 200."), "danger")
    return redirect(url_for(".cadre", user_id=user_id))
