import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import ConfigError, DevelopmentConfig, ProductionConfig, TestingConfig

ROOT = Path(__file__).resolve().parents[1]


def test_production_refuses_the_default_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_a_short_key_and_a_missing_database(monkeypatch):
    config = {"SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        ProductionConfig.validate(config)
    config = {"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": None}
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig.validate(config)


@pytest.mark.parametrize("cert_key", ["", "short", "x" * 40])
def test_production_needs_its_own_certificate_key(cert_key):
    config = {"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
              "CERT_SIGNING_KEY": cert_key}
    with pytest.raises(ConfigError, match="CERT_SIGNING_KEY"):
        ProductionConfig.validate(config)
    config["CERT_SIGNING_KEY"] = "y" * 40
    ProductionConfig.validate(config)


def test_wsgi_exits_with_one_line_under_a_bad_production_config():
    env = {"ACADEMY_ENV": "production", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Configuration error: SECRET_KEY")
    assert "Traceback" not in result.stderr


def test_database_url_overrides_every_config(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite:///default.db"}
    DevelopmentConfig.apply_environment(config)
    assert config["SQLALCHEMY_DATABASE_URI"] == url
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
    TestingConfig.apply_environment(config)
    assert config["SQLALCHEMY_DATABASE_URI"] == url


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'wal.db'}")
    app = create_app(DevelopmentConfig)
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_redis_url_becomes_the_rate_limit_storage(monkeypatch):
    code = ("import config; print(config.Config.RATELIMIT_STORAGE_URI)")
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "redis://127.0.0.1:6379/3"


def test_cookies_are_secure_in_production():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
