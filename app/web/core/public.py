"""Pages anyone may open: health check and the language switch."""

from flask import Blueprint, current_app, jsonify, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter
from app.services.people.accounts import set_preferred_language
from app.web.guards import public
from app.web.i18n import LANGUAGE_COOKIE, ONE_YEAR, supported_languages
from app.web.templating import is_safe_next
from app.web.transactions import commits

bp = Blueprint("public", __name__)


@bp.get("/healthz")
@public
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok")


@bp.get("/favicon.ico")
@public
@limiter.exempt
def favicon():
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.post("/lang")
@public
@commits
def switch_language():
    language = request.form.get("lang", "")
    target = request.form.get("next")
    response = redirect(target if is_safe_next(target) else url_for("home.index"))
    if language not in supported_languages():
        return response  # unknown codes are ignored; the current language stays
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    if current_user.is_authenticated:
        set_preferred_language(current_user, language, allowed=supported_languages())
    return response
