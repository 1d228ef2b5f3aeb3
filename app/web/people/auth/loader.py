"""Loading the signed-in user for each request; stale sessions load nobody."""

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db, login_manager
from app.models import User


def load_user(session_user_id: str) -> User | None:
    user_id, _, version = session_user_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    # One statement for what every page asks of the user: roles (menus, access) and unit.
    user = db.session.get(User, int(user_id),
                          options=[joinedload(User.roles), joinedload(User.org_unit)])
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
