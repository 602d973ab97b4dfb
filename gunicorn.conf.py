"""gunicorn settings for `make run` and for production (docs/部署.md).

    .venv/bin/gunicorn -c gunicorn.conf.py

FAZHI_BIND (default 127.0.0.1) and FAZHI_PORT (default 8000) say where to listen;
FAZHI_WORKERS how many worker processes (default 2 × cores + 1, at most 12);
FAZHI_TIMEOUT how long one request may take before its worker is restarted.
Logs go to stderr/stdout (journald under systemd) and to var/log/.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

_var = Path(os.environ.get("FAZHI_VAR_DIR", Path(__file__).resolve().parent / "var"))
_log_dir = Path(os.environ.get("FAZHI_LOG_DIR", _var / "log"))
_log_dir.mkdir(parents=True, exist_ok=True)

wsgi_app = "fazhi_web.wsgi:application"
bind = [f"{os.environ.get('FAZHI_BIND', '127.0.0.1')}:{os.environ.get('FAZHI_PORT', '8000')}"]
# Sync workers: an upload's analysis is CPU work, and each worker does one at a time.
workers = int(os.environ.get("FAZHI_WORKERS") or min(2 * multiprocessing.cpu_count() + 1, 12))
# Deadline day: connections wait in the kernel's queue rather than being refused.
backlog = 2048
# A large PDF is analysed within the request; far more than that is a hung worker.
timeout = int(os.environ.get("FAZHI_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so that memory held after big analyses returns.
max_requests = 2000
max_requests_jitter = 200
# Django is loaded once, before the workers fork: they start at once and share memory.
# Code changes need a restart (systemctl restart), not a reload.
preload_app = True
# gunicorn 27's control socket is one per user by default, which several app servers
# on one machine would share; nothing here uses it.
control_socket_disable = True
# nginx on the same machine sets X-Forwarded-Proto (settings: FAZHI_HTTPS).
forwarded_allow_ips = os.environ.get("FAZHI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# The request id (X-Request-ID, see fazhi_web/middleware.py) is on every access line,
# so that one line leads to the application's log lines of the same request.
access_log_format = (
    '%(h)s %({x-forwarded-for}i)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms [%({x-request-id}o)s]'
)
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {
            "level": "INFO",
            "handlers": ["stderr", "error_file"],
            "propagate": False,
        },
        "gunicorn.access": {
            "level": "INFO",
            "handlers": ["stdout", "access_file"],
            "propagate": False,
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "stream": "ext://sys.stderr",
        },
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
        # Rotated by logrotate (copytruncate not needed: the handler reopens the file).
        "error_file": {
            "class": "logging.handlers.WatchedFileHandler",
            "formatter": "generic",
            "filename": str(_log_dir / "gunicorn.log"),
            "encoding": "utf-8",
        },
        "access_file": {
            "class": "logging.handlers.WatchedFileHandler",
            "formatter": "access",
            "filename": str(_log_dir / "access.log"),
            "encoding": "utf-8",
        },
    },
    "formatters": {
        "generic": {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"},
        "access": {"format": "%(message)s"},
    },
}


def when_ready(server: object) -> None:
    """Import every view, and through them the analysis engine (about a second), once in
    the master: the workers fork with it loaded, and no upload waits for the import."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
    # A connection opened while importing must not be shared by the forked workers.
    connections.close_all()
