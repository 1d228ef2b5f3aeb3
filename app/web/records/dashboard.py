"""The HR dashboard: tiles, child units drillable to cadres, charts, cadre search, Excel.

Arguments are query parameters (?unit=500103&year=2026&rank=&category=&sort=), so every
page opens without URL arguments. A unit outside the HR user's scope is refused (403); the
error handler audits the refusal, naming the unit.
"""

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.domain.appraisal import Rating
from app.domain.charts import ScreenSvg
from app.domain.vocabulary import RoleName
from app.labels import label
from app.reports import workbooks
from app.reports.charts import (
    BarChart,
    DistributionChart,
    RadarChart,
    RatingChart,
    render_screen_svg,
)
from app.services.people.org import find_unit_by_code
from app.services.records.dashboard import (
    build_compliance_list,
    build_unit_dashboard,
    default_unit,
    ensure_may_open_unit,
    iter_unit_cadres,
    list_unit_cadres,
    record_download,
)
from app.web.appraisal.routes import RATING_LABELS
from app.web.errors import refusal_says
from app.web.guards import roles_required
from app.web.records.dashboard_forms import DashboardFilterForm
from app.web.transactions import commits

bp = Blueprint("hr_dashboard", __name__)
HR_ROLES = (RoleName.HR, RoleName.ADMIN)
OUTSIDE = _l("This unit is outside the org units you may see.")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _filters() -> DashboardFilterForm:
    form = DashboardFilterForm()
    if not form.validate():
        abort(400, description=form.first_error())
    return form


def _unit(form: DashboardFilterForm):
    code = (form.unit.data or "").strip()
    unit = find_unit_by_code(code) if code else default_unit(current_user)
    if unit is None:
        abort(404, description=_("No org unit has the code %(code)s.", code=code or "—"))
    return unit


def display_label(member) -> str:
    return str(RATING_LABELS[member]) if isinstance(member, Rating) else label(member)


@bp.get("/")
@roles_required(*HR_ROLES)
def index():
    form = _filters()
    unit = _unit(form)
    with refusal_says(OUTSIDE):
        board = build_unit_dashboard(
            unit, actor=current_user, year=form.year_value, rank=form.rank_value,
            category=form.category_value, sort=form.sort.data or "")
    return render_template("records/dashboard.html", board=board, form=form, charts=_charts(board),
                           ratings=RATING_LABELS)


def _charts(board) -> dict[str, ScreenSvg]:
    """The four charts as inline SVG for wide screens and phones (each says 暂无数据 when it
    has nothing to draw)."""
    units = [row for row in board.children if row.figures.cadres]
    names = [_("%(unit)s (directly)", unit=r.unit.name) if r.own else r.unit.name for r in units]
    completion = BarChart(_("Completion by unit"), names,  # nobody enrolled: 暂无数据, not 0 %
                          [None if r.figures.completion_rate is None
                           else 100 * r.figures.completion_rate for r in units],
                          value_suffix="%", max_value=100)
    scores = DistributionChart(_("Score distribution"), [b.label for b in board.score_buckets],
                               [b.count for b in board.score_buckets])
    mastery = RadarChart(_("Mastery per competency area"),
                         [label(m.area) for m in board.mastery],
                         [m.percent for m in board.mastery])
    ratings = RatingChart(_("Appraisal ratings"), [str(RATING_LABELS[r]) for r, _n in
                                                   board.ratings],
                          [n for _r, n in board.ratings])
    rows = len(units)
    return {"completion": render_screen_svg(completion, (480, max(160, 28 * rows + 60)),
                                            max(120, 20 * rows + 50)),
            "scores": render_screen_svg(scores, (480, 240), 150),
            "mastery": render_screen_svg(mastery, (480, 300), 210),
            "ratings": render_screen_svg(ratings, (480, 160), 150)}


@bp.get("/cadres")
@roles_required(*HR_ROLES)
def cadres():
    form = _filters()
    unit = _unit(form)
    with refusal_says(OUTSIDE):
        result = list_unit_cadres(
            unit, actor=current_user, year=form.year_value, rank=form.rank_value,
            category=form.category_value, text=form.q.data or "", page=form.page.data or 1,
            per_page=PAGE_SIZE)
    return render_template("records/dashboard_cadres.html", result=result, unit=unit, form=form,
                           ratings=RATING_LABELS)


@bp.get("/export.xlsx")
@roles_required(*HR_ROLES)
@commits
def export():
    form = _filters()
    unit, year, table = _unit(form), form.year_value, form.table.data or "units"
    with refusal_says(OUTSIDE):
        ensure_may_open_unit(current_user, unit)
    data = _workbook(table, unit, form)
    record_download(f"xlsx.{table}", unit, year, actor=current_user, ip=request.remote_addr)
    response = send_file(BytesIO(data), mimetype=XLSX, as_attachment=True,
                         download_name=f"{unit.code}-{year}-{table}.xlsx")
    response.headers["Cache-Control"] = "private, no-store"  # names of people: keep no copy
    return response


def _workbook(table: str, unit, form: DashboardFilterForm) -> bytes:
    options = {"actor": current_user, "year": form.year_value, "rank": form.rank_value,
               "category": form.category_value}
    if table == "cadres":
        return workbooks.cadres_workbook(f"{unit.name} {form.year_value}",
                                         iter_unit_cadres(unit, **options), label=display_label)
    if table == "compliance":
        return workbooks.compliance_workbook(build_compliance_list(unit, **options),
                                             label=display_label)
    return workbooks.units_workbook(build_unit_dashboard(unit, sort=form.sort.data or "",
                                                         **options), label=display_label)
