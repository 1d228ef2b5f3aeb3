"""The app as the load benchmark serves it: the production config, sign-in limit raised.

`gunicorn benchmarks.load.bench_wsgi:app` with SECRET_KEY, CERT_SIGNING_KEY and
DATABASE_URL set. Only LOGIN_RATE_LIMIT differs from ProductionConfig: the benchmark signs
in hundreds of times a second from one address, which production's 20 a minute per IP
would refuse. config.py reads no environment variable for it, and production's default
must not be weakened for a benchmark, hence this subclass.
"""

import sys

from app import create_app
from config import ConfigError, ProductionConfig


class LoadBenchmarkConfig(ProductionConfig):
    LOGIN_RATE_LIMIT = "1000000 per minute"


try:
    app = create_app(LoadBenchmarkConfig)
except ConfigError as error:
    sys.exit(f"Configuration error: {error}")
