"""Who may use a route: one declaration per view, enforced in one place.

Every view says who may use it with exactly one of ``@public``,
``@login_required`` or ``@roles_required(...)``. A before-request hook enforces
the declaration and refuses (403) any view that forgot to make one, so a new
route is closed until someone decides who may open it. The route walker test
(tests/web/test_access_matrix.py) reads the same declarations.

Which *rows* a user may see is the services' job (app.services.core.access).
"""

from dataclasses import dataclass

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.vocabulary import RoleName
from app.web.labels import ROLE_LABELS

# Endpoints served by Flask and extensions themselves (static files).
_BUILTIN_PUBLIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})
# What a user holding a one-time password may open before choosing their own.
_BEFORE_PASSWORD_CHANGE_ENDPOINTS = frozenset({"auth.password", "auth.logout"})


@dataclass(frozen=True)
class Access:
    public: bool = False
    roles: frozenset[RoleName] = frozenset()  # empty: any signed-in user


def _declare(access: Access):
    def decorate(view):
        view.access = access
        return view

    return decorate


public = _declare(Access(public=True))
login_required = _declare(Access())


def roles_required(*roles: RoleName):
    """Any one of the roles admits the user."""
    return _declare(Access(roles=frozenset(roles)))


def access_of(endpoint: str) -> Access | None:
    if endpoint in _BUILTIN_PUBLIC_ENDPOINTS:
        return Access(public=True)
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


def enforce_access():
    if request.endpoint is None:  # no route matched: let the 404 handler answer
        return None
    access = access_of(request.endpoint)
    if access is None:
        current_app.logger.error("view %s declares no access rule; refused", request.endpoint)
        g.access_refusal = "no_rule"  # app.web.errors audits every 403 with this reason
        abort(403, description=_("This page has no access rule yet."))
    if access.public:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if (current_user.must_change_password
            and request.endpoint not in _BEFORE_PASSWORD_CHANGE_ENDPOINTS):
        return redirect(url_for("auth.password"))
    if access.roles and not current_user.has_role(*access.roles):
        g.access_refusal = "role"
        abort(403, description=_("This page needs the role: %(roles)s",
                                 roles=", ".join(role_label(r) for r in sorted(access.roles))))
    return None


def role_label(role: RoleName) -> str:

    return str(ROLE_LABELS[role])


def init_app(app: Flask) -> None:
    app.before_request(enforce_access)
