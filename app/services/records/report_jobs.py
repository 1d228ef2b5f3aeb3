"""Background report jobs: submitted by a request, run elsewhere, polled, downloaded.

A job is a ReportJob row (a random id, what to build, progress, the finished file in the
database so any machine can serve it). ``submit_report_job`` adds the row and starts the
work only once the request has committed it (a worker must find the row; a rolled-back
request starts nothing): on RQ when ``REDIS_URL`` is set (``flask --app wsgi reports
worker`` or ``rq worker`` runs app.jobs.run_report_job), else in one of two worker
threads of this process (app.services.core.background dispatches). Either runs
app.jobs.run_report_job, which owns the job's transactions: progress is written through
a short session of its own (``write_job_state``), so committing it never expires what
the builder is reading.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.domain.vocabulary import JobStatus
from app.extensions import db
from app.models import ReportJob, User
from app.models.types import utcnow
from app.services.core.background import (
    JobKind,
    dispatch,
    job_queue,
    start_after_commit,
    wait_for_background_jobs,
    workers_listening,
)
from app.services.core.errors import NotFound

JOB_FUNCTION = "app.jobs.run_report_job"
QUEUE_NAME = "reports"
#: Generous for a city-wide batch; RQ kills a job running longer.
JOB_TIMEOUT_SECONDS = 3 * 3600
UNQUEUED_MESSAGE = "The job queue is not reachable; please try again later."


@dataclass(frozen=True)
class JobOutput:
    filename: str
    content_type: str
    content: bytes


#: Builder of a job kind: (params, actor, progress(done, total)) -> JobOutput.
Builder = Callable[..., JobOutput]


def submit_report_job(kind: str, params: dict, *, actor: User) -> ReportJob:
    """Queue a job for the actor; it starts when the caller's transaction commits."""
    job = ReportJob(id=secrets.token_hex(16), kind=kind, params=dict(params),
                    requested_by_id=actor.id, status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    start_after_commit(REPORT_JOBS, job.id)
    return job


def find_report_job(job_id: str, *, actor: User) -> ReportJob:
    """The actor's own job; anyone else's is as good as missing (NotFound, a 404)."""
    job = db.session.get(ReportJob, job_id) if len(job_id) <= 32 else None
    if job is None or job.requested_by_id != actor.id:
        raise NotFound(job_id)
    return job


def job_state(job: ReportJob) -> dict:
    """What the progress page polls for."""
    percent = 100 if job.status is JobStatus.DONE else (
        int(job.done * 100 / job.total) if job.total else 0)
    return {"id": job.id, "status": job.status.value, "done": job.done, "total": job.total,
            "percent": percent, "error": job.error}


# --- dispatching (app.services.core.background) ------------------------------------------

def _unqueued(job_id: str, _error: Exception) -> None:
    write_job_state(job_id, status=JobStatus.FAILED, error=UNQUEUED_MESSAGE,
                    finished_at=utcnow())


REPORT_JOBS = JobKind(name="report", function=JOB_FUNCTION, queue=QUEUE_NAME,
                      queue_setting="REPORT_QUEUE", timeout_seconds=JOB_TIMEOUT_SECONDS,
                      threads=2, on_unqueued=_unqueued)


def dispatch_report_job(job_id: str) -> None:
    dispatch(REPORT_JOBS, job_id)


def report_queue(app: Flask | None = None, **redis_options):
    """The RQ queue of report jobs on REDIS_URL (the app's, else the current one's)."""
    return job_queue(REPORT_JOBS, app, **redis_options)


def report_workers_listening() -> int | None:
    """How many RQ workers listen on the report queue now; None when REDIS_URL is unset
    (see app.services.core.background.workers_listening)."""
    return workers_listening(REPORT_JOBS)


def job_waits_for_a_worker(job: ReportJob) -> bool:
    """True when the job is queued or running on RQ but no worker listens on its queue:
    it will not move until someone starts ``flask --app wsgi reports worker``."""
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    return report_workers_listening() == 0


def wait_for_report_jobs(timeout: float = 60) -> None:
    """Block until the worker threads' jobs are finished (tests, the CLI, shutdown)."""
    wait_for_background_jobs(timeout)


# --- job state, written while the job runs ----------------------------------------------

def write_job_state(job_id: str, **values) -> None:
    """Update the job row in a short transaction of its own, committed at once.

    The one commit outside a front door's own: progress must reach the polling page while
    the job's long read goes on, and a job that could not be queued must say so although
    the request that submitted it has already committed.
    """
    with Session(db.engine) as session:
        session.execute(update(ReportJob).where(ReportJob.id == job_id).values(**values))
        session.commit()


def list_report_jobs(*, actor: User, limit: int = 10) -> list[ReportJob]:
    """The actor's latest jobs, newest first (one query; the files stay unloaded)."""
    return list(db.session.scalars(
        select(ReportJob).where(ReportJob.requested_by_id == actor.id)
        .order_by(ReportJob.created_at.desc()).limit(limit)))


def purge_report_jobs(*, older_than_days: int, now) -> int:
    """Delete finished or failed jobs (and their files) created before the cut-off."""
    cutoff = now - timedelta(days=older_than_days)
    result = db.session.execute(
        delete(ReportJob).where(ReportJob.created_at < cutoff,
                                ReportJob.status.in_((JobStatus.DONE, JobStatus.FAILED)))
        .execution_options(synchronize_session=False))
    return result.rowcount or 0
