"""The domain layer stays pure: no Flask, no SQLAlchemy, no services or web imports."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "app" / "domain"
FORBIDDEN = ("flask", "flask_", "sqlalchemy", "app.models", "app.services", "app.web",
             "app.extensions", "werkzeug")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: p.name)
def test_domain_module_is_pure(path):
    bad = [name for name in _imports(path) if name.startswith(FORBIDDEN)]
    assert bad == [], f"{path.name} imports {bad}"
