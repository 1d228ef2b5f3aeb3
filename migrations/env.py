"""Alembic environment for Flask-Migrate: the app's engine and metadata, batch mode on SQLite."""

import logging
import sys

from alembic import context
from flask import current_app

config = context.config
database = current_app.extensions["migrate"].db
target_metadata = database.metadata


def _options() -> dict:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("compare_type", True)
    options.setdefault("render_as_batch", True)  # SQLite cannot ALTER most things in place
    return options


def run_migrations_offline() -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


class _AppliedMigrations(logging.Filter):
    """Only Alembic's "Running upgrade a -> b, message" lines, not its engine chatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage().startswith("Running ")


def _say_what_is_applied() -> None:
    """`flask db upgrade` names each migration it applies (`make run` then prints the revision)."""
    logger = logging.getLogger("alembic.runtime.migration")
    if not any(isinstance(f, _AppliedMigrations) for h in logger.handlers for f in h.filters):
        handler = logging.StreamHandler(sys.stdout)
        handler.addFilter(_AppliedMigrations())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def run_migrations_online() -> None:
    def skip_empty_autogenerate(context_, revision, directives):
        # `flask db migrate` with no model changes should not write an empty revision.
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []

    with database.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          process_revision_directives=skip_empty_autogenerate, **_options())
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    _say_what_is_applied()
    run_migrations_online()
