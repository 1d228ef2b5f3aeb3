"""学时认定, HR's pages (/hr/claims/): the queue of claims by cadres in scope (pending first,
filters by status, flags and unit subtree), one claim with its proof and what surrounds its
dates, and the decisions: approve (possibly fewer hours, with a reason), reject with a
reason, reverse an approval with a reason.

A cadre outside the reviewer's scope is refused (403, audited), as on the cadre pages; a
unit outside it in the filter too. A decision the service refuses shows the claim page
again (400) with the reason under its field.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.class_vocabulary import RequestStatus
from app.labels import REQUEST_STATUS_LABELS
from app.services.appraisal.closing import YearClosed
from app.services.people.org import find_unit_by_code, list_units_in_scope
from app.services.training.claim_access import REVIEWER_ROLES
from app.services.training.claim_review import (
    ClaimStateChanged,
    DecisionInvalid,
    ReviewFilter,
    approve_claim,
    claim_context,
    find_claim_for_review,
    list_claims_for_review,
    reject_claim,
    reverse_approval,
)
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.training.claim_forms import (
    FLAG_HELP,
    FLAG_LABELS,
    ApproveForm,
    ReasonForm,
    ReviewFilterForm,
    problem_text,
)
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("hr_claims", __name__)
OUTSIDE = _l("This cadre is outside the org units you may see.")
UNIT_OUTSIDE = _l("This org unit is outside your scope.")


@bp.get("/")
@roles_required(*REVIEWER_ROLES)
def index():
    form = ReviewFilterForm(request.args)
    form.validate()
    unit = None
    if form.unit.data:
        unit = find_unit_by_code(form.unit.data)
        if unit is None:
            form.unit.errors = [_("No org unit has the code %(code)s.", code=form.unit.data)]
    status = RequestStatus(form.status.data) if form.status.data in set(RequestStatus) else None
    with refusal_says(UNIT_OUTSIDE):
        claims = list_claims_for_review(
            actor=current_user, filters=ReviewFilter(status, bool(form.flagged.data), unit),
            page=request.args.get("page", 1, type=int),
            per_page=current_app.config["PAGE_SIZE"])
    return render_template(
        "training/claims/queue.html", claims=claims, form=form,
        units=list_units_in_scope(current_user), flag_labels=FLAG_LABELS,
        status_labels=REQUEST_STATUS_LABELS,
        filters={name: value for name, value in request.args.items() if name != "page"})


@bp.get("/<int:claim_id>")
@roles_required(*REVIEWER_ROLES)
def claim(claim_id: int):
    return _claim_page(_claim(claim_id))


@bp.post("/<int:claim_id>/approve")
@roles_required(*REVIEWER_ROLES)
@commits
def approve(claim_id: int):
    claim = _claim(claim_id, lock=True)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _claim_page(claim, approve_form=form), 400
    return _decide(claim, form, lambda: approve_claim(
        claim, form.hours_approved.data, form.reason.data or "", actor=current_user),
        _("Claim approved: the credit hours are in the cadre's record as recognized hours."))


@bp.post("/<int:claim_id>/reject")
@roles_required(*REVIEWER_ROLES)
@commits
def reject(claim_id: int):
    claim = _claim(claim_id, lock=True)
    form = ReasonForm(prefix="reject")
    if not form.validate_on_submit():
        return _claim_page(claim, reject_form=form), 400
    return _decide(claim, form, lambda: reject_claim(claim, form.reason.data,
                                                     actor=current_user),
                   _("Claim rejected; the cadre sees your reason."))


@bp.post("/<int:claim_id>/reverse")
@roles_required(*REVIEWER_ROLES)
@commits
def reverse(claim_id: int):
    claim = _claim(claim_id, lock=True)
    form = ReasonForm(prefix="reverse")
    if not form.validate_on_submit():
        return _claim_page(claim, reverse_form=form), 400
    return _decide(claim, form, lambda: reverse_approval(claim, form.reason.data,
                                                         actor=current_user),
                   _("Approval reversed: the recognized hours are taken out of the record."))


def _claim(claim_id: int, *, lock: bool = False):
    with refusal_says(OUTSIDE):
        return find_claim_for_review(claim_id, actor=current_user, lock=lock)


def _decide(claim, form, decision, done: str):
    """Run the decision; a refusal shows the claim again with the reason (nothing saved)."""
    try:
        with refusal_says(_("Nobody decides their own claim: another HR officer does.")):
            decision()
    except DecisionInvalid as invalid:
        discard_refused_work()
        getattr(form, invalid.field).errors.append(problem_text(str(invalid), invalid.params))
        return _claim_page(claim, **{_form_name(form): form}), 400
    except YearClosed as closed:
        discard_refused_work()
        flash(_("The appraisal year %(year)s is closed: its hours cannot change. An "
                "administrator or city HR must reopen it first.", year=closed.year), "danger")
        return _claim_page(claim), 409
    except ClaimStateChanged:
        flash(_("This claim was decided or withdrawn meanwhile; here it is as it is now."),
              "warning")
        return redirect(url_for(".claim", claim_id=claim.id))
    flash(done, "success")
    return redirect(url_for(".claim", claim_id=claim.id))


def _form_name(form) -> str:
    if isinstance(form, ApproveForm):
        return "approve_form"
    return f"{form._prefix.rstrip('-')}_form"


def _claim_page(claim, *, approve_form=None, reject_form=None, reverse_form=None):
    if approve_form is None:
        approve_form = ApproveForm(formdata=None, hours_approved=claim.hours_claimed)
    return render_template(
        "training/claims/review.html", claim=claim, context=claim_context(claim),
        approve_form=approve_form,
        reject_form=reject_form or ReasonForm(prefix="reject", formdata=None),
        reverse_form=reverse_form or ReasonForm(prefix="reverse", formdata=None),
        own=claim.user_id == current_user.id, flag_labels=FLAG_LABELS, flag_help=FLAG_HELP,
        status_labels=REQUEST_STATUS_LABELS)
