"""Learning records and competency profiles (routes added by their author)."""

from flask import Blueprint

bp = Blueprint("records", __name__)
