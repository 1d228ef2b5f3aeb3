"""HR documents: a cadre's record PDF, a unit summary PDF, batch jobs with progress."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
