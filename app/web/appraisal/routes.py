"""HR pages of the annual appraisal: results and the run, the scheme, exemptions, extensions.

The year is a query argument (?year=2026, default this year) and units are chosen by code
(?unit=500103), so every page opens without URL arguments of its own.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.domain.appraisal import (
    THRESHOLD_FIELDS,
    WEIGHT_FIELDS,
    Components,
    Rating,
    weighted_parts,
)
from app.domain.learning import local_year
from app.domain.vocabulary import Rank, RoleName
from app.extensions import db
from app.models import TrainingPlan, User
from app.models.types import utcnow
from app.services.appraisal.closing import YearClosed, find_closure, may_close_years
from app.services.appraisal.run import run_appraisal_in_scope
from app.services.appraisal.schemes import (
    BadDueDate,
    MissingJustification,
    SchemeInvalid,
    find_cadre_appraisal,
    find_scheme,
    grant_exemption,
    grant_plan_extension,
    list_exemptions,
    list_extensions,
    list_results,
    may_edit_scheme,
    plans_covering,
    save_scheme,
)
from app.services.core.access import ensure_may_manage_unit, ensure_may_view_person
from app.services.core.errors import PermissionDenied
from app.services.people.org import find_unit_by_code, list_units_in_scope
from app.web.appraisal.scheme_form import (
    COMPONENT_LABELS,
    SchemeForm,
    fill_scheme_form,
    scheme_of,
    show_scheme_problems,
)
from app.web.errors import refusal_says
from app.web.forms import ActionForm
from app.web.guards import login_required, roles_required
from app.web.transactions import commits

bp = Blueprint("appraisal", __name__)
HR_ROLES = (RoleName.HR, RoleName.ADMIN)
OUTSIDE = _l("This person or unit is outside the org units you may see.")
RATING_LABELS = {Rating.EXCELLENT: _l("Excellent"), Rating.PASS: _l("Pass"),
                 Rating.BASIC: _l("Basic pass"), Rating.FAIL: _l("Fail"),
                 Rating.EXEMPT: _l("Exempt")}
class ExemptionForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    document_ref = StringField(_l("Document reference"),
                               validators=[DataRequired(), Length(max=200)])


class ExtensionForm(ExemptionForm):
    plan = SelectField(_l("Training plan"), validators=[DataRequired()])
    due_on = DateField(_l("New due date"), validators=[DataRequired()])


def year_arg() -> int:
    year = request.args.get("year", type=int) or request.form.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else local_year(utcnow())


def _unit_arg():
    code = request.values.get("unit", "").strip()
    if not code:
        return None
    unit = find_unit_by_code(code)
    if unit is None:
        abort(404)
    with refusal_says(OUTSIDE):
        ensure_may_manage_unit(current_user, unit)
    return unit


def unit_choices() -> list[SelectChoice]:
    units = list_units_in_scope(current_user)
    return [SelectChoice(u.code, "　" * (u.path.count("/") - 2) + u.name) for u in units]


@bp.get("/")
@roles_required(*HR_ROLES)
def index():
    year, unit = year_arg(), _unit_arg()
    with refusal_says(OUTSIDE):
        result = list_results(year, actor=current_user, unit=unit,
                              page=request.args.get("page", 1, type=int), per_page=50)
    return render_template("appraisal/index.html", year=year, unit=unit, result=result,
                           units=unit_choices(), form=ActionForm(), labels=RATING_LABELS,
                           exemptions=list_exemptions(year, actor=current_user),
                           closure=find_closure(year), may_close=may_close_years(current_user))


@bp.errorhandler(YearClosed)
def year_closed(error: YearClosed):
    """Runs, scheme edits and exemptions of a closed year: nothing changed, say why."""
    flash(_("The %(year)s appraisal is closed: nothing was changed. Reopen the year (with a "
            "reason) to change it.", year=error.year), "danger")
    return redirect(url_for(".index", year=error.year))


@bp.post("/run")
@roles_required(*HR_ROLES)
@commits
def run():
    year, unit = year_arg(), _unit_arg()
    if not ActionForm().validate_on_submit():
        abort(400)
    with refusal_says(OUTSIDE):
        rated = run_appraisal_in_scope(year, unit=unit, actor=current_user, now=utcnow())
    flash(_("Appraisal %(year)s done: %(count)s cadres rated.", year=year,
            count=rated), "success")
    return redirect(url_for(".index", year=year, unit=unit.code if unit else None))


@bp.route("/scheme", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
@commits
def scheme():
    year, unit = year_arg(), _unit_arg()
    if unit is None and not current_user.has_role(RoleName.ADMIN):
        scopes = list_units_in_scope(current_user)
        unit = scopes[0] if scopes else None
    current, own = find_scheme(year, unit)
    may_edit = may_edit_scheme(current_user, unit)
    form = SchemeForm()
    if request.method == "GET":
        fill_scheme_form(form, current)
    elif form.validate_on_submit():
        try:
            save_scheme(year, unit, scheme_of(form), actor=current_user)
        except PermissionDenied:
            abort(403, description=OUTSIDE)
        except SchemeInvalid as error:
            show_scheme_problems(form, error.problems)
            flash(_("The scheme was not saved: correct the fields marked below."), "danger")
        else:
            flash(_("Appraisal scheme saved."), "success")
            return redirect(url_for(".scheme", year=year, unit=unit.code if unit else None))
    else:
        flash(_("The scheme was not saved: correct the fields marked below."), "danger")
    return render_template("appraisal/scheme.html", form=form, year=year, unit=unit, own=own,
                           may_edit=may_edit, units=unit_choices(), ranks=list(Rank),
                           weights=WEIGHT_FIELDS, thresholds=THRESHOLD_FIELDS)


def _person_or_403(user_id: int) -> User:
    person = db.get_or_404(User, user_id)
    with refusal_says(OUTSIDE):
        ensure_may_view_person(current_user, person)
    return person


def _extension_form(person: User, form: ExtensionForm | None = None) -> ExtensionForm:
    form = form or ExtensionForm(prefix="ext")
    form.plan.choices = [SelectChoice(str(p.id), f"{p.year} {p.title} ({p.due_on})")
                         for p in plans_covering(person)]
    return form


@bp.get("/cadres/<int:user_id>")
@roles_required(*HR_ROLES)
def cadre(user_id: int):
    person, year = _person_or_403(user_id), year_arg()
    return _render_cadre(person, year, ExemptionForm(prefix="ex"), _extension_form(person))


def _render_cadre(person, year, exemption_form, extension_form):
    shown = find_cadre_appraisal(person, year, actor=current_user)
    return render_template(
        "appraisal/cadre.html", shown=shown, year=year, labels=RATING_LABELS,
        parts=_parts(shown), exemption_form=exemption_form, extension_form=extension_form,
        extensions=list_extensions(person))


def _parts(shown):
    """Rows of the explanation: component, value, weight, contribution."""
    result = shown.result
    if result is None:
        return []
    components = Components(result.hours_component, result.scores_component,
                            result.practice_component, result.coverage_component)
    contributions = weighted_parts(components, result.weights)
    return [(COMPONENT_LABELS[name], value, result.weights[name], contributions[name])
            for name, value in components.as_dict().items()]


@bp.post("/cadres/<int:user_id>/exemption")
@roles_required(*HR_ROLES)
@commits
def exempt(user_id: int):
    person, year = _person_or_403(user_id), year_arg()
    form = ExemptionForm(prefix="ex")
    if form.validate_on_submit():
        try:
            grant_exemption(person, year, reason=form.reason.data,
                            document_ref=form.document_ref.data, actor=current_user)
        except MissingJustification:
            pass
        else:
            flash(_("Exemption granted; the cadre is rated Exempt from the next run."),
                  "success")
            return redirect(url_for(".cadre", user_id=user_id, year=year))
    flash(_("Nothing saved: a reason and a document reference are both required."), "danger")
    return _render_cadre(person, year, form, _extension_form(person)), 400


@bp.post("/cadres/<int:user_id>/extension")
@roles_required(*HR_ROLES)
@commits
def extend(user_id: int):
    person, year = _person_or_403(user_id), year_arg()
    form = _extension_form(person, ExtensionForm(prefix="ext"))
    if form.validate_on_submit():
        plan = db.get_or_404(TrainingPlan, int(form.plan.data))
        try:
            grant_plan_extension(person, plan, form.due_on.data, reason=form.reason.data,
                                 document_ref=form.document_ref.data, actor=current_user)
        except BadDueDate:
            form.due_on.errors = [_("The new due date must be after the plan's due date.")]
        except MissingJustification:
            pass
        else:
            flash(_("Due date extended."), "success")
            return redirect(url_for(".cadre", user_id=user_id, year=year))
    flash(_("Nothing saved: check the extension's fields."), "danger")
    return _render_cadre(person, year, ExemptionForm(prefix="ex"), form), 400


@bp.get("/mine")
@login_required
def mine():
    year = year_arg()
    shown = find_cadre_appraisal(current_user, year, actor=current_user)
    return render_template("appraisal/mine.html", shown=shown, year=year, labels=RATING_LABELS,
                           parts=_parts(shown))
