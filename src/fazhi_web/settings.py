"""Django settings, read from the environment (docs/部署.md lists every variable).

SQLite in var/ by default; PostgreSQL when DATABASE_URL says so. FAZHI_HTTPS=1 for a
deployment behind an HTTPS proxy: secure cookies, HSTS and the redirect to https.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """From the environment, else one generated once per installation."""
    if os.environ.get("FAZHI_SECRET_KEY"):
        return os.environ["FAZHI_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("FAZHI_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("FAZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]

# Behind nginx, which terminates TLS and says so in X-Forwarded-Proto.
HTTPS = os.environ.get("FAZHI_HTTPS", "0") == "1"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # ".example.gov.cn" in ALLOWED_HOSTS means the domain and every subdomain.
    CSRF_TRUSTED_ORIGINS = [
        f"https://*{h}" if h.startswith(".") else f"https://{h}" for h in ALLOWED_HOSTS if h != "*"
    ]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "fazhi_web.audit",
    "fazhi_web.units",
    "fazhi_web.reports",
    "fazhi_web.review",
    "fazhi_web.portal",
    "fazhi_web.stats",
    "fazhi_web.ledgers",
    "fazhi_web.api",
]

MIDDLEWARE = [
    "fazhi_web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi_web.middleware.BusyMiddleware",
    "fazhi_web.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "fazhi_web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fazhi_web.units.context.navigation",
            ]
        },
    }
]
WSGI_APPLICATION = "fazhi_web.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}",
        conn_max_age=int(os.environ.get("FAZHI_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the board be read while an upload is being analysed. Writers take
    # the lock when their transaction begins (IMMEDIATE), so none fails halfway on
    # a lock upgrade, and wait for it up to `timeout` seconds: SQLite's busy handler
    # retries meanwhile. Past that, BusyMiddleware answers 503 "系统繁忙".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("FAZHI_SQLITE_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "portal:index"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns at start when it is missing
# `manage.py collectstatic` writes hashed, compressed copies that WhiteNoise
# serves with far-future cache headers. The tests (conftest) use plain storage.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded reports live outside any served directory and are only handed out
# by views that check permissions.
UPLOAD_ROOT = VAR_DIR / "uploads"
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

NINJA_PAGINATION_PER_PAGE = 100

# Every error with its traceback, to stderr (journald under systemd) and to
# var/log/fazhi.log; each line carries the request id (see middleware.py).
# WatchedFileHandler rather than rotation by size: several gunicorn workers write
# the same file, so logrotate rotates it (docs/部署.md) and each reopens it.
LOG_DIR = Path(os.environ.get("FAZHI_LOG_DIR", VAR_DIR / "log"))
LOG_DIR.mkdir(parents=True, exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "fazhi_web.middleware.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "file": {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": str(LOG_DIR / "fazhi.log"),
            "encoding": "utf-8",
            "delay": True,
            "filters": ["request_id"],
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stderr", "file"], "level": os.environ.get("FAZHI_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's defaults (console only when DEBUG, mail to ADMINS):
        # its warnings and errors go to the handlers above.
        "django": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

# Background work (fazhi_web.celery): on Celery with Redis as the broker when
# FAZHI_BROKER_URL is set, else the same tasks on a thread of the web process.
CELERY_BROKER_URL = os.environ.get("FAZHI_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True  # tasks record their outcome on the objects they work on
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the task on the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long tasks: take one at a time
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
FAZHI_TASKS_EAGER = False  # tests: run tasks at once, inside the caller
# Reports up to this many characters are analysed inside the request when no
# broker is set (a long province report, ~30,000 characters, takes ~0.2 s).
FAZHI_INLINE_ANALYSIS_CHARS = int(os.environ.get("FAZHI_INLINE_ANALYSIS_CHARS", "50000"))
# Longer texts are refused after extraction: ten times a long province report.
FAZHI_MAX_REPORT_CHARS = int(os.environ.get("FAZHI_MAX_REPORT_CHARS", "300000"))
# An analysis queued or running this long without progress counts as stalled (retry allowed).
FAZHI_ANALYSIS_STALE_SECONDS = 600
# The self-check and review pages list at most this many findings.
FAZHI_FINDINGS_SHOWN = 300
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory, for the test database: the real-worker tests start a
    # Celery worker process that must see the same database. One per process,
    # in the temp directory, so concurrent test runs never share one.
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"fazhi-test-{os.getpid()}.sqlite3")
    }
