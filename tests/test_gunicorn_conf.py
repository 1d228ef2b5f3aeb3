"""gunicorn.conf.py gives each instance on a machine a control socket of its own."""

import runpy
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

CONF = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))


def _started(*settings: tuple[str, object]) -> Config:
    cfg = Config()
    for name, value in settings:
        cfg.set(name, value)
    CONF["on_starting"](SimpleNamespace(cfg=cfg))
    return cfg


def test_two_instances_get_two_sockets_beside_gunicorns_default():
    default_dir = Path(Config().control_socket).parent
    first = _started(("bind", ["127.0.0.1:8001"])).control_socket
    second = _started(("bind", ["127.0.0.1:8002", "[::1]:8002"])).control_socket
    assert first == str(default_dir / "academy-127.0.0.1-8001.ctl")
    assert second == str(default_dir / "academy-127.0.0.1-8002.ctl")


def test_a_unix_socket_bind_names_the_control_socket_too():
    path = _started(("bind", ["unix:/run/academy/app-1.sock"])).control_socket
    assert Path(path).name == "academy-run-academy-app-1.sock.ctl"


def test_an_explicit_control_socket_wins():
    cfg = _started(("bind", ["127.0.0.1:8001"]), ("control_socket", "/run/academy/a.ctl"))
    assert cfg.control_socket == "/run/academy/a.ctl"


def test_the_timeout_leaves_room_for_the_longest_request():
    assert CONF["timeout"] == 120
