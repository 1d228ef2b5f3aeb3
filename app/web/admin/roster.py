"""Roster import: upload, preview (creates, updates, deactivations, errors), confirm."""

from flask import Blueprint

bp = Blueprint("roster", __name__)
