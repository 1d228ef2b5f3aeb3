"""The request's one transaction: a view marked ``@commits`` commits once, at the end.

A decorated view commits when it returns a response below 400 and rolls back what it wrote
when it raises (a NotFound, a refusal, an abort, a bug) or returns an error status. Services
only flush. A view that catches a refusal and answers with it (a message, the form again)
calls ``discard_refused_work()`` where the service may have flushed before refusing; the
other services refuse before they write (checked once by running the whole suite with a
probe that flagged any committed request in which a refusal was raised after a flush: none).

Three commits stay outside: this decorator's, the audit record of a 403 (app.web.errors,
in its own transaction after the refused work is rolled back), and sign-in, whose failed
attempts and locks must be saved whatever the outcome.
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


def discard_refused_work() -> None:
    """Undo what a service flushed before it refused, when the view goes on to answer with
    the refusal (a message, the form again) and the request still commits its other work."""
    _roll_back()


def _roll_back() -> None:
    # Only the request's own writes: in tests the session also holds what a test set up.
    if request_flushed():
        db.session.rollback()
