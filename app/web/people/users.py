"""User administration: search, create, edit, roles, one-time password, (de)activation."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.extensions import db
from app.labels import label
from app.models import User
from app.services.core.paging import Page
from app.services.people.accounts import (
    AccountRefused,
    deactivate_user,
    grant_role,
    reactivate_user,
)
from app.services.people.accounts import revoke_role as revoke_user_role
from app.services.people.org import find_unit_by_code, list_units_in_scope
from app.services.people.user_admin import (
    NewAccount,
    UserChanges,
    UserFilter,
    create_account,
    reset_password,
    search_users,
    update_user,
)
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.people.org_forms import unit_choices
from app.web.people.users_forms import NewUserForm, RoleForm, UserEditForm
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("admin_users", __name__)
REFUSALS = {
    "required": _l("Username and name are required."),
    "username_taken": _l("The username %(username)s is already taken."),
    "inactive_unit": _l("%(unit)s is deactivated: choose an active org unit."),
    "hr_needs_scope": _l("An HR role needs the org unit whose subtree it may see."),
    "own_admin_role": _l("You cannot remove your own administrator role: another "
                         "administrator has to do it."),
    "last_admin": _l("This is the last active administrator: make someone else an "
                     "administrator first."),
    "self_deactivation": _l("You cannot deactivate your own account."),
}
FILTER_ARGS = ("q", "unit", "rank", "role", "active")
LANGUAGES = (("", _l("Follow the browser")), ("zh", "中文"), ("en", "English"))


def refusal(error: AccountRefused) -> str:
    return str(REFUSALS.get(error.code, error)) % error.params


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _choose(enum, value: str | None):
    return enum(value) if value in set(enum) else None


@bp.get("/")
@roles_required(RoleName.ADMIN)
def index():
    args = {name: request.args.get(name, "").strip() for name in FILTER_ARGS}
    unit = find_unit_by_code(args["unit"]) if args["unit"] else None
    per_page = current_app.config["PAGE_SIZE"]
    if args["unit"] and unit is None:
        result = Page(items=[], total=0, page=1, per_page=per_page)
    else:
        filters = UserFilter(text=args["q"], unit=unit, rank=_choose(Rank, args["rank"]),
                             role=_choose(RoleName, args["role"]),
                             active={"1": True, "0": False}.get(args["active"]))
        result = search_users(filters, actor=current_user, per_page=per_page,
                              page=request.args.get("page", 1, type=int))
    return render_template("people/users.html", result=result, args=args, unknown_unit=(
        args["unit"] if args["unit"] and unit is None else None),
        units=unit_choices(list_units_in_scope(current_user)),
        filled={k: v for k, v in args.items() if v}, ranks=list(Rank), roles=list(RoleName))


def _prepare(form, person: User | None = None):
    units = list_units_in_scope(current_user)
    if person is not None and person.org_unit not in units:  # a deactivated unit stays shown
        units = [person.org_unit, *units]
    form.unit.choices = unit_choices(units)
    form.rank.choices = [(r.value, label(r)) for r in Rank]
    form.category.choices = [(c.value, label(c)) for c in WorkCategory]
    if isinstance(form, NewUserForm):
        form.scope.choices = unit_choices(units, blank="—")
        form.roles.choices = [(r.value, label(r)) for r in RoleName if r is not RoleName.CADRE]
    else:
        form.language.choices = [(code, str(name)) for code, name in LANGUAGES]
    return form


def _role_form() -> RoleForm:
    form = RoleForm(prefix="grant")
    form.role.choices = [(r.value, label(r)) for r in RoleName]
    form.scope.choices = unit_choices(list_units_in_scope(current_user), blank="—")
    return form


def _show_password(person: User, password: str, *, created: bool):
    """The one-time password, shown on this response only and never cached."""
    response = make_response(render_template("people/users_password.html", person=person,
                                              password=password, created=created))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/new", methods=["GET", "POST"])
@roles_required(RoleName.ADMIN)
@commits
def new():
    form = _prepare(NewUserForm())
    if form.validate_on_submit():
        scope = find_unit_by_code(form.scope.data) if form.scope.data else None
        data = NewAccount(
            username=form.username.data, name=form.name.data,
            unit=find_unit_by_code(form.unit.data), rank=Rank(form.rank.data),
            category=WorkCategory(form.category.data), scope=scope,
            roles=[RoleName(r) for r in form.roles.data])
        try:
            person, password = create_account(data, actor=current_user, ip=request.remote_addr)
        except AccountRefused as error:
            form.form_errors.append(refusal(error))
        else:
            return _show_password(person, password, created=True)
    return render_template("people/users_new.html", form=form), (
        400 if request.method == "POST" else 200)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(RoleName.ADMIN)
@commits
def detail(user_id: int):
    person = _user_or_404(user_id)
    form = _prepare(UserEditForm(obj=person), person)
    if request.method == "GET":
        form.unit.data, form.language.data = person.org_unit.code, person.preferred_language or ""
    elif form.validate_on_submit():
        changes = UserChanges(
            name=form.name.data, unit=find_unit_by_code(form.unit.data),
            rank=Rank(form.rank.data), category=WorkCategory(form.category.data),
            language=form.language.data or None)
        try:
            changed = update_user(person, changes, actor=current_user, ip=request.remote_addr)
        except AccountRefused as error:
            form.form_errors.append(refusal(error))
        else:
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for(".detail", user_id=user_id))
    return render_template("people/users_detail.html", person=person, form=form,
                           role_form=_role_form(), action=ActionForm()), (
        400 if request.method == "POST" else 200)


def _act(user_id: int, change, success: str):
    """Run one account change behind a CSRF-checked button, then back to the user's page."""
    person = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        change(person)
    except AccountRefused as error:
        discard_refused_work()
        flash(refusal(error), "danger")
    else:
        flash(success, "success")
    return redirect(url_for(".detail", user_id=user_id))


@bp.post("/<int:user_id>/roles")
@roles_required(RoleName.ADMIN)
@commits
def grant(user_id: int):
    person = _user_or_404(user_id)
    form = _role_form()
    if not form.validate_on_submit():
        flash(_("Choose a role (and, for HR, its scope)."), "danger")
        return redirect(url_for(".detail", user_id=user_id))
    role = RoleName(form.role.data)
    scope = find_unit_by_code(form.scope.data) if form.scope.data else None
    return _act(user_id, lambda p: grant_role(p, role, scope=scope, actor=current_user,
                                              ip=request.remote_addr),
                _("%(role)s granted to %(name)s.", role=label(role), name=person.name))


@bp.post("/<int:user_id>/roles/<role>/revoke")
@roles_required(RoleName.ADMIN)
@commits
def revoke(user_id: int, role: str):
    if role not in set(RoleName):
        abort(404)
    return _act(user_id, lambda p: revoke_user_role(p, RoleName(role), actor=current_user,
                                                    ip=request.remote_addr),
                _("Role %(role)s removed.", role=label(RoleName(role))))


@bp.post("/<int:user_id>/password")
@roles_required(RoleName.ADMIN)
@commits
def password(user_id: int):
    person = _user_or_404(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    one_time = reset_password(person, actor=current_user, ip=request.remote_addr)
    return _show_password(person, one_time, created=False)


@bp.post("/<int:user_id>/deactivate")
@roles_required(RoleName.ADMIN)
@commits
def deactivate(user_id: int):
    return _act(user_id, lambda p: deactivate_user(p, actor=current_user,
                                                   ip=request.remote_addr),
                _("Account deactivated; its sessions have ended. Its records are kept."))


@bp.post("/<int:user_id>/reactivate")
@roles_required(RoleName.ADMIN)
@commits
def reactivate(user_id: int):
    return _act(user_id, lambda p: reactivate_user(p, actor=current_user,
                                                   ip=request.remote_addr),
                _("Account reactivated."))
