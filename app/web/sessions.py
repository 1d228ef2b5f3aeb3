"""Idle sign-out: a signed-in session unused for SESSION_IDLE_MINUTES ends.

The session cookie carries the time of the last request (epoch seconds, signed with the
cookie). It is renewed at most once a minute (once a third of the idle timeout, when that is
shorter: the heartbeat's pace), so most requests send no Set-Cookie
(SESSION_REFRESH_EACH_REQUEST stays off). A session also ends PERMANENT_SESSION_LIFETIME after
signing in, as before, though each renewal re-issues the cookie. Quiz and exercise pages send
a heartbeat (static/js/keepalive.js) so an exam in progress never times out.
"""

import time

from flask import Flask, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

LAST_SEEN = "_seen"
SIGNED_IN_AT = "_signed_in_at"
RENEW_AFTER_SECONDS = 60
_STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def start_session() -> None:
    """Stamp a session that has just signed in."""
    now = _now()
    session[LAST_SEEN] = now
    session[SIGNED_IN_AT] = now


def end_idle_session():
    """Before each request: sign out an idle (or too old) session, else renew its stamp."""
    if request.endpoint in _STATIC_ENDPOINTS or "_user_id" not in session:
        return None
    now = _now()
    seen = session.get(LAST_SEEN)
    if seen is None:  # signed in before idle stamps existed: start counting now
        start_session()
        return None
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    if now - seen >= idle or now - session.get(SIGNED_IN_AT, now) >= lifetime:
        return _sign_out_idle()
    if now - seen >= min(RENEW_AFTER_SECONDS, idle / 3):
        session[LAST_SEEN] = now
    return None


def _sign_out_idle():
    logout_user()
    session.clear()
    message = _("You were signed out after %(minutes)s minutes without activity. "
                "Please sign in again.", minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if request.accept_mimetypes.best == "application/json":  # autosave and other fetches
        return jsonify(error=message), 401
    flash(message, "info")
    if request.method != "GET":
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _now() -> int:
    return int(time.time())


def init_app(app: Flask) -> None:
    app.before_request(end_idle_session)
