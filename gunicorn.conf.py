"""gunicorn's settings for the academy. gunicorn reads ./gunicorn.conf.py from the directory
it starts in (start it in the checkout); options on its command line override these.

Several instances may run on one machine behind nginx, one per port. gunicorn 27 opens a
control socket for ``gunicornc`` at one path per user (``$XDG_RUNTIME_DIR/gunicorn.ctl`` or
``~/.gunicorn/gunicorn.ctl``), so a second instance would take the first one's. Here each
instance's socket is named after its first bind address instead, in the same directory:
``~/.gunicorn/academy-127.0.0.1-8001.ctl`` for ``--bind 127.0.0.1:8001``. An explicit
``--control-socket PATH`` wins.
"""

import os
import re

#: The longest request, a 50,000-account roster confirmation, takes about 31 s on
#: PostgreSQL on two cores (docs/operations.md); leave room for it.
timeout = 120


def control_socket_for(bind: str, directory: str) -> str:
    """The control socket of the instance bound first to ``bind`` (host:port or unix:path)."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", bind.removeprefix("unix:")).strip("-.")
    return os.path.join(directory, f"academy-{name or 'default'}.ctl")


def on_starting(server):
    """Give this instance a control socket of its own, unless one was named."""
    cfg = server.cfg
    default = cfg.settings["control_socket"].default
    if cfg.control_socket == default and cfg.bind:
        cfg.set("control_socket", control_socket_for(cfg.bind[0], os.path.dirname(default)))
