"""Friendly error pages that say what went wrong, never a stack trace.

A service's NotFound escaping a view is the 404 page and its PermissionDenied the 403 page
(audited once); a view that shows its own words on a refusal wraps the call in
``refusal_says(description)``, and one that must not tell that the thing exists (a
certificate serial) in ``refusal_hidden()``: a 404 like a missing one, audited as a refusal.
"""

from contextlib import ContextDecorator

from flask import Flask, abort, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from app import new_error_id
from app.extensions import db
from app.services.core.audit import record_access_refusal
from app.services.core.errors import NotFound, PermissionDenied

_TITLES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has been removed.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Upload too large"), _l("The file you sent is larger than allowed.")),
    429: (_l("Too many requests"),
          _l("Too many attempts from your address. Please wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged.")),
}


def _render(status: int, detail: str | None = None, error_id: str | None = None):
    title, default_detail = _TITLES.get(status, _TITLES[500])
    return render_template(
        "core/error.html", status=status, title=title, detail=detail or default_detail,
        error_id=error_id), status


def _error_id(status: int) -> str:
    """The id of this server error: the one app.Academy.log_exception logged with the
    traceback, or a new one logged here (an abort(500), a 503)."""
    if "error_id" not in g:
        g.error_id = new_error_id()
        current_app.logger.error("Server error %s on %s [%s] (error id %s)", status,
                                 request.path, request.method, g.error_id)
    return g.error_id


def handle_csrf_error(error: CSRFError):
    return _render(400, _("The form has expired or is missing its security token. "
                          "Go back, reload the page and submit again."))


def handle_http_error(error: HTTPException):
    status = error.code or 500
    # Werkzeug's stock descriptions are English prose; show only the ones our views wrote.
    custom = error.description if error.description != type(error).description else None
    if status >= 500:
        db.session.rollback()
        return _render(status, None, _error_id(status))
    if status == 403:
        denied = error.__context__ if isinstance(error.__context__, PermissionDenied) else None
        _audit_refusal(g.get("access_refusal", "denied"), denied)
    return _render(status, custom)


def handle_permission_denied(error: PermissionDenied):
    """A service refused and the route did not turn it into a 403 itself."""
    _audit_refusal("denied", error)
    return _render(403)


def handle_not_found(error: NotFound):
    """A service found nothing (or nothing this user may know of): the plain 404 page."""
    return _render(404)


class refusal_says(ContextDecorator):  # noqa: N801 - used like a function: with / @
    """A PermissionDenied raised inside becomes a 403 page showing ``description``.

    The 403 is raised while the refusal is being handled, so handle_http_error audits the
    service's refusal (its message and target) exactly once, as for any other 403.
    """

    def __init__(self, description):
        self.description = description

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, PermissionDenied):
            abort(403, description=self.description)
        return False


class refusal_hidden(ContextDecorator):  # noqa: N801 - used like a function: with / @
    """A PermissionDenied raised inside becomes the plain 404 page, the same page as for a
    missing thing, so a refusal does not tell that the thing exists; the refusal is still
    audited (reason ``hidden``) with the service's message and target."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if isinstance(error, PermissionDenied):
            _audit_refusal("hidden", error)
            abort(404)
        return False


def _audit_refusal(reason: str, denied: PermissionDenied | None) -> None:
    """Record the 403 in its own commit, after rolling back what the request itself wrote.

    Auditing must never turn a refusal into an error: when the write fails (a locked SQLite
    file under a flood of refusals, a lost connection) the page is still a plain 403.
    """
    try:
        actor = current_user._get_current_object() if current_user.is_authenticated else None
        if request_flushed():
            db.session.rollback()  # the request wrote something before it was refused
        record_access_refusal(actor=actor, endpoint=request.endpoint,
                              path=request.full_path.rstrip("?"), method=request.method,
                              reason=reason, message=str(denied or ""), ip=request.remote_addr,
                              target=denied.target if denied else None)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not audit the refusal of %s", request.path,
                                   exc_info=True)


def _count_flush(session: Session, _flush_context) -> None:
    session.info["flushes"] = session.info.get("flushes", 0) + 1


def _note_flushes_at_start() -> None:
    g.flushes_at_start = db.session.info.get("flushes", 0)


def _flushes() -> int:
    """How many flushes happened during this request."""
    return db.session.info.get("flushes", 0) - g.get("flushes_at_start", 0)


def request_flushed() -> bool:
    """Whether this request wrote anything to the database (app.web.transactions asks)."""
    return _flushes() > 0


def register_error_handlers(app: Flask) -> None:
    # A refused request's own writes are rolled back before its refusal is committed; work
    # flushed before the request began (only tests share a session across requests) stays.
    if not event.contains(Session, "after_flush", _count_flush):
        event.listen(Session, "after_flush", _count_flush)
    app.before_request(_note_flushes_at_start)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(PermissionDenied, handle_permission_denied)
    app.register_error_handler(NotFound, handle_not_found)
