"""The layer rules (DESIGN.md §3), checked over the whole source tree.

Each test lists every offence as ``path:line: what is wrong``. The second half proves the
checks can fail: each is run on a scratch tree holding one forbidden import.
"""

from pathlib import Path

import pytest

from tests.architecture import (
    deferred_import_offences,
    feature_cycles,
    layer_offences,
    request_state_offences,
)

ROOT = Path(__file__).resolve().parent.parent


def _report(offences: list[str]) -> str:
    return "\n".join(["", *offences])


def test_each_layer_imports_only_what_it_may():
    """domain: no Flask, SQLAlchemy, models, services or web; services: no web; models: no
    services or web; reports: no web, services or models."""
    offences = layer_offences(ROOT)
    assert not offences, _report(offences)


def test_services_read_no_request_state():
    offences = request_state_offences(ROOT)
    assert not offences, _report(offences)


@pytest.mark.parametrize("layer", ["app/services", "app/web"])
def test_feature_packages_import_each_other_in_one_direction(layer):
    cycles = feature_cycles(ROOT, layer)
    assert not cycles, _report(cycles)


def test_imports_sit_at_the_top_unless_a_comment_says_why():
    offences = deferred_import_offences(ROOT)
    assert not offences, _report(offences)


# The checks themselves, on a scratch tree with one offence each.

def _scratch(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("path", "line", "expected"), [
    ("app/domain/rules.py", "from sqlalchemy import select", "app/domain imports sqlalchemy"),
    ("app/domain/rules.py", "import flask", "app/domain imports flask"),
    ("app/domain/rules.py", "from app import models", "app/domain imports app.models"),
    ("app/services/x/a.py", "from app.web.guards import public", "app/services imports app.web"),
    ("app/models/m.py", "from app.services.core import errors", "app/models imports app.services"),
    ("app/reports/doc.py", "from app.models import User", "app/reports imports app.models"),
    ("app/reports/doc.py", "from ..web import labels", "app/reports imports app.web"),
])
def test_a_forbidden_import_is_reported_with_its_line(tmp_path, path, line, expected):
    root = _scratch(tmp_path, {path: f'"""Scratch."""\n\n{line}\n'})
    assert layer_offences(root) == [f"{path}:3: {expected}"]


def test_a_service_reading_the_request_is_reported(tmp_path):
    root = _scratch(tmp_path, {"app/services/x/a.py": "from flask import current_app, request\n"})
    assert request_state_offences(root) == [
        "app/services/x/a.py:1: a service reads request (take the acting user and values as"
        " arguments)"]


def test_a_cycle_between_feature_packages_is_reported(tmp_path):
    root = _scratch(tmp_path, {
        "app/services/a/one.py": "from app.services.b.two import f\n",
        "app/services/b/two.py": "import os\n\n\ndef f():\n    from app.services.a import one\n",
        "app/services/c/three.py": "from app.services.a.one import f\n",
    })
    assert feature_cycles(root, "app/services") == [
        "a (app/services/a/one.py:1) -> b (app/services/b/two.py:5) -> a"]


def test_an_unexplained_import_in_a_function_is_reported(tmp_path):
    root = _scratch(tmp_path, {"app/cli/x.py": (
        "def explained():\n"
        "    # deferred: the command needs the app's config first\n"
        "    import json\n"
        "\n"
        "\n"
        "def unexplained():\n"
        "    import csv\n")})
    assert deferred_import_offences(root) == [
        "app/cli/x.py:7: import inside a function without a comment saying why"]


def test_one_comment_explains_a_block_of_imports_but_a_pragma_explains_nothing(tmp_path):
    root = _scratch(tmp_path, {"app/factory.py": (
        "def create():\n"
        "    # deferred: blueprints import the models, which need the app's config\n"
        "    from app.web import a\n"
        "    from app.web import b\n"
        "    a.run()\n"
        "    from app.web import c  # noqa: F401\n")})
    assert deferred_import_offences(root) == [
        "app/factory.py:6: import inside a function without a comment saying why"]
