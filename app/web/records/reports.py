"""HR documents: a cadre's record PDF, a unit summary PDF, batch jobs with progress.

Units are chosen by code (?unit=500103) and the year by ?year= (default this year). A
cadre or unit outside the HR user's scope is refused (403; the error handler audits it,
naming the cadre or unit); every download is audited. A batch of records runs
as a background job (app.services.records.report_jobs) whose pages only its requester sees.
"""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.domain.learning import local_year, selectable_years
from app.domain.vocabulary import JobStatus, RoleName
from app.jobs import BATCH_RECORDS, UNIT_SUMMARY, ascii_filename, summary_filename
from app.models.types import utcnow
from app.services.core.errors import PermissionDenied
from app.services.people.org import list_units_in_scope, unit_names
from app.services.records.dashboard import default_unit
from app.services.records.documents import (
    UnknownCadre,
    UnknownUnit,
    count_unit_cadres,
    find_cadre,
    find_report_unit,
    record_download,
)
from app.services.records.learning_record import FIRST_YEAR
from app.services.records.pdfs import build_cadre_record_pdf, build_unit_summary_pdf
from app.services.records.report_jobs import (
    find_report_job,
    job_state,
    job_waits_for_a_worker,
    list_report_jobs,
    submit_report_job,
)
from app.web.downloads import attachment
from app.web.forms import OrdinaryIntegerField
from app.web.guards import roles_required
from app.web.transactions import commits

bp = Blueprint("reports", __name__)
HR_ROLES = (RoleName.HR, RoleName.ADMIN)
OUTSIDE = _l("This person or unit is outside the org units you may see.")
PDF = "application/pdf"
KIND_NAMES = {BATCH_RECORDS: _l("Training records of a whole unit (PDF)"),
              UNIT_SUMMARY: _l("Unit summary (PDF)")}
STATUS_NAMES = {JobStatus.QUEUED: _l("Waiting to start"), JobStatus.RUNNING: _l("Building"),
                JobStatus.DONE: _l("Ready"), JobStatus.FAILED: _l("Failed")}


class BatchForm(FlaskForm):
    unit = StringField(_l("Org unit code"), validators=[DataRequired(), Length(max=32)])
    year = OrdinaryIntegerField(_l("Year"),
                                validators=[DataRequired(), NumberRange(FIRST_YEAR, 2100)])


def _year(now) -> int:
    raw = request.args.get("year", "").strip()
    if not raw:
        return local_year(now)
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= local_year(now):
        abort(400, description=_("The year must be between %(low)s and %(high)s.",
                                 low=FIRST_YEAR, high=local_year(now)))
    return int(raw)


def _refuse():
    abort(403, description=OUTSIDE)  # the error handler audits the service's refusal


def _unit(code: str):
    """The unit by code (default: the actor's first scope), 404 unknown, 403 outside."""
    try:
        unit = (find_report_unit(code, actor=current_user) if code
                else default_unit(current_user))
    except UnknownUnit:
        abort(404, description=_("No org unit has the code %(code)s.", code=code))
    except PermissionDenied:
        _refuse()
    if unit is None:
        abort(404)
    return unit


def _pdf(content: bytes, filename: str, fallback: str):
    return current_app.response_class(content, mimetype=PDF, headers={
        "Content-Disposition": attachment(filename, fallback),
        "Cache-Control": "private, no-store"})


@bp.get("/")
@roles_required(*HR_ROLES)
def index():
    now = utcnow()
    unit = default_unit(current_user)
    form = BatchForm(unit=unit.code if unit else "", year=local_year(now))
    jobs = list_report_jobs(actor=current_user)
    return render_template("records/reports/index.html", form=form, unit=unit, year=local_year(now),
                           jobs=jobs, status_names=STATUS_NAMES, kind_names=KIND_NAMES,
                           **_pickers(now), unit_names=_job_unit_names(jobs))


def _pickers(now) -> dict:
    """The units the actor may pick, and the years offered, for the documents' forms."""
    return {"units": list_units_in_scope(current_user),
            "years": selectable_years(local_year(now), FIRST_YEAR)}


def _job_unit_names(jobs) -> dict[str, str]:
    return unit_names(job.params.get("unit") for job in jobs if job.params.get("unit"))


@bp.get("/cadre/<int:user_id>.pdf")
@roles_required(*HR_ROLES)
@commits
def cadre_pdf(user_id: int):
    now = utcnow()
    year = _year(now)
    try:
        person = find_cadre(user_id=user_id)
        pdf = build_cadre_record_pdf(person, actor=current_user, year=year, now=now,
                                     generated_by=current_user.name)
    except UnknownCadre:
        abort(404)
    except PermissionDenied:
        _refuse()
    record_download(current_user, kind="cadre_record", target=f"user:{person.id}", year=year,
                    ip=request.remote_addr, user=person.username)
    return _pdf(pdf, f"{person.name}-{year}年干部培训档案.pdf",
                f"training-record-{person.username}-{year}.pdf")


@bp.get("/unit.pdf")
@roles_required(*HR_ROLES)
@commits
def unit_pdf():
    now = utcnow()
    year = _year(now)
    unit = _unit(request.args.get("unit", "").strip())
    cadres = count_unit_cadres(unit)
    if cadres > current_app.config["REPORT_SYNC_CADRES"]:
        # Too many to draw within a request: offer to build it in the background.
        return render_template("records/reports/large_unit.html", unit=unit, year=year,
                               cadres=cadres, form=BatchForm(unit=unit.code, year=year))
    pdf = build_unit_summary_pdf(unit, actor=current_user, year=year, now=now,
                                 generated_by=current_user.name)
    record_download(current_user, kind="unit_summary", target=f"org_unit:{unit.id}",
                    year=year, ip=request.remote_addr, unit=unit.code)
    return _pdf(pdf, summary_filename(unit.name, year),
                ascii_filename(UNIT_SUMMARY, unit.code, year))


def _submit(kind: str):
    """Validate the unit and year, queue the job, and show its progress page."""
    form = BatchForm()
    if not form.validate():
        abort(400, description="; ".join(f"{form[name].label.text}: {errors[0]}"
                                         for name, errors in form.errors.items()))
    unit = _unit(form.unit.data.strip())
    if form.year.data > local_year(utcnow()):
        abort(400, description=_("The year must be between %(low)s and %(high)s.",
                                 low=FIRST_YEAR, high=local_year(utcnow())))
    job = submit_report_job(kind, {"unit": unit.code, "year": form.year.data,
                                   "locale": str(get_locale() or "zh")}, actor=current_user)
    return redirect(url_for("reports.job", job_id=job.id))


@bp.post("/batch")
@roles_required(*HR_ROLES)
@commits
def batch():
    return _submit(BATCH_RECORDS)


@bp.post("/summary")
@roles_required(*HR_ROLES)
@commits
def summary_job():
    return _submit(UNIT_SUMMARY)


def _own_job(job_id: str):
    return find_report_job(job_id, actor=current_user)


@bp.get("/jobs/<job_id>")
@roles_required(*HR_ROLES)
def job(job_id: str):
    job = _own_job(job_id)
    return render_template("records/reports/job.html", job=job, state=job_state(job),
                           unit_names=_job_unit_names([job]),
                           status_names=STATUS_NAMES, kind_names=KIND_NAMES,
                           no_worker=job_waits_for_a_worker(job))


@bp.get("/jobs/<job_id>.json")
@roles_required(*HR_ROLES)
def job_json(job_id: str):
    job = _own_job(job_id)
    state = job_state(job)
    state["no_worker"] = job_waits_for_a_worker(job)
    if job.status is JobStatus.DONE:
        state["download_url"] = url_for("reports.job_download", job_id=job.id)
    return state


@bp.get("/jobs/<job_id>/download")
@roles_required(*HR_ROLES)
@commits
def job_download(job_id: str):
    job = _own_job(job_id)
    if job.status is not JobStatus.DONE:
        return redirect(url_for("reports.job", job_id=job.id))
    record_download(current_user, kind=job.kind, target=f"report_job:{job.id}",
                    year=job.params.get("year"), ip=request.remote_addr,
                    unit=job.params.get("unit"))
    return _pdf(job.content, job.filename, ascii_filename(
        job.kind, str(job.params.get("unit")), job.params.get("year")))
