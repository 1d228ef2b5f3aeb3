"""With REDIS_URL, separate app processes share one sign-in rate limit."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")

WORKER = """
import os, sys
from app import create_app
from app.extensions import db
from config import TestingConfig

class SharedLimitConfig(TestingConfig):
    RATELIMIT_STORAGE_URI = os.environ["REDIS_URL"]
    RATELIMIT_KEY_PREFIX = os.environ["LIMIT_PREFIX"]
    LOGIN_RATE_LIMIT = "3 per minute"

app = create_app(SharedLimitConfig)
with app.app_context():
    db.create_all()
client = app.test_client()
codes = [client.post("/auth/login", data={"username": "x", "password": "y"}).status_code
         for _ in range(int(sys.argv[1]))]
print(",".join(map(str, codes)))
"""


def _redis_reachable() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason=f"no Redis at {REDIS_URL}")
def test_two_instances_share_the_login_limit():
    env = {**os.environ, "REDIS_URL": REDIS_URL, "LIMIT_PREFIX": f"test-{uuid.uuid4().hex}"}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)

    def run(posts: int) -> str:
        result = subprocess.run([sys.executable, "-c", WORKER, str(posts)], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120, check=True)
        return result.stdout.strip().splitlines()[-1]

    assert run(2) == "200,200"
    assert run(2) == "200,429"  # the second instance sees the first one's attempts
