"""Friendly error pages that say what went wrong, never a stack trace."""

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

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


def _render(status: int, detail: str | None = None):
    title, default_detail = _TITLES.get(status, _TITLES[500])
    return render_template(
        "errors/error.html", status=status, title=title, detail=detail or default_detail
    ), status


def handle_csrf_error(error: CSRFError):
    return _render(400, _("The form has expired or is missing its security token. "
                          "Go back, reload the page and submit again."))


def handle_http_error(error: HTTPException):
    status = error.code or 500
    # Werkzeug's stock descriptions are English prose; show only the ones our views wrote.
    custom = error.description if error.description != type(error).description else None
    if status >= 500:
        db.session.rollback()
        custom = None
    return _render(status, custom)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
