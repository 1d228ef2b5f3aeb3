"""Real app processes on loopback ports, and a cookie-keeping HTTP client for them."""

import http.cookiejar
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
_TOKEN = re.compile(r'<input[^>]*name="token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_instance(port: int, env: dict, log: Path) -> subprocess.Popen:
    """gunicorn (one worker) in the checkout, so it reads our gunicorn.conf.py."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
             "tests.instance_app:app"], cwd=ROOT, env=env, stdout=output,
            stderr=subprocess.STDOUT)


def wait_until_serving(base: str, process: subprocess.Popen, log: Path,
                       timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{base} exited:\n{log.read_text(errors='replace')}")
        try:
            if Browser().get(f"{base}/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{base} did not answer within {timeout} s:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer the test looks at, not something to follow


class Browser:
    """Cookies as a browser keeps them: one jar for 127.0.0.1, whatever the port (cookies
    do not tell ports apart), so a session begun on one instance reaches the other."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _KeepRedirects())

    def get(self, url: str, timeout: float = 30) -> tuple[int, str]:
        return self._open(_request(url), timeout)

    def post(self, url: str, fields: dict, file: tuple[str, str, bytes] | None = None
             ) -> tuple[int, str]:
        """POST ``fields`` (and ``file`` as (field, file name, bytes), multipart)."""
        if file is None:
            body = urllib.parse.urlencode(fields).encode()
            kind = "application/x-www-form-urlencoded"
        else:
            body, kind = _multipart(fields, *file)
        return self._open(_request(url, data=body, method="POST",
                                   headers={"Content-Type": kind}))

    def csrf_token(self, url: str) -> str:
        status, page = self.get(url)
        assert status == 200, (url, status)
        return _CSRF.search(page).group(1)

    def sign_in(self, base: str, username: str, password: str) -> None:
        token = self.csrf_token(f"{base}/auth/login")
        status, page = self.post(f"{base}/auth/login", {
            "username": username, "password": password, "csrf_token": token})
        assert status == 302, page

    def _open(self, request, timeout: float = 30) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode("utf-8", "replace")


def _request(url: str, **kwargs) -> urllib.request.Request:
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(f"only the test's own instances: {url}")
    return urllib.request.Request(url, **kwargs)  # noqa: S310 - a loopback http URL


def upload_token(page: str) -> str:
    """The stored upload's token on a preview page's confirmation form."""
    match = _TOKEN.search(page)
    assert match, "no confirmation form on the preview page"
    return match.group(1)


def _multipart(fields: dict, field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
