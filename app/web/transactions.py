"""The request's one transaction: a view marked ``@commits`` commits once, at the end.

A decorated view commits when it returns a response below 400 and rolls back what it wrote
when it raises (a NotFound, a refusal, an abort, a bug) or returns an error status. Services
only flush. Only views whose every answer below 400 is a success (or that roll a caught
refusal back themselves) wear it: a view that catches a refusal and shows the form again or
flashes and redirects must not commit what the service may have flushed before refusing, so
those views keep their explicit commit on the success path until each service is shown to
refuse before writing.
"""

from functools import wraps

from flask import current_app

from app.extensions import db
from app.web.errors import request_flushed


def commits(view):
    @wraps(view)
    def run(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
        except BaseException:
            _roll_back()
            raise
        response = current_app.make_response(response)
        if response.status_code >= 400:
            _roll_back()
        else:
            db.session.commit()
        return response

    return run


def _roll_back() -> None:
    # Only the request's own writes: in tests the session also holds what a test set up.
    if request_flushed():
        db.session.rollback()
