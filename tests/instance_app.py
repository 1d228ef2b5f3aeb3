"""The app as one of several instances started by tests/web/test_two_instances.py.

The testing config (cheap password hashing, the database from TEST_DATABASE_URL) with what
the instances of a deployment share switched on as in production: CSRF tokens on every
POST, and Redis for rate limits and report jobs when REDIS_URL is given (under a key prefix
and queue of the test's own, since other people's tests may use the same Redis). Each
instance gets an instance folder of its own (INSTANCE_PATH), as on separate machines: two
processes of one checkout would otherwise share ``instance/`` and hide local state.
"""

import os

from app import create_app
from config import TestingConfig


class InstanceConfig(TestingConfig):
    WTF_CSRF_ENABLED = True
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_KEY_PREFIX = os.environ.get("LIMIT_PREFIX", "")
    REPORT_QUEUE = os.environ.get("REPORT_QUEUE", "reports")


app = create_app(InstanceConfig)
app.instance_path = os.environ["INSTANCE_PATH"]
