"""A class's members tab (its managers): the list by status, nominating from the org tree
(with a preview of the count) or by a roster file, and deciding on applications and
withdrawals."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.domain.class_vocabulary import MemberStatus
from app.domain.vocabulary import Rank, WorkCategory
from app.labels import label
from app.models import TrainingClass
from app.services.training.classes import ClassRefused
from app.services.training.members import (
    MemberDecision,
    MemberRefused,
    approve_application,
    find_member,
    list_members,
    reject_application,
    status_counts,
    withdraw_member,
)
from app.services.training.nominations import (
    NameListInvalid,
    TreeChoice,
    list_nomination_units,
    nominate_from_file,
    nominate_from_tree,
    preview_tree_nomination,
)
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.templating import is_safe_next
from app.web.training.class_forms import (
    NameListForm,
    NominateForm,
    ReasonForm,
    member_refusal_text,
    name_list_problem_text,
)
from app.web.training.classes import MANAGERS, managed_class_or_403, show_refusal
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("class_members", __name__)
#: Problems of a roster file shown on the page (all of them are counted).
PROBLEMS_SHOWN = 200


@bp.get("/<int:class_id>/members")
@roles_required(*MANAGERS)
def index(class_id: int):
    training_class = managed_class_or_403(class_id)
    status = _status(request.args.get("status", ""))
    members = list_members(training_class, actor=current_user, status=status,
                           page=request.args.get("page", 1, type=int),
                           per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "training/class_members.html", training_class=training_class, members=members,
        counts=status_counts(training_class), status=status, statuses=list(MemberStatus),
        action_form=ActionForm(), reason_form=ReasonForm(), active_tab="members")


def _status(text: str) -> MemberStatus | None:
    try:
        return MemberStatus(text) if text else None
    except ValueError:
        abort(404)


@bp.route("/<int:class_id>/members/nominate", methods=["GET", "POST"])
@roles_required(*MANAGERS)
@commits
def nominate(class_id: int):
    training_class = managed_class_or_403(class_id)
    form, units = _nominate_form(training_class)
    preview = None
    if form.validate_on_submit():
        choice = TreeChoice(unit=units[form.unit.data],
                            ranks=[Rank(r) for r in form.ranks.data],
                            categories=[WorkCategory(c) for c in form.categories.data])
        try:
            if request.form.get("action") == "nominate":
                result = nominate_from_tree(training_class, choice, actor=current_user)
                _flash_result(result)
                return redirect(url_for(".index", class_id=class_id))
            preview = preview_tree_nomination(training_class, choice, actor=current_user)
        except ClassRefused as error:
            show_refusal(form, error)
    return _nominate_page(training_class, form, NameListForm(), preview=preview)


@bp.post("/<int:class_id>/members/file")
@roles_required(*MANAGERS)
@commits
def nominate_file(class_id: int):
    training_class = managed_class_or_403(class_id)
    limit = current_app.config["ROSTER_MAX_BYTES"]
    if (request.content_length or 0) > limit + 64 * 1024:
        abort(413)
    file_form = NameListForm()
    upload = file_form.file.data if file_form.validate_on_submit() else None
    if upload is None or not getattr(upload, "filename", ""):
        file_form.file.errors = [_("Choose the roster file.")]
        return _nominate_page(training_class, _nominate_form(training_class)[0], file_form), 400
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        abort(413)
    try:
        result = nominate_from_file(training_class, data, actor=current_user)
    except NameListInvalid as invalid:
        discard_refused_work()
        return _nominate_page(training_class, _nominate_form(training_class)[0], file_form,
                              invalid=invalid), 400
    except ClassRefused as error:
        discard_refused_work()
        show_refusal(file_form, error)
        return _nominate_page(training_class, _nominate_form(training_class)[0], file_form), 400
    _flash_result(result)
    return redirect(url_for(".index", class_id=class_id))


def _nominate_form(training_class: TrainingClass) -> tuple[NominateForm, dict]:
    form = NominateForm()
    units = {str(u.id): u for u in list_nomination_units(training_class)}
    depth = training_class.org_unit.path.count("/")
    form.unit.choices = [SelectChoice(k, "　" * (u.path.count("/") - depth) + u.name)
                         for k, u in units.items()]
    ranks = [Rank(r) for r in training_class.ranks] or list(Rank)
    categories = [WorkCategory(c) for c in training_class.categories] or list(WorkCategory)
    form.ranks.choices = [SelectChoice(r.value, label(r)) for r in ranks]
    form.categories.choices = [SelectChoice(c.value, label(c)) for c in categories]
    return form, units


def _nominate_page(training_class, form, file_form, *, preview=None, invalid=None):
    problems = invalid.problems if invalid is not None else []
    file_error = invalid.file_error if invalid is not None else None
    return render_template(
        "training/nominate.html", training_class=training_class, form=form,
        file_form=file_form, preview=preview, problems=problems[:PROBLEMS_SHOWN],
        problem_count=len(problems), file_error=file_error, problem_text=name_list_problem_text,
        active_tab="members")


def _flash_result(result) -> None:
    flash(_("Nominated: %(enrolled)s enrolled, %(waitlisted)s on the waitlist; %(already)s "
            "were in the class already.", enrolled=result.enrolled,
            waitlisted=result.waitlisted, already=result.already), "success")


@bp.post("/<int:class_id>/members/<int:member_id>/approve")
@roles_required(*MANAGERS)
@commits
def approve(class_id: int, member_id: int):
    training_class = managed_class_or_403(class_id)
    member = find_member(training_class, member_id)
    if ActionForm().validate_on_submit():
        decision = _decided(lambda: approve_application(member, actor=current_user))
        if decision is not None:
            flash(_("Application of %(name)s approved: %(status)s.", name=member.user.name,
                    status=label(member.status)), "success")
    return _back(class_id)


@bp.post("/<int:class_id>/members/<int:member_id>/reject")
@roles_required(*MANAGERS)
@commits
def reject(class_id: int, member_id: int):
    training_class = managed_class_or_403(class_id)
    member = find_member(training_class, member_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason (at most 500 characters)."), "danger")
    elif _decided(lambda: reject_application(member, form.reason.data, actor=current_user)):
        flash(_("Application of %(name)s rejected.", name=member.user.name), "success")
    return _back(class_id)


@bp.post("/<int:class_id>/members/<int:member_id>/withdraw")
@roles_required(*MANAGERS)
@commits
def withdraw(class_id: int, member_id: int):
    training_class = managed_class_or_403(class_id)
    member = find_member(training_class, member_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason (at most 500 characters)."), "danger")
    elif _decided(lambda: withdraw_member(member, form.reason.data, actor=current_user)):
        flash(_("%(name)s withdrawn from the class.", name=member.user.name), "success")
    return _back(class_id)


def _decided(decide) -> MemberDecision | None:
    """Run a decision; a refusal is flashed (None), a waitlist moving up is told."""
    try:
        decision = decide()
    except MemberRefused as refused:
        discard_refused_work()
        flash(member_refusal_text(refused.code), "danger")
        return None
    if decision.promoted:
        flash(_("%(count)s from the waitlist moved up into the freed places.",
                count=len(decision.promoted)), "info")
    return decision


def _back(class_id: int):
    """Back to the member list as it was (its filter and page), or to its first page."""
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".index", class_id=class_id))
