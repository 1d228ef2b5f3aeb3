"""Background report jobs: submitted by a request, run elsewhere, polled, downloaded.

A job is a ReportJob row (a random id, what to build, progress, the finished file in the
database so any machine can serve it). ``submit_report_job`` adds the row and starts the
work only once the request has committed it (a worker must find the row; a rolled-back
request starts nothing): on RQ when ``REDIS_URL`` is set (``flask --app wsgi reports
worker`` or ``rq worker`` runs app.jobs.run_report_job), else in one of two worker
threads of this process. Either runs app.jobs.run_report_job, which owns the job's
transactions: progress is written through a short session of its own
(``write_job_state``), so committing it never expires what the builder is reading.
"""

import secrets
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool
from werkzeug.utils import import_string

from app.domain.vocabulary import JobStatus
from app.extensions import db
from app.models import ReportJob, User
from app.models.types import utcnow
from app.services.core.errors import NotFound

JOB_FUNCTION = "app.jobs.run_report_job"
QUEUE_NAME = "reports"
#: Generous for a city-wide batch; RQ kills a job running longer.
JOB_TIMEOUT_SECONDS = 3 * 3600
UNQUEUED_MESSAGE = "The job queue is not reachable; please try again later."

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_futures: list[Future] = []
_shared_connection_lock = threading.Lock()


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
    _start_after_commit(job.id)
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


# --- dispatching -------------------------------------------------------------------------

def _start_after_commit(job_id: str) -> None:
    session = db.session()
    pending = session.info.setdefault("report_jobs", [])
    pending.append(job_id)
    if not session.info.get("report_jobs_listening"):
        session.info["report_jobs_listening"] = True
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_soft_rollback", _forget_pending)
        event.listen(session, "after_transaction_end", _dispatch_committed)


def _forget_pending(session, _previous_transaction) -> None:
    session.info["report_jobs"] = []


def _committed(session) -> None:
    session.info["report_jobs_committed"] = session.info.get("report_jobs", [])
    session.info["report_jobs"] = []


def _dispatch_committed(session, transaction) -> None:
    """Start committed jobs once the transaction has ended and given its connection back
    (an in-memory SQLite database has only that one connection for every thread)."""
    if transaction.parent is not None:
        return
    pending, session.info["report_jobs_committed"] = (
        session.info.get("report_jobs_committed", []), [])
    for job_id in pending:
        try:
            dispatch_report_job(job_id)
        except Exception:  # noqa: BLE001 - Redis down: the job fails, the request does not
            current_app.logger.exception("report job %s could not be queued", job_id)
            write_job_state(job_id, status=JobStatus.FAILED, error=UNQUEUED_MESSAGE,
                            finished_at=utcnow())


def dispatch_report_job(job_id: str) -> None:
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        _enqueue_on_rq(app, job_id)
    else:
        _futures.append(_thread_pool().submit(_run_in_thread, app, job_id))


def report_queue(app: Flask | None = None, **redis_options):
    """The RQ queue of report jobs on REDIS_URL (the app's, else the current one's)."""
    # deferred: rq and redis load only where jobs go to Redis; the default never needs them
    from redis import Redis
    from rq import Queue

    config = (app or current_app).config
    return Queue(config.get("REPORT_QUEUE", QUEUE_NAME),
                 connection=Redis.from_url(config["REDIS_URL"], **redis_options))


def report_workers_listening() -> int | None:
    """How many RQ workers listen on the report queue now; None when REDIS_URL is unset
    (jobs then run in this app's threads, so there is always someone to run them).

    Read from RQ's worker registry, whose entries outlive a killed worker until its
    heartbeat key expires (``Worker.all`` drops those); an unreachable Redis counts as none.
    """
    if not current_app.config.get("REDIS_URL"):
        return None
    # deferred: rq and redis load only where jobs go to Redis (as above)
    from redis.exceptions import RedisError
    from rq import Worker

    try:
        queue = report_queue(socket_connect_timeout=1, socket_timeout=1)
        return len(Worker.all(queue=queue))
    except RedisError:
        current_app.logger.warning("the report queue's worker registry is not reachable")
        return 0


def job_waits_for_a_worker(job: ReportJob) -> bool:
    """True when the job is queued or running on RQ but no worker listens on its queue:
    it will not move until someone starts ``flask --app wsgi reports worker``."""
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    return report_workers_listening() == 0


def _enqueue_on_rq(app: Flask, job_id: str) -> None:
    queue = report_queue(app)
    queue.enqueue(JOB_FUNCTION, job_id, job_id=f"report-{job_id}",
                  job_timeout=JOB_TIMEOUT_SECONDS, result_ttl=3600, failure_ttl=86400)


def _thread_pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="report-job")
        return _executor


def _run_in_thread(app: Flask, job_id: str) -> None:
    with app.app_context():  # its own app context, so its own session
        # An in-memory SQLite database is ONE connection shared by every thread (tests):
        # two jobs at once would interleave their transactions on it, so they take turns.
        shared = isinstance(db.engine.pool, StaticPool)
        with _shared_connection_lock if shared else nullcontext():
            import_string(JOB_FUNCTION)(job_id)


def wait_for_report_jobs(timeout: float = 60) -> None:
    """Block until the thread pool's jobs are finished (tests, the CLI, shutdown)."""
    running = [f for f in _futures if not f.done()]
    wait(running, timeout=timeout)
    _futures[:] = [f for f in _futures if not f.done()]


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
