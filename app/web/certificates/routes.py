"""A cadre's certificates: list, PDF and Open Badges downloads; HR revocation and reissue."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.models.certificate import Certificate
from app.reports.certificate import render_certificate_pdf
from app.services.certificates import (
    AlreadyRevoked,
    certificate_document,
    class_details,
    find_certificate_for,
    list_certificates_of,
    may_manage_certificate,
    reissue_certificate,
    revoke_certificate,
    serial_history,
    verify_url,
)
from app.services.certificates.open_badges import build_open_badge
from app.services.core.errors import PermissionDenied, ServiceError
from app.web.certificates.forms import RevokeForm
from app.web.downloads import attachment
from app.web.errors import refusal_hidden
from app.web.forms import ActionForm
from app.web.guards import login_required, roles_required
from app.web.transactions import commits, discard_refused_work

bp = Blueprint("certificates", __name__)
OUTSIDE = _l("This certificate's holder is outside the org units you may see.")


@refusal_hidden()
def _load(serial: str) -> Certificate:
    """The certificate the user may see; another's answers 404 like a missing serial."""
    return find_certificate_for(serial, actor=current_user)


@bp.get("/")
@login_required
def index():
    return render_template("certificates/index.html",
                           certificates=list_certificates_of(current_user))


@bp.get("/<serial>")
@login_required
def show(serial):
    certificate = _load(serial)
    return render_template(
        "certificates/show.html", certificate=certificate, history=serial_history(certificate),
        verify_url=verify_url(certificate), class_details=class_details(certificate),
        manage=may_manage_certificate(current_user, certificate),
        revoke_form=RevokeForm(), action_form=ActionForm())


@bp.get("/<serial>.pdf")
@login_required
def pdf(serial):
    certificate = _load(serial)
    data = render_certificate_pdf(certificate_document(certificate))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": attachment(f"证书-{certificate.serial}.pdf",
                                          f"{certificate.serial}.pdf")})


@bp.get("/<serial>.json")
@login_required
def badge(serial):
    certificate = _load(serial)
    response = jsonify(build_open_badge(certificate))
    response.mimetype = "application/ld+json"
    return response


@bp.post("/<serial>/revoke")
@roles_required(RoleName.HR, RoleName.ADMIN)
@commits
def revoke(serial):
    certificate = _load(serial)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for revoking (at most 500 characters)."), "danger")
        return redirect(url_for(".show", serial=certificate.serial))
    try:
        revoke_certificate(certificate, form.reason.data, actor=current_user,
                           ip=request.remote_addr)
    except AlreadyRevoked:
        flash(_("This certificate is revoked already."), "warning")
        return redirect(url_for(".show", serial=certificate.serial))
    except PermissionDenied:
        abort(403, description=OUTSIDE)
    flash(_("Certificate %(serial)s revoked.", serial=certificate.serial), "success")
    return redirect(url_for(".show", serial=certificate.serial))


@bp.post("/<serial>/reissue")
@roles_required(RoleName.HR, RoleName.ADMIN)
@commits
def reissue(serial):
    certificate = _load(serial)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        replacement = reissue_certificate(certificate, actor=current_user,
                                          ip=request.remote_addr)
    except PermissionDenied:
        abort(403, description=OUTSIDE)
    except ServiceError:
        discard_refused_work()
        flash(_("Only a valid certificate can be reissued."), "warning")
        return redirect(url_for(".show", serial=certificate.serial))
    flash(_("Reissued as %(serial)s; the old number is revoked.", serial=replacement.serial),
          "success")
    return redirect(url_for(".show", serial=replacement.serial))
