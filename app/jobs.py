"""Entry points of background jobs (report jobs, video processing), for RQ's worker and
the app's worker threads.

``run_report_job(job_id)`` and ``run_video_processing(video_id)`` run inside the current
app context when there is one (a thread of the app, ``flask --app wsgi reports worker``,
a test), else inside an app built from the environment like wsgi.py's (``rq worker
reports``, whose forked work horse must not share the parent's database connections).
Like a CLI command, each owns its job's transactions. Each report kind's builder lives
here: it asks app.services.records.pdfs for the document, as the web pages and the command
line do; video processing is app.services.video.processing's.
"""

from flask import current_app, has_app_context
from flask_babel import force_locale

from app.domain.vocabulary import JobStatus, VideoStatus
from app.extensions import db
from app.models import ReportJob
from app.models.types import utcnow
from app.services.core.errors import ServiceError
from app.services.records.documents import find_report_unit
from app.services.records.pdfs import build_unit_summary_pdf, open_batch_records
from app.services.records.report_jobs import Builder, JobOutput, write_job_state
from app.services.video.processing import process_lesson_video

FAILED_MESSAGE = "The report could not be built; please try again or ask an administrator."
BATCH_RECORDS = "batch_records"
UNIT_SUMMARY = "unit_summary"


def build_batch_records(params: dict, *, actor, progress) -> JobOutput:
    """One PDF with the training record of every active cadre of a unit's subtree."""
    unit = find_report_unit(str(params.get("unit", "")), actor=actor)
    year, now = int(params["year"]), utcnow()
    batch = open_batch_records(unit, actor=actor, year=year, now=now)
    with force_locale(params.get("locale") or "zh"):
        content = batch.pdf(generated_by=actor.name, progress=progress)
    return JobOutput(filename=batch_filename(unit.name, year), content_type="application/pdf",
                     content=content)


def build_unit_summary_job(params: dict, *, actor, progress) -> JobOutput:
    """The unit summary of a unit too large to draw within a request."""
    unit = find_report_unit(str(params.get("unit", "")), actor=actor)
    year, now = int(params["year"]), utcnow()
    progress(0, 1)
    with force_locale(params.get("locale") or "zh"):
        content = build_unit_summary_pdf(unit, actor=actor, year=year, now=now,
                                         generated_by=actor.name)
    progress(1, 1)
    return JobOutput(filename=summary_filename(unit.name, year),
                     content_type="application/pdf", content=content)


def batch_filename(unit_name: str, year: int) -> str:
    return f"{unit_name}-{year}年干部培训档案.pdf"


def summary_filename(unit_name: str, year: int) -> str:
    return f"{unit_name}-{year}年培训汇总.pdf"


def ascii_filename(kind: str, unit_code: str, year: int) -> str:
    """The plain-ASCII name of a unit document, for clients that ignore ``filename*``."""
    stem = "training-records" if kind == BATCH_RECORDS else "training-summary"
    return f"{stem}-{unit_code}-{year}.pdf"


BUILDERS = {BATCH_RECORDS: build_batch_records, UNIT_SUMMARY: build_unit_summary_job}


def run_report_job(job_id: str):
    """RQ's and the threads' entry point: run the job in an app context."""
    return _in_app_context(lambda: execute_report_job(job_id, BUILDERS))


def run_video_processing(video_id: str):
    """RQ's and the threads' entry point of video processing (app.services.video)."""
    return _in_app_context(lambda: _process_video(int(video_id)))


def _process_video(video_id: int) -> VideoStatus | None:
    """Like a CLI command, the job owns its transaction: the course's new hours commit."""
    try:
        status = process_lesson_video(video_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return status


def _in_app_context(work):
    if has_app_context():
        return work()
    # deferred: a worker process builds the app here; app's factory imports this module
    from app import create_app
    from config import config_from_environment

    with create_app(config_from_environment()).app_context():
        return work()


def execute_report_job(job_id: str, builders: dict[str, Builder]) -> JobStatus | None:
    """Build a queued job's file, recording progress, then the file or why it failed.

    The builder only reads (its transaction is rolled back); the job row is written with
    ``write_job_state``. Returns the final status, None when there was nothing to run
    (an unknown job, or one already started).
    """
    job = db.session.get(ReportJob, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return None
    kind, params, actor = job.kind, dict(job.params), job.requested_by
    write_job_state(job_id, status=JobStatus.RUNNING, started_at=utcnow())
    try:
        builder = builders.get(kind)
        if builder is None:
            raise ServiceError(f"unknown report kind: {kind}")
        output = builder(params, actor=actor, progress=lambda done, total: write_job_state(
            job_id, done=done, total=total))
    except ServiceError as error:
        return _failed(job_id, str(error)[:1000])
    except Exception:  # noqa: BLE001 - the requester gets a message, the log the trace
        current_app.logger.exception("report job %s (%s) failed", job_id, kind)
        return _failed(job_id, FAILED_MESSAGE)
    db.session.rollback()
    write_job_state(job_id, status=JobStatus.DONE, filename=output.filename,
                    content_type=output.content_type, content=output.content,
                    finished_at=utcnow())
    return JobStatus.DONE


def _failed(job_id: str, message: str) -> JobStatus:
    db.session.rollback()
    write_job_state(job_id, status=JobStatus.FAILED, error=message, finished_at=utcnow())
    return JobStatus.FAILED
