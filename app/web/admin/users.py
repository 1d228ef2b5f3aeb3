"""User administration: search, create, edit, roles, one-time password, (de)activation."""

from flask import Blueprint

bp = Blueprint("admin_users", __name__)
