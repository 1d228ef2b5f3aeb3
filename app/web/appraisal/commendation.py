"""Year end of the appraisal: the commendation (表彰) lists, and closing/reopening the year.

Under /hr/appraisal with the year and unit as query arguments (?year=2026&unit=500103); the
unit defaults to the city (admins) or the first unit of the HR's scope.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.models import OrgUnit
from app.models.types import utcnow
from app.services.appraisal.closing import (
    ReasonRequired,
    ResultsOutdated,
    YearClosed,
    YearNotClosed,
    close_year,
    find_closure,
    reopen_year,
)
from app.services.appraisal.commendation import (
    PERSON,
    PERSONS_PER_UNIT,
    TEAM,
    TEAM_MIN_SIZE,
    TEAMS,
    CommendationRefused,
    add_person,
    add_team,
    confirm_commendation,
    find_commendation,
    propose_commendation,
    remove_entry,
)
from app.services.core.errors import PermissionDenied
from app.services.people.accounts import find_user_by_username
from app.services.people.org import find_unit_by_code, list_units_in_scope
from app.web.appraisal.routes import HR_ROLES, OUTSIDE, unit_choices, year_arg
from app.web.errors import refusal_says
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits

bp = Blueprint("commendation", __name__)
CITY_ONLY = _l("Only an administrator or HR of the whole city closes or reopens a year.")
REFUSALS = {
    "no_results": _l("No appraisal results for this year and unit yet: run the appraisal."),
    "reason": _l("Nothing changed: a reason (at most 500 characters) is required."),
    "not_excellent": _l("Nothing changed: only a cadre rated Excellent that year may be added."),
    "outside": _l("Nothing changed: not found in this unit or already removed."),
    "listed": _l("Nothing changed: already on the list."),
    "too_small": _l("Nothing changed: a team needs at least %(size)s rated cadres.",
                    size=TEAM_MIN_SIZE),
}


def _unit() -> OrgUnit:
    code = request.values.get("unit", "").strip()
    if code:
        unit = find_unit_by_code(code)
        if unit is None:
            abort(404)
        return unit
    units = list_units_in_scope(current_user)
    if not units:
        abort(403, description=OUTSIDE)
    return units[0]


def _back(year: int, unit: OrgUnit):
    return redirect(url_for(".show", year=year, unit=unit.code))


@bp.get("/commendation")
@roles_required(*HR_ROLES)
def show():
    year, unit = year_arg(), _unit()
    with refusal_says(OUTSIDE):
        listed = find_commendation(year, unit, actor=current_user)
    return render_template(
        "appraisal/commendation.html", year=year, unit=unit, listed=listed, form=ActionForm(),
        units=unit_choices(), closed=find_closure(year) is not None, PERSON=PERSON, TEAM=TEAM,
        rules={"per_unit": PERSONS_PER_UNIT, "size": TEAM_MIN_SIZE, "teams": TEAMS})


@bp.post("/commendation/<action>")
@roles_required(*HR_ROLES)
@commits
def edit(action: str):
    """One edit of the list: propose, remove, add or confirm."""
    year, unit = year_arg(), _unit()
    if not ActionForm().validate_on_submit():
        abort(400)
    reason = request.form.get("reason", "")
    try:
        if action == "propose":
            propose_commendation(year, unit, actor=current_user, now=utcnow())
        else:
            listed = find_commendation(year, unit, actor=current_user)
            if listed is None or action not in ("remove", "add", "confirm"):
                abort(404)
            _apply(action, listed, reason)
    except PermissionDenied:
        abort(403, description=OUTSIDE)
    except YearClosed:
        flash(_("The %(year)s appraisal is closed: nothing was changed. Reopen the year (with a "
                "reason) to change it.", year=year), "danger")
    except CommendationRefused as error:
        flash(str(REFUSALS[error.code]), "danger")
    else:
        flash(_("Commendation list saved."), "success")
    return _back(year, unit)


def _apply(action, listed, reason) -> None:
    if action == "confirm":
        confirm_commendation(listed, actor=current_user, now=utcnow())
    elif action == "remove":
        remove_entry(listed, request.form.get("entry", 0, type=int), reason=reason,
                     actor=current_user)
    elif request.form.get("kind") == TEAM:
        team = find_unit_by_code(request.form.get("who", "").strip())
        if team is None:
            raise CommendationRefused("outside")
        add_team(listed, team, reason=reason, actor=current_user)
    else:
        person = find_user_by_username(request.form.get("who", "").strip())
        if person is None:
            raise CommendationRefused("outside")
        add_person(listed, person, reason=reason, actor=current_user)


@bp.post("/close")
@roles_required(*HR_ROLES)
@commits
def close():
    year = year_arg()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        close_year(year, actor=current_user, now=utcnow())
    except PermissionDenied:
        abort(403, description=CITY_ONLY)
    except YearClosed:
        flash(_("The %(year)s appraisal is already closed.", year=year), "warning")
    except ResultsOutdated as error:
        flash(_("%(n)s cadres moved to another unit since the last run: run the appraisal "
                "again, then close the year.",
                n=error.cadres), "warning")
    else:
        flash(_("The %(year)s appraisal is closed: its results are now fixed.", year=year),
              "success")
    return redirect(url_for("appraisal.index", year=year))


@bp.post("/reopen")
@roles_required(*HR_ROLES)
@commits
def reopen():
    year = year_arg()
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        reopen_year(year, reason=request.form.get("reason", ""), actor=current_user)
    except PermissionDenied:
        abort(403, description=CITY_ONLY)
    except (ReasonRequired, YearNotClosed):
        flash(_("Nothing changed: a closed year is reopened only with a reason."), "danger")
    else:
        flash(_("The %(year)s appraisal is reopened.", year=year), "success")
    return redirect(url_for("appraisal.index", year=year))
