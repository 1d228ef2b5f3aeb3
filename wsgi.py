"""WSGI entry point: `flask --app wsgi ...` and `gunicorn wsgi:app`."""

import sys

from app import create_app
from config import ConfigError, config_from_environment

try:
    app = create_app(config_from_environment())
except ConfigError as error:  # one line, not a traceback, for the operator
    sys.exit(f"Configuration error: {error}")
