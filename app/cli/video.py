"""`flask --app wsgi video worker|process-pending|purge-uploads`: lesson video processing.

``worker`` serves the "video" queue on Redis (REDIS_URL); on starting it requeues the
videos a restart left in processing. ``process-pending`` does that on its own: with Redis
it queues them again (unless RQ still holds their job), without it it processes them here,
one after the other (the web app's worker threads died with the process that ran them).
"""

from pathlib import Path

import click
from flask import current_app

from app.domain.vocabulary import VideoStatus
from app.extensions import db
from app.models.types import utcnow
from app.services.core.background import (
    dispatch,
    job_queue,
    rq_job_waiting,
    wait_for_background_jobs,
)
from app.services.core.errors import ServiceError
from app.services.platform.demo.videos import attach_demo_videos, watch_demo_videos
from app.services.video.processing import VIDEO_JOBS, pending_videos, process_lesson_video
from app.services.video.uploads import purge_abandoned_uploads


@click.group("video")
def video_cli():
    """Lesson videos: background processing and unfinished uploads."""


@video_cli.command("process-pending")
def process_pending_command():
    """Queue again (or, without Redis, process here) videos left in processing."""
    click.echo(_process_pending())


def _process_pending() -> str:
    videos = pending_videos()
    ids = [video.id for video in videos]
    if current_app.config.get("REDIS_URL"):
        queued = [i for i in ids if not rq_job_waiting(VIDEO_JOBS, str(i))]
        for video_id in queued:
            dispatch(VIDEO_JOBS, str(video_id))
        return f"{len(queued)} videos queued again ({len(ids) - len(queued)} still queued)."
    db.session.rollback()
    results = []
    with click.progressbar(ids, label="processing") as bar:
        for video_id in bar:
            results.append(process_lesson_video(video_id))
            db.session.commit()
    ready = sum(1 for status in results if status is VideoStatus.READY)
    return f"{len(ids)} videos processed, {ready} ready."


@video_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool):
    """Process the videos queued on Redis (REDIS_URL), one at a time."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: videos are processed in the web "
                                   "app's threads (see `video process-pending`).")
    # deferred: rq and redis load only where jobs go to Redis; the default never needs them
    from rq import SimpleWorker

    click.echo(_process_pending())
    queue = job_queue(VIDEO_JOBS)
    # SimpleWorker runs each job in this process, inside this command's app context.
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


@video_cli.command("demo")
def demo_command():
    """Generate the demo's lecture videos (ffmpeg, espeak-ng), process them, let some demo
    cadres watch them. Idempotent; `make run` runs it; refused under production."""
    try:
        outcome = attach_demo_videos(Path(current_app.instance_path) / "demo-videos")
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    if outcome.missing_tools:
        click.echo("Demo videos not built: " + ", ".join(outcome.missing_tools) + " missing "
                   "(Debian: apt-get install ffmpeg espeak-ng); the lessons stay text only.")
        return
    db.session.commit()  # starts their processing (RQ, or this process's worker thread)
    wait_for_background_jobs(timeout=3600)
    db.session.expire_all()
    sittings = watch_demo_videos()
    db.session.commit()
    ready = sum(1 for video in outcome.attached if video.is_ready)
    click.echo(f"Demo videos: {len(outcome.attached)} attached ({ready} processed; any "
               f"other is left to the video worker), {outcome.already_ready} already there; "
               f"{sittings} demo viewings recorded.")


@video_cli.command("purge-uploads")
def purge_uploads_command():
    """Delete uploads nobody added to for a day, and their partial files."""
    removed = purge_abandoned_uploads(now=utcnow())
    db.session.commit()
    click.echo(f"{removed} unfinished uploads removed.")
