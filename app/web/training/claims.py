"""学时认定, the cadre's pages (/claims/): their claims with each decision, a new claim with
its proof, withdrawing a pending claim, and the proof file itself (also HR's, in scope).

A request larger than the proof's limit is answered before its body is read: the form
again (413) saying how large a proof may be. A refused claim shows the form again (400)
with each problem under its field; nothing was written (the service checks first, and the
400 rolls the request back besides).
"""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.domain.class_vocabulary import ClaimKind
from app.services.training.claims import (
    ClaimDraft,
    ClaimInvalid,
    ClaimNotPending,
    list_my_claims,
    submit_claim,
    withdraw_claim,
)
from app.services.training.proofs import ProofUpload, open_claim_proof, proof_max_bytes
from app.web.downloads import attachment
from app.web.errors import refusal_hidden
from app.web.forms import ActionForm
from app.web.guards import login_required
from app.web.training.claim_forms import (
    FLAG_LABELS,
    ClaimForm,
    megabytes,
    problem_text,
    proof_refusal_text,
)
from app.web.transactions import commits

bp = Blueprint("claims", __name__)
#: The form's own fields and multipart framing, on top of the proof itself.
FORM_OVERHEAD_BYTES = 64 * 1024


@bp.get("/")
@login_required
def index():
    claims = list_my_claims(actor=current_user, page=request.args.get("page", 1, type=int),
                            per_page=current_app.config["PAGE_SIZE"])
    return render_template("training/claims/mine.html", claims=claims, action_form=ActionForm(),
                           flag_labels=FLAG_LABELS)


@bp.get("/new")
@login_required
def new():
    return _form_page(ClaimForm())


@bp.post("/new")
@login_required
@commits
def submit():
    limit = proof_max_bytes()
    if (request.content_length or 0) > limit + FORM_OVERHEAD_BYTES:
        return _too_large(limit)
    request.max_content_length = limit + FORM_OVERHEAD_BYTES  # a body without a length too
    try:
        form = ClaimForm()
    except RequestEntityTooLarge:
        return _too_large(limit)
    if not form.validate_on_submit():
        return _form_page(form), 400
    upload = ProofUpload(form.proof.data.filename or "", form.proof.data.stream.read(limit + 1))
    try:
        claim = submit_claim(_draft(form), upload, actor=current_user)
    except ClaimInvalid as invalid:
        _show_problems(form, invalid, limit)
        return _form_page(form), 400
    flash(_("Claim submitted: HR in your unit will decide it. The proof is kept with it."),
          "success")
    if claim.flags:
        flash(_("HR will look twice at this claim: %(flags)s.",
                flags="、".join(str(FLAG_LABELS[flag]) for flag in claim.flags)), "warning")
    return redirect(url_for(".index"))


@bp.post("/<int:claim_id>/withdraw")
@login_required
@commits
def withdraw(claim_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        withdraw_claim(claim_id, actor=current_user)
    except ClaimNotPending:
        flash(_("This claim was decided already: it can no longer be withdrawn."), "warning")
    else:
        flash(_("Claim withdrawn."), "success")
    return redirect(url_for(".index"))


@bp.get("/<int:claim_id>/proof")
@login_required
def proof(claim_id: int):
    """The proof, to its cadre and to HR who may review the claim (everyone else: 404).
    Images show in the page; a PDF is always a download, never opened inside our origin."""
    with refusal_hidden():
        stored = open_claim_proof(claim_id, actor=current_user)
    claim = stored.claim
    inline = stored.is_image and not request.args.get("download")
    disposition = "inline" if inline else attachment(claim.proof_name,
                                                     f"proof-{claim.id}.{_suffix(claim)}")
    return Response(stored.content, mimetype=claim.proof_type, headers={
        "Content-Disposition": disposition,
        "Content-Security-Policy": "default-src 'none'; sandbox"})


def _suffix(claim) -> str:
    return claim.proof_name.rsplit(".", 1)[-1] if "." in claim.proof_name else "bin"


def _draft(form: ClaimForm) -> ClaimDraft:
    return ClaimDraft(title=form.title.data, organizer=form.organizer.data,
                      kind=ClaimKind(form.kind.data), starts_on=form.starts_on.data,
                      ends_on=form.ends_on.data, hours_claimed=form.hours_claimed.data,
                      certificate_number=form.certificate_number.data or "")


def _show_problems(form: ClaimForm, invalid: ClaimInvalid, limit: int) -> None:
    for problem in invalid.problems:
        getattr(form, problem.field).errors.append(problem_text(problem.message,
                                                                problem.params))
    if invalid.proof_refused is not None:
        form.proof.errors.append(proof_refusal_text(invalid.proof_refused, limit))


def _too_large(limit: int):
    form = ClaimForm(formdata=None)
    form.proof.errors = [_("The file is larger than %(mib)s MB: nothing was saved. Scan at a "
                           "lower resolution or save a smaller PDF, then submit again.",
                           mib=megabytes(limit))]
    return _form_page(form), 413


def _form_page(form: ClaimForm):
    return render_template("training/claims/new.html", form=form,
                           max_mib=megabytes(proof_max_bytes()))
