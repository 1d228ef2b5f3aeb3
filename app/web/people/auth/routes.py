"""Sign in, sign out, change password, profile."""

import math

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.domain.learning import local_today
from app.extensions import db, limiter
from app.models.types import utcnow
from app.services.core.errors import ServiceError
from app.services.learning.plans.assigning import sync_user_plans
from app.services.people.accounts import (
    LoginOutcome,
    WeakPasswordError,
    authenticate_user,
    change_password,
    log_out_user,
)
from app.web.guards import login_required, public
from app.web.people.auth.forms import ChangePasswordForm, LoginForm, LogoutForm
from app.web.people.auth.messages import password_problem_message
from app.web.sessions import start_session
from app.web.templating import is_safe_next, local_datetime
from app.web.transactions import commits

bp = Blueprint("auth", __name__)


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next"))
    if not form.validate_on_submit():
        return render_template("people/login.html", form=form)
    result = authenticate_user(form.username.data, form.password.data, ip=request.remote_addr)
    if result.outcome is LoginOutcome.OK:
        # Cadres who joined a planned unit since the plan was saved get its courses now.
        sync_user_plans(result.user, local_today(utcnow()))
    db.session.commit()  # failures and locks must stick whatever happens next
    if result.outcome is LoginOutcome.OK:
        session.clear()  # a fresh session: nothing from before sign-in survives
        session.permanent = True  # lasts the working day even across a browser restart
        login_user(result.user)
        start_session()
        if result.user.must_change_password:  # a one-time password: choose one's own first
            return redirect(url_for("auth.password"))
        return redirect(form.next.data if is_safe_next(form.next.data) else url_for("home.index"))
    form.password.errors.append(_login_failure_message(result))
    return render_template("people/login.html", form=form)


def _login_failure_message(result) -> str:
    if result.outcome is LoginOutcome.THROTTLED:
        minutes = max(1, math.ceil((result.retry_at - utcnow()).total_seconds() / 60))
        return _("Too many failed attempts for this employee number. Try again in "
                 "%(minutes)s minute(s).", minutes=minutes)
    if result.outcome is LoginOutcome.INACTIVE:
        return _("This account has been deactivated. Ask an administrator.")
    if result.outcome is LoginOutcome.ONE_TIME_EXPIRED:
        return _("This one-time password expired on %(time)s. Ask an administrator to reset "
                 "your password.", time=local_datetime(result.expired_at))
    return _("Wrong employee number or password.")


@bp.post("/logout")
@login_required
@commits
def logout():
    if LogoutForm().validate_on_submit():
        log_out_user(current_user, ip=request.remote_addr)
        logout_user()
        session.clear()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@commits
def password():
    form = ChangePasswordForm()
    forced = current_user.must_change_password
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data,
                            ip=request.remote_addr)
        except WeakPasswordError as error:
            form.new_password.errors.extend(password_problem_message(p) for p in error.problems)
        except ServiceError:
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            login_user(current_user._get_current_object())  # this session carries the new version
            flash(_("Password changed. Other sessions have been signed out."), "success")
            return redirect(url_for("home.index" if forced else "auth.profile"))
    return render_template("people/password.html", form=form, forced=forced)


@bp.get("/keepalive")
@login_required
def keepalive():
    """The heartbeat of an open quiz or exercise: the request itself renews the idle stamp
    (app.web.sessions), so an exam in progress never times out."""
    return {"signed_in": True}


@bp.get("/profile")
@login_required
def profile():
    return render_template("people/profile.html", user=current_user)
