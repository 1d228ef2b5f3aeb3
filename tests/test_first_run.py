"""Finding 21 of issue #17: the first `make run` on any port, a favicon, a talkative upgrade."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("args", "base_url"), [
    (["PORT=5123"], "http://127.0.0.1:5123"),
    (["PORT=5123", "PUBLIC_BASE_URL=https://academy.example.cn"], "https://academy.example.cn"),
])
def test_finding_21_make_run_serves_on_PORT_and_links_follow_it(args, base_url):
    environment = {k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}
    plan = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, check=True).stdout
    serve = next(line for line in plan.splitlines() if " run --host" in line)
    assert serve.startswith(f"PUBLIC_BASE_URL={base_url} ")
    assert serve.endswith("--port 5123")


def test_finding_21_db_upgrade_names_each_migration_it_applies(tmp_path):
    environment = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}",
                       ACADEMY_ENV="development")
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "db"]
    first = subprocess.run([*flask, "upgrade"], cwd=ROOT, env=environment,
                           capture_output=True, text=True, check=True).stdout
    migrations = sorted(p for p in (ROOT / "migrations" / "versions").glob("*.py"))
    assert first.count("Running upgrade") == len(migrations)
    assert "Context impl" not in first  # Alembic's engine chatter stays out
    again = subprocess.run([*flask, "upgrade"], cwd=ROOT, env=environment,
                           capture_output=True, text=True, check=True).stdout
    assert "Running upgrade" not in again


def test_finding_21_pages_have_a_favicon(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy.location.endswith("/static/favicon.svg")
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
