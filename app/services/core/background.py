"""Background work started by a request once it commits: on RQ when ``REDIS_URL`` is set,
else in worker threads of this process.

A kind of work (report jobs, video processing) is a ``JobKind``: the dotted name of its
entry point (in app.jobs, which builds an app when RQ's work horse has none), its RQ queue
and how many threads run it without Redis. ``start_after_commit(kind, job_id)`` remembers
the id on the session and dispatches it only once the transaction has committed and ended
(a worker must find the rows; a rolled-back request starts nothing).
``after_commit(callback)`` runs any other callable at that moment (deleting a replaced
video's files, say, which must survive a rollback); ``on_rollback(callback)`` runs one if
the transaction rolls back instead (removing files written for rows that never were).
"""

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.pool import StaticPool
from werkzeug.utils import import_string

from app.extensions import db


@dataclass(frozen=True)
class JobKind:
    #: Names the kind in logs and threads ("report", "video").
    name: str
    #: Dotted path of the entry point taking the job id (importable by RQ's worker).
    function: str
    #: The RQ queue's name, unless the config key ``queue_setting`` names another.
    queue: str
    queue_setting: str
    #: RQ kills a job running longer.
    timeout_seconds: int
    #: Threads running this kind in the web process when there is no Redis.
    threads: int = 2
    #: Called with (job_id, error) when the job could not be queued (Redis down).
    on_unqueued: Callable[[str, Exception], None] | None = None


_executors: dict[str, ThreadPoolExecutor] = {}
_executor_lock = threading.Lock()
_futures: list[Future] = []
_shared_connection_lock = threading.Lock()

_PENDING = "background_pending"
_UNDO = "background_undo"
_COMMITTED = "background_committed"
_LISTENING = "background_listening"


def start_after_commit(kind: JobKind, job_id: str) -> None:
    """Dispatch the job once the current transaction has committed (never if it rolls back)."""
    after_commit(lambda: _dispatch_or_report(kind, job_id))


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction has committed and ended."""
    session = db.session()
    session.info.setdefault(_PENDING, []).append(callback)
    _listen(session)


def on_rollback(callback: Callable[[], None]) -> None:
    """Run ``callback`` if the session's transaction rolls back (not if it commits)."""
    session = db.session()
    session.info.setdefault(_UNDO, []).append(callback)
    _listen(session)


def _listen(session) -> None:
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_soft_rollback", _forget_pending)
        event.listen(session, "after_transaction_end", _run_committed)


def _forget_pending(session, previous_transaction) -> None:
    if previous_transaction.nested:  # a savepoint: the transaction itself goes on
        return
    session.info[_PENDING] = []
    undo, session.info[_UNDO] = session.info.get(_UNDO, []), []
    for callback in undo:
        callback()


def _committed(session) -> None:
    session.info[_COMMITTED] = session.info.get(_COMMITTED, []) + session.info.get(_PENDING, [])
    session.info[_PENDING] = []
    session.info[_UNDO] = []


def _run_committed(session, transaction) -> None:
    """Once the transaction has ended and given its connection back (an in-memory SQLite
    database has only that one connection for every thread)."""
    if transaction.parent is not None:
        return
    callbacks, session.info[_COMMITTED] = session.info.get(_COMMITTED, []), []
    for callback in callbacks:
        callback()


def _dispatch_or_report(kind: JobKind, job_id: str) -> None:
    try:
        dispatch(kind, job_id)
    except Exception as error:  # noqa: BLE001 - Redis down: the job fails, the request does not
        current_app.logger.exception("%s job %s could not be queued", kind.name, job_id)
        if kind.on_unqueued is not None:
            kind.on_unqueued(job_id, error)


def dispatch(kind: JobKind, job_id: str) -> None:
    """Run the job now: queued on RQ when REDIS_URL is set, else on a thread of this app."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        job_queue(kind, app).enqueue(
            kind.function, job_id, job_id=f"{kind.name}-{job_id}",
            job_timeout=kind.timeout_seconds, result_ttl=3600, failure_ttl=86400)
    else:
        _futures.append(_thread_pool(kind).submit(_run_in_thread, app, kind, job_id))


def job_queue(kind: JobKind, app: Flask | None = None, **redis_options):
    """The RQ queue of this kind of job on REDIS_URL (the app's, else the current one's)."""
    # deferred: rq and redis load only where jobs go to Redis; the default never needs them
    from redis import Redis
    from rq import Queue

    config = (app or current_app).config
    return Queue(config.get(kind.queue_setting, kind.queue),
                 connection=Redis.from_url(config["REDIS_URL"], **redis_options))


def rq_job_waiting(kind: JobKind, job_id: str) -> bool:
    """True when RQ holds this job queued or running (so queueing it again would run it
    twice); False without Redis or when RQ no longer knows the job."""
    if not current_app.config.get("REDIS_URL"):
        return False
    # deferred: as above, rq loads only where jobs go to Redis
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    queue = job_queue(kind)
    try:
        job = Job.fetch(f"{kind.name}-{job_id}", connection=queue.connection)
    except NoSuchJobError:
        return False
    return job.get_status(refresh=True) in ("queued", "started", "deferred", "scheduled")


def workers_listening(kind: JobKind) -> int | None:
    """How many RQ workers listen on the kind's queue now; None when REDIS_URL is unset
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
        queue = job_queue(kind, socket_connect_timeout=1, socket_timeout=1)
        return len(Worker.all(queue=queue))
    except RedisError:
        current_app.logger.warning("the %s queue's worker registry is not reachable",
                                   kind.name)
        return 0


def _thread_pool(kind: JobKind) -> ThreadPoolExecutor:
    with _executor_lock:
        if kind.name not in _executors:
            _executors[kind.name] = ThreadPoolExecutor(
                max_workers=kind.threads, thread_name_prefix=f"{kind.name}-job")
        return _executors[kind.name]


def _run_in_thread(app: Flask, kind: JobKind, job_id: str) -> None:
    with app.app_context():  # its own app context, so its own session
        # An in-memory SQLite database is ONE connection shared by every thread (tests):
        # two jobs at once would interleave their transactions on it, so they take turns.
        shared = isinstance(db.engine.pool, StaticPool)
        with _shared_connection_lock if shared else nullcontext():
            import_string(kind.function)(job_id)


def wait_for_background_jobs(timeout: float = 60) -> None:
    """Block until the threads' jobs are finished (tests, the CLI, shutdown)."""
    running = [f for f in _futures if not f.done()]
    wait(running, timeout=timeout)
    _futures[:] = [f for f in _futures if not f.done()]
