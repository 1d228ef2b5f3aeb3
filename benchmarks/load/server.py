"""Starting gunicorn on the database under test, and stopping it whatever happens."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def stop_on_termination() -> None:
    """SIGTERM and SIGHUP unwind like Ctrl-C does, so gunicorn is stopped on the way out."""
    def exit_now(signum, frame):
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, exit_now)
    signal.signal(signal.SIGHUP, exit_now)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(base_url: str, process: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} before serving")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {seconds:g} s")


@contextmanager
def gunicorn(database_url: str, *, workers: int, log_path: Path) -> Iterator[str]:
    """gunicorn (sync workers, as the production command in docs/operations.md) on 127.0.0.1;
    yields its base URL and stops it (TERM, then KILL) on the way out, also on Ctrl-C or an
    error."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    # The production config as deployed; only the sign-in limit per address is raised, since
    # every benchmark sign-in comes from 127.0.0.1 (production allows 20 a minute per address).
    environment.update(ACADEMY_ENV="production", DATABASE_URL=database_url,
                       SECRET_KEY=secrets.token_hex(32), CERT_SIGNING_KEY=secrets.token_hex(32),
                       LOGIN_RATE_LIMIT="1000000 per minute")
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--timeout", "120",
               "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT), "wsgi:app"]
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process, 60)
        yield base_url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: the master ends its workers
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the master and its workers
        process.wait(timeout=5)
