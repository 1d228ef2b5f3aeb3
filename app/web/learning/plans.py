"""HR pages for training plans: list, create, edit, progress."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.domain.learning import local_today
from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.labels import label
from app.models.types import utcnow
from app.services.core.errors import PermissionDenied, ServiceError
from app.services.learning.plans.assigning import (
    PlanInput,
    create_training_plan,
    find_plan_for,
    list_assignable_courses,
    update_training_plan,
)
from app.services.learning.plans.progress import list_plans, summarize_plan
from app.services.people.org import list_units_in_scope
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.people.cadres_forms import PlanForm
from app.web.transactions import commits

bp = Blueprint("plans", __name__)
HR_ROLES = (RoleName.HR, RoleName.ADMIN)


def _plan_or_404(plan_id: int):
    with refusal_says(_("This plan belongs to a unit outside your scope.")):
        plan = find_plan_for(plan_id, actor=current_user)
    if plan is None:
        abort(404)
    return plan


def _prepare(form: PlanForm):
    units = {str(u.id): u for u in list_units_in_scope(current_user)}
    courses = {str(c.id): c for c in list_assignable_courses()}
    form.org_unit.choices = [SelectChoice(k, "　" * (u.path.count("/") - 2) + u.name)
                             for k, u in units.items()]
    form.ranks.choices = [SelectChoice(r.value, label(r)) for r in Rank]
    form.categories.choices = [SelectChoice(c.value, label(c)) for c in WorkCategory]
    form.courses.choices = [SelectChoice(k, f"{c.code} {c.title}") for k, c in courses.items()]
    return units, courses


def _input(form: PlanForm, units, courses) -> PlanInput:
    return PlanInput(
        title=form.title.data, year=form.year.data, org_unit=units[form.org_unit.data],
        ranks=[Rank(r) for r in form.ranks.data],
        categories=[WorkCategory(c) for c in form.categories.data],
        courses=[courses[c] for c in form.courses.data], due_on=form.due_on.data)


@bp.get("/")
@roles_required(*HR_ROLES)
def index():
    plans = list_plans(actor=current_user)
    return render_template("learning/plans.html", plans=plans)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
@commits
def new():
    form = PlanForm()
    if request.method == "GET":
        form.year.data = local_today(utcnow()).year
    return _save(form, None)


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
@roles_required(*HR_ROLES)
@commits
def edit(plan_id: int):
    plan = _plan_or_404(plan_id)
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.org_unit.data = str(plan.org_unit_id)
        form.courses.data = [str(c.id) for c in plan.courses]
    return _save(form, plan)


def _save(form: PlanForm, plan):
    units, courses = _prepare(form)
    if form.validate_on_submit():
        try:
            data = _input(form, units, courses)
            if plan is None:
                plan = create_training_plan(data, actor=current_user)
            else:
                update_training_plan(plan, data, actor=current_user)
        except (ServiceError, PermissionDenied) as error:
            form.form_errors.append(_plan_error(str(error)))
        else:
            flash(_("Training plan saved; matching cadres are enrolled."), "success")
            return redirect(url_for(".detail", plan_id=plan.id))
    return render_template("learning/plan_form.html", form=form, plan=plan)


def _plan_error(code: str) -> str:
    if code.startswith("course_not_assignable"):
        return _("Only published, required-eligible courses can be assigned.")
    if code == "due_before_year":
        return _("The due date cannot be before the plan's year.")
    return _("The plan could not be saved: %(reason)s", reason=code)


@bp.get("/<int:plan_id>")
@roles_required(*HR_ROLES)
def detail(plan_id: int):
    plan = _plan_or_404(plan_id)
    progress = summarize_plan(plan, actor=current_user, today=local_today(utcnow()),
                              page=request.args.get("page", 1, type=int),
                              per_page=current_app.config["PAGE_SIZE"])
    return render_template("learning/plan.html", progress=progress, today=local_today(utcnow()))
