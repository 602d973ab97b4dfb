"""Django settings, read from the environment (docs/部署.md lists every variable).

SQLite in var/ by default; PostgreSQL when DATABASE_URL says so. FAZHI_HTTPS=1 for a
deployment behind an HTTPS proxy: secure cookies, HSTS and the redirect to https.
docs/安全.md says which setting meets which 等保 control.
"""

from __future__ import annotations

import datetime as dt
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
    "axes",
    "mozilla_django_oidc",
    "fazhi_web.audit",
    "fazhi_web.accounts",
    "fazhi_web.units",
    "fazhi_web.reports",
    "fazhi_web.review",
    "fazhi_web.portal",
    "fazhi_web.stats",
    "fazhi_web.ledgers",
    "fazhi_web.drafting",
    "fazhi_web.enforcement",
    "fazhi_web.followup",
    "fazhi_web.evaluation",
    "fazhi_web.rectification",
    "fazhi_web.disputes",
    "fazhi_web.petitions",
    "fazhi_web.proposals",
    "fazhi_web.study",
    "fazhi_web.api",
    "fazhi_web.backup",
]

MIDDLEWARE = [
    "fazhi_web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "fazhi_web.middleware.ControlCharacterMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "fazhi_web.accounts.middleware.SessionActivityMiddleware",
    "fazhi_web.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fazhi_web.middleware.BusyMiddleware",
    "fazhi_web.middleware.ApiErrorMiddleware",
    # Last, so that it sees the lockout flag the login view's authenticate() set.
    "axes.middleware.AxesMiddleware",
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

# 等保 身份鉴别: at least 12 characters of three of the four classes, not like the
# username, the person's name or their unit's name, and not a common password.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "fazhi_web.accounts.passwords.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "fazhi_web.accounts.passwords.UnitNameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): an account is locked after FAZHI_LOGIN_FAILURES wrong
# passwords in a row, an address (one office behind NAT may share one) after
# FAZHI_LOGIN_ADDRESS_FAILURES, each for FAZHI_LOGIN_LOCKOUT_MINUTES after the last try.
AXES_FAILURE_LIMIT = int(os.environ.get("FAZHI_LOGIN_FAILURES", "5"))
FAZHI_LOGIN_ADDRESS_FAILURES = int(os.environ.get("FAZHI_LOGIN_ADDRESS_FAILURES", "30"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("FAZHI_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "fazhi_web.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "fazhi_web.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "fazhi_web.accounts.lockout.client_ip"
AXES_RESET_ON_SUCCESS = True
# Every failed attempt kept (axes' counters are cleared once a lockout ends).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Masked where axes stores a failed attempt's form: the password change form's fields too.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
    "password2",
    "csrfmiddlewaretoken",
]
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# The addresses nginx connects from; X-Forwarded-For is believed only from them.
FAZHI_TRUSTED_PROXIES = [
    a.strip()
    for a in os.environ.get("FAZHI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",")
    if a.strip()
]

# Sessions end after FAZHI_SESSION_IDLE_MINUTES without a request (the cookie and the
# stored session expire together; accounts.middleware slides both forward) and when
# the browser closes.
FAZHI_SESSION_IDLE_MINUTES = int(os.environ.get("FAZHI_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = FAZHI_SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "fazhi_web.views.csrf_failure"

# Single sign-on through the province's 统一身份认证 (OpenID Connect), beside local
# accounts, when FAZHI_OIDC_CLIENT_ID is set (docs/部署.md).
FAZHI_OIDC_ENABLED = bool(os.environ.get("FAZHI_OIDC_CLIENT_ID"))
FAZHI_OIDC_ISSUER = os.environ.get("FAZHI_OIDC_ISSUER", "").rstrip("/")
if FAZHI_OIDC_ENABLED:
    _issuer = FAZHI_OIDC_ISSUER
    OIDC_RP_CLIENT_ID = os.environ["FAZHI_OIDC_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("FAZHI_OIDC_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("FAZHI_OIDC_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("FAZHI_OIDC_SCOPES", "openid profile")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
        "FAZHI_OIDC_AUTHORIZATION_ENDPOINT", f"{_issuer}/authorize"
    )
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("FAZHI_OIDC_TOKEN_ENDPOINT", f"{_issuer}/token")
    OIDC_OP_USER_ENDPOINT = os.environ.get("FAZHI_OIDC_USERINFO_ENDPOINT", f"{_issuer}/userinfo")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("FAZHI_OIDC_JWKS_ENDPOINT", f"{_issuer}/jwks")
    OIDC_USE_PKCE = True
    # Seconds to wait for the provider: a hung provider must not hold a worker for ever.
    OIDC_TIMEOUT = 10
    AUTHENTICATION_BACKENDS.append("fazhi_web.accounts.oidc.OidcBackend")
# Claims naming the user's unit (its name, or "上级/名称" when names repeat) and role
# (reporter/reviewer/admin or 填报员/审查员/管理员). Without them an administrator
# assigns the unit and role after the first login.
FAZHI_OIDC_UNIT_CLAIM = os.environ.get("FAZHI_OIDC_UNIT_CLAIM", "fazhi_unit")
FAZHI_OIDC_ROLE_CLAIM = os.environ.get("FAZHI_OIDC_ROLE_CLAIM", "fazhi_role")
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
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
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Only this server's own scripts run: no inline script, no eval, no other origin.
# Inline style attributes stay allowed (the report outline indents by depth, ECharts
# writes its tooltips with them); <style> elements do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features the platform never uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

NINJA_PAGINATION_PER_PAGE = 100
# manage.py backup writes JSON Lines that keep timestamps to the microsecond.
SERIALIZATION_MODULES = {"fzjsonl": "fazhi_web.backup.serializer"}

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
        # Every login is an INFO line there; the lockouts (WARNING) are what matters.
        "axes": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}

# The cache: Redis when FAZHI_CACHE_URL is set, which every application server shares;
# else each process's memory. It holds the public comment counts (ledgers.throttle).
if os.environ.get("FAZHI_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["FAZHI_CACHE_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public comments on a decision draft, per network address and per draft (docs/安全.md).
FAZHI_COMMENT_LIMIT = int(os.environ.get("FAZHI_COMMENT_LIMIT", "5"))
FAZHI_COMMENT_WINDOW_MINUTES = int(os.environ.get("FAZHI_COMMENT_WINDOW_MINUTES", "10"))
FAZHI_COMMENT_DAILY_LIMIT = int(os.environ.get("FAZHI_COMMENT_DAILY_LIMIT", "20"))

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
