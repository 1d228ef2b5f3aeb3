"""The org tree: view, create, rename, move a subtree, deactivate and reactivate a unit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.orgtree import in_subtree
from app.domain.vocabulary import OrgLevel, RoleName
from app.extensions import db
from app.labels import label
from app.models import OrgUnit
from app.services.people.org import (
    OrgChangeRefused,
    count_active_children,
    count_active_people,
    create_org_unit,
    deactivate_org_unit,
    find_unit_by_code,
    list_units_in_scope,
    move_org_unit,
    org_tree,
    reactivate_org_unit,
    rename_org_unit,
)
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.people.org_forms import MoveForm, NewUnitForm, RenameForm, unit_choices
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("admin_org", __name__)
REFUSALS = {
    "cycle": _l("%(unit)s cannot be moved under itself or one of its own sub-units "
                "(%(parent)s)."),
    "parent_inactive": _l("%(parent)s is deactivated: reactivate it first or choose an "
                          "active unit."),
    "second_root": _l("The tree already has a top unit (%(root)s): choose a parent unit."),
    "has_people": _l("%(count)s active people still belong to this unit or its sub-units; "
                     "move them out first."),
    "has_children": _l("%(count)s sub-units are still active; deactivate them first."),
    "code_required": _l("A code of at most %(max)s characters is required."),
    "code_taken": _l("The code %(code)s is already used by another unit."),
    "name_required": _l("A name of at most %(max)s characters is required."),
}


def refusal(error: OrgChangeRefused) -> str:
    return str(REFUSALS.get(error.code, error)) % error.params


@bp.get("/")
@roles_required(RoleName.ADMIN)
def index():
    return render_template("people/org.html", roots=org_tree())


@bp.route("/new", methods=["GET", "POST"])
@roles_required(RoleName.ADMIN)
@commits
def new():
    form = NewUnitForm()
    form.level.choices = [(level.value, label(level)) for level in OrgLevel]
    form.parent.choices = unit_choices(list_units_in_scope(current_user),
                                       blank=_("(top of the tree)"))
    if request.method == "GET":
        form.parent.data = request.args.get("parent", "")
    elif form.validate_on_submit():
        parent = find_unit_by_code(form.parent.data) if form.parent.data else None
        try:
            unit = create_org_unit(code=form.code.data, name=form.name.data, parent=parent,
                                   level=OrgLevel(form.level.data), actor=current_user)
        except OrgChangeRefused as error:
            form.form_errors.append(refusal(error))
        else:
            flash(_("Org unit %(name)s created.", name=unit.name), "success")
            return redirect(url_for(".detail", unit_id=unit.id))
    return render_template("people/org_new.html", form=form), (
        400 if request.method == "POST" else 200)


@bp.get("/<int:unit_id>")
@roles_required(RoleName.ADMIN)
def detail(unit_id: int):
    unit = db.get_or_404(OrgUnit, unit_id)
    return render_template(
        "people/org_detail.html", unit=unit, rename_form=RenameForm(prefix="rename", obj=unit),
        move_form=_move_form(unit), action=ActionForm(),
        people=count_active_people(unit), children=count_active_children(unit))


def _move_form(unit: OrgUnit) -> MoveForm:
    form = MoveForm(prefix="move")
    targets = [u for u in list_units_in_scope(current_user) if not in_subtree(u.path, unit.path)]
    form.parent.choices = unit_choices(targets)
    if unit.parent is not None:
        form.parent.data = form.parent.data or unit.parent.code
    return form


def _change(unit_id: int, form, change, success: str):
    """Validate the form, run one change, commit (or roll back and say why), back to the unit."""
    unit = db.get_or_404(OrgUnit, unit_id)
    if not form.validate_on_submit():
        flash(_("Nothing changed: fill in the form."), "danger")
        return redirect(url_for(".detail", unit_id=unit_id))
    try:
        change(unit, form)
    except OrgChangeRefused as error:
        discard_refused_work()
        flash(refusal(error), "danger")
    else:
        flash(success, "success")
    return redirect(url_for(".detail", unit_id=unit_id))


@bp.post("/<int:unit_id>/rename")
@roles_required(RoleName.ADMIN)
@commits
def rename(unit_id: int):
    return _change(unit_id, RenameForm(prefix="rename"),
                   lambda unit, form: rename_org_unit(unit, form.name.data, actor=current_user),
                   _("Renamed."))


@bp.post("/<int:unit_id>/move")
@roles_required(RoleName.ADMIN)
@commits
def move(unit_id: int):
    form = MoveForm(prefix="move")
    parent = find_unit_by_code(form.parent.data or "")
    if form.parent.data and parent is None:
        flash(_("No org unit has the code %(code)s.", code=form.parent.data), "danger")
        return redirect(url_for(".detail", unit_id=unit_id))
    return _change(unit_id, form,
                   lambda unit, _form: move_org_unit(unit, parent, actor=current_user),
                   _("Moved, with everything below it."))


@bp.post("/<int:unit_id>/deactivate")
@roles_required(RoleName.ADMIN)
@commits
def deactivate(unit_id: int):
    return _change(unit_id, ActionForm(),
                   lambda unit, _form: deactivate_org_unit(unit, actor=current_user),
                   _("Org unit deactivated: it is no longer offered when choosing a unit."))


@bp.post("/<int:unit_id>/reactivate")
@roles_required(RoleName.ADMIN)
@commits
def reactivate(unit_id: int):
    return _change(unit_id, ActionForm(),
                   lambda unit, _form: reactivate_org_unit(unit, actor=current_user),
                   _("Org unit reactivated."))
