"""Public verification of a certificate: /verify/<serial>?c=<code> and the lookup form."""

from flask import Blueprint

bp = Blueprint("verify", __name__)
