"""A cadre's certificates: list, PDF and Open Badges downloads; HR revocation and reissue."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
