"""The org tree: view, create, rename, move a subtree, deactivate a unit."""

from flask import Blueprint

bp = Blueprint("admin_org", __name__)
