"""The issuer's seal (证书印章): admins upload, preview and remove it; certificates draw it.

A refused image re-renders the page with the reason under the file field (400): the check
runs before anything is written, and the 400 rolls the request back besides.
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

from app.domain.certificate_seal import (
    MAX_SEAL_ASPECT,
    MAX_SEAL_BYTES,
    MAX_SEAL_SIDE,
    MIN_SEAL_SIDE,
    SealRefused,
)
from app.domain.learning import local_today
from app.domain.vocabulary import RoleName
from app.models.types import utcnow
from app.reports.certificate import render_certificate_pdf
from app.services.certificates.seal import (
    current_seal,
    remove_seal,
    sample_certificate_document,
    seal_png,
    upload_seal,
)
from app.web.certificates.forms import SealForm
from app.web.downloads import attachment
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits

bp = Blueprint("certificate_seal", __name__)


@bp.get("/")
@roles_required(RoleName.ADMIN)
def index():
    return _page(SealForm())


@bp.post("/")
@roles_required(RoleName.ADMIN)
@commits
def upload():
    form = SealForm()
    if not form.validate_on_submit():
        return _page(form), 400
    # One byte more than allowed is enough to tell the file is too large.
    data = form.image.data.stream.read(MAX_SEAL_BYTES + 1)
    try:
        upload_seal(data, actor=current_user, ip=request.remote_addr)
    except SealRefused as refused:
        form.image.errors = [refusal_text(refused)]
        return _page(form), 400
    flash(_("Seal uploaded: every certificate now prints with it."), "success")
    return redirect(url_for(".index"))


@bp.post("/remove")
@roles_required(RoleName.ADMIN)
@commits
def remove():
    if not ActionForm().validate_on_submit():
        abort(400)
    if remove_seal(actor=current_user, ip=request.remote_addr):
        flash(_("Seal removed: certificates print without a seal."), "success")
    else:
        flash(_("There is no seal to remove."), "info")
    return redirect(url_for(".index"))


@bp.get("/seal.png")
@roles_required(RoleName.ADMIN)
def image():
    png = seal_png()
    if png is None:
        abort(404)
    return Response(png, mimetype="image/png")


@bp.get("/sample.pdf")
@roles_required(RoleName.ADMIN)
def sample():
    document = sample_certificate_document(today=local_today(utcnow()), actor=current_user)
    return Response(render_certificate_pdf(document), mimetype="application/pdf", headers={
        "Content-Disposition": attachment("证书样张.pdf", "certificate-sample.pdf")})


def _page(form: SealForm):
    # The preview stamps the seal over the last issuing body, as the certificate does.
    issuer = current_app.config["CERT_ISSUER"].split("·")[-1].strip()
    return render_template("certificates/seal.html", form=form, seal=current_seal(),
                           issuer=issuer, action_form=ActionForm(),
                           max_mib=MAX_SEAL_BYTES // (1024 * 1024), min_side=MIN_SEAL_SIDE,
                           max_side=MAX_SEAL_SIDE, max_aspect=MAX_SEAL_ASPECT)


def refusal_text(refused: SealRefused) -> str:
    """Why the image cannot be the seal, in the reader's language."""
    size = refused.detail
    texts = {
        "empty": lambda: _("The file is empty: choose the seal's PNG image."),
        "too_large": lambda: _("The file is larger than %(mib)s MiB: save the seal smaller "
                               "(600 × 600 pixels is plenty) and upload it again.",
                               mib=MAX_SEAL_BYTES // (1024 * 1024)),
        "not_png": lambda: _("The file is a %(format)s image, not a PNG: a seal needs a "
                             "transparent background, which %(format)s cannot have. Export "
                             "the seal as a PNG with a transparent background.",
                             format=refused.detail) if refused.detail else
        _("The file is not a PNG image (its content is not PNG, whatever its name). Export "
          "the seal as a PNG with a transparent background."),
        "unreadable": lambda: _("The PNG image cannot be read (damaged or incomplete): export "
                                "it again."),
        "too_small": lambda: _("The image is %(size)s pixels: a seal needs at least %(min)s "
                               "pixels a side to print sharply.", size=size, min=MIN_SEAL_SIDE),
        "too_big": lambda: _("The image is %(size)s pixels: at most %(max)s pixels a side. "
                             "Scale it down.", size=size, max=MAX_SEAL_SIDE),
        "not_square": lambda: _("The image is %(size)s pixels: a seal is round or oval, so "
                                "its image is roughly square (the longer side at most "
                                "%(ratio)s times the shorter). Crop it to the seal's edge.",
                                size=size, ratio=MAX_SEAL_ASPECT),
        "no_transparency": lambda: _("The PNG has no transparency: its background would cover "
                                     "the issuer's name and the date. Export it with a "
                                     "transparent background."),
        "opaque": lambda: _("The PNG has a transparency channel but not one transparent "
                            "pixel: make the background around the seal transparent."),
    }
    return texts[refused.reason]()
