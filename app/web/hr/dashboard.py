"""The HR dashboard: tiles, child units drillable to cadres, charts, cadre search, Excel."""

from flask import Blueprint

bp = Blueprint("hr_dashboard", __name__)
