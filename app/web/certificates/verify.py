"""Public verification of a certificate: /verify/<serial>?c=<code> and the lookup form.

Unknown serials, wrong or missing codes and malformed serials all get the same page with
the same words and status 404, so the page cannot be used to find out which serials exist.
Rate limited per client address (VERIFY_RATE_LIMIT).
"""

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from app.domain.certificates import normalize_code, normalize_serial
from app.extensions import limiter
from app.services.certificates import public_facts, verify_certificate
from app.web.certificates.forms import LookupForm
from app.web.guards import public

bp = Blueprint("verify", __name__)


def _verify_rate_limit() -> str:
    return current_app.config["VERIFY_RATE_LIMIT"]


def _not_found():
    return render_template("certificates/verify_not_found.html", form=LookupForm()), 404


@bp.get("/")
@public
@limiter.limit(_verify_rate_limit)
def lookup():
    form = LookupForm(request.args)
    if not request.args:
        return render_template("certificates/verify_form.html", form=LookupForm(formdata=None))
    if not form.validate():
        return render_template("certificates/verify_form.html", form=form)
    serial = normalize_serial(form.serial.data)
    if serial is None:
        return _not_found()
    return redirect(url_for(".certificate", serial=serial, c=normalize_code(form.c.data)))


@bp.get("/<path:serial>")  # path: a "/" in a malformed serial gets the same page too
@public
@limiter.limit(_verify_rate_limit)
def certificate(serial):
    found = verify_certificate(serial, request.args.get("c", ""))
    if found is None:
        return _not_found()
    return render_template("certificates/verify.html", facts=public_facts(found))
