"""Configuration classes. The environment overrides what a deployment must set.

`DATABASE_URL`, when set, replaces the database of every config so a checker
can point the app at any file or server.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - the value production refuses


class ConfigError(RuntimeError):
    """The configuration cannot run: the message is one line saying why."""


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ConfigError(f"{name} must be a whole number, not {value!r}")
    return int(value)


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    CERT_SIGNING_KEY = os.environ.get("CERT_SIGNING_KEY", "")
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{BASE_DIR / 'instance' / 'academy.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: A signed-in session lasts this long from signing in, so a cadre who closes the
    #: browser at noon is still signed in in the afternoon; it ends overnight.
    PERMANENT_SESSION_LIFETIME = 12 * 3600
    #: The cookie's expiry is set at sign-in, not re-signed on every response (a page view
    #: then sends no Set-Cookie); 12 hours from signing in covers the working day.
    SESSION_REFRESH_EACH_REQUEST = False
    #: A session unused this long ends (the user signs in again). Requests renew the
    #: last-activity stamp in the cookie at most once a minute (app.web.sessions); an open
    #: quiz or exercise page keeps itself alive with a heartbeat.
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    #: Strict-Transport-Security max-age in seconds (0: not sent; production sends a year).
    HSTS_SECONDS = 0
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    # Sign-in protection: per sign-in name (any address), after LOGIN_FREE_FAILURES failures
    # each further attempt waits a delay doubling from the first to the maximum (nobody is
    # locked out); plus a per-address rate limit.
    LOGIN_FREE_FAILURES = 5
    LOGIN_FIRST_DELAY_SECONDS = 60
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")  # per client address
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    #: A one-time password (roster import, admin reset) works for this many days; after that
    #: an administrator must reset it again.
    ONE_TIME_PASSWORD_DAYS = _env_int("ONE_TIME_PASSWORD_DAYS", 14)

    # Argon2id at OWASP's interactive-login guidance (m=19 MiB, t=2, p=1): about 20 ms of one
    # core per sign-in here, so two cores verify ~100 a second at the morning peak (m=64 MiB,
    # t=3, p=4 cost 155 ms and capped sign-ins at 7.7/s). Hashes made with other parameters
    # are rehashed at the owner's next sign-in.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1

    #: Reverse proxies in front of the app (nginx: 1). Their X-Forwarded-For/-Proto are
    #: trusted that many hops deep, so rate limits and the audit log see the real client;
    #: 0 trusts none (a client could otherwise forge its address).
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # Language and time.
    LANGUAGES = ("zh", "en")
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")

    # Bootstrap from the installed Bootstrap-Flask wheel, never a CDN.
    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BOOTSWATCH_THEME = None

    #: The shipped curriculum that `seed-demo` imports.
    COURSES_DIR = BASE_DIR / "courses"

    # Assessment: a submit or save up to this many seconds after the deadline still counts
    # (network latency); the CSRF token lives as long as the session, so a quiz longer than
    # an hour still submits (Flask-WTF's default would expire it after 3600 s).
    ATTEMPT_GRACE_SECONDS = 30
    WTF_CSRF_TIME_LIMIT = None

    # Certificates. The verification code is an HMAC of the serial under CERT_SIGNING_KEY,
    # a key apart from SECRET_KEY (rotating the session key must not void certificates).
    # Outside production an unset key falls back to a fixed development key.
    CERT_ISSUER = os.environ.get("CERT_ISSUER", "中共重庆市委党校 · 重庆市大数据应用发展管理局")
    #: Where the public verification page lives, for the QR code printed on certificates
    #: (a PDF built by the CLI has no request to take the host from).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    VERIFY_RATE_LIMIT = "30 per minute"

    # Documents: a TrueType CJK font to embed in PDFs (found among Debian's fonts otherwise;
    # ReportLab's non-embedded STSong-Light is the last resort).
    CJK_FONT_PATH = os.environ.get("CJK_FONT_PATH", "")
    #: Background report jobs go to RQ on this Redis when set, else to a thread of the app.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    #: A unit summary for more active cadres than this is built as a background job: drawing
    #: 20,000 cadres' compliance rows takes longer than a request may (benchmarks/hr_reports.py).
    REPORT_SYNC_CADRES = 10_000

    #: HR dashboards read the per-unit rollups when their last refresh (flask hr-rollups
    #: refresh, run every few minutes) is at most this old; otherwise they compute live.
    ROLLUP_MAX_AGE_SECONDS = _env_int("ROLLUP_MAX_AGE_SECONDS", 900)

    # Administration.
    ROSTER_MAX_BYTES = 10 * 1024 * 1024
    #: New accounts one web confirmation may create, so the request ends within the server's
    #: timeout (see benchmarks/roster_import.py); larger files go through `flask roster import`.
    ROSTER_WEB_MAX_NEW_ACCOUNTS = 50_000
    BACKUP_DIR = BASE_DIR / "instance" / "backups"

    # Video lessons (docs/video.md). Files live here, not in the database; several app
    # servers must share the folder (a network mount).
    VIDEO_DIR = Path(os.environ.get("VIDEO_DIR") or BASE_DIR / "instance" / "video")
    VIDEO_MAX_BYTES = _env_int("VIDEO_MAX_BYTES", 2 * 1024**3)
    #: Longer videos are refused (a lecture is minutes, not a day of footage).
    VIDEO_MAX_SECONDS = _env_int("VIDEO_MAX_SECONDS", 4 * 3600)
    #: Chunks of a resumable upload (each request's body stays under MAX_CONTENT_LENGTH).
    VIDEO_CHUNK_BYTES = 8 * 1024 * 1024
    #: Most media time credited per second of wall clock (a player's fastest allowed rate).
    VIDEO_MAX_RATE = 1.25
    #: A presence check (防挂机) comes at a random moment within this many minutes of
    #: playing after the last one, and must be answered within VIDEO_PRESENCE_ANSWER_SECONDS.
    VIDEO_PRESENCE_MINUTES = (10, 20)
    VIDEO_PRESENCE_ANSWER_SECONDS = 60
    #: The player reports what it played this often.
    VIDEO_REPORT_SECONDS = 15
    #: Set to the URL prefix of an nginx `internal` location serving VIDEO_DIR (e.g.
    #: "/protected-video/") to hand the bytes to nginx with X-Accel-Redirect.
    VIDEO_ACCEL_REDIRECT = os.environ.get("VIDEO_ACCEL_REDIRECT", "")
    #: Tests only: the watch-time clock runs this many times faster than the wall clock,
    #: so a browser test can watch a long video quickly. Production refuses anything but 1.
    VIDEO_CLOCK_FACTOR = 1.0

    #: The largest proof (PDF or image) a cadre may attach to a claim of hours earned
    #: elsewhere (docs/classes.md); a larger request is refused before it is read. Keep it
    #: below MAX_CONTENT_LENGTH.
    HOURS_CLAIM_PROOF_MAX_BYTES = _env_int("HOURS_CLAIM_PROOF_MAX_BYTES", 10 * 1024 * 1024)

    PAGE_SIZE = 50
    DEMO_ALLOWED = True

    @classmethod
    def apply_environment(cls, config: dict) -> None:
        url = os.environ.get("DATABASE_URL")
        if url:
            config["SQLALCHEMY_DATABASE_URI"] = url

    @classmethod
    def validate(cls, config: dict) -> None:
        """Raise ConfigError when this configuration must not run."""


class DevelopmentConfig(Config):
    DEBUG = False  # `make run` serves without the debugger; set FLASK_DEBUG=1 to opt in


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False  # tests that need CSRF switch it on for themselves
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "1000 per minute"  # the rate-limit test lowers it
    # Cheap but still argon2id: tests hash hundreds of passwords.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    SERVER_NAME = None

    @classmethod
    def apply_environment(cls, config: dict) -> None:
        url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
        if url:
            config["SQLALCHEMY_DATABASE_URI"] = url
        if config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
            # One shared in-memory database for every connection and thread of the app.
            from sqlalchemy.pool import StaticPool

            config["SQLALCHEMY_ENGINE_OPTIONS"] = {
                "poolclass": StaticPool,
                "connect_args": {"check_same_thread": False},
            }


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    #: The __Host- prefix makes browsers accept the cookie only from this host over HTTPS,
    #: with Path=/ and no Domain, so no sibling subdomain can set or overwrite it.
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    HSTS_SECONDS = 365 * 24 * 3600
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    DEMO_ALLOWED = False
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    @classmethod
    def validate(cls, config: dict) -> None:
        key = config.get("SECRET_KEY") or ""
        if key in ("", DEFAULT_SECRET_KEY) or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise ConfigError("DATABASE_URL must be set in production")
        if config.get("VIDEO_CLOCK_FACTOR", 1.0) != 1.0:
            raise ConfigError("VIDEO_CLOCK_FACTOR is for tests; production runs at 1")
        cert_key = config.get("CERT_SIGNING_KEY") or ""
        if len(cert_key) < 32 or cert_key == key:
            raise ConfigError(
                "CERT_SIGNING_KEY must be set in production to a random value of at least "
                "32 characters, different from SECRET_KEY")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_environment() -> type[Config]:
    """The config class named by ACADEMY_ENV (development when unset)."""
    name = os.environ.get("ACADEMY_ENV", "development")
    if name not in CONFIGS:
        raise ConfigError(f"ACADEMY_ENV must be one of {', '.join(CONFIGS)}, not {name!r}")
    return CONFIGS[name]
