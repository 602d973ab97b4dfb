"""Background work: the Celery app, and `run_later`, the one place that decides where a task runs.

Work that must not run inside a request (the analysis of a long report, the
re-analysis of every report after a rule change) is written as Celery tasks.
Where they run depends on the installation:

- `FAZHI_BROKER_URL` set (Redis): `task.delay()` once the transaction commits;
  a `celery -A fazhi_web worker` process does the work. The web processes stay
  free and the worker's concurrency bounds the CPU the analysis takes.
- no broker (the embedded default, `make run`): the same task functions run on
  one background thread of the web process, also after the commit. The page
  returns at once and polls the progress like with a broker; nothing more has
  to be started. One thread, because the analysis is CPU-bound Python: more
  threads would only share the same core through the GIL. Work queued on the
  thread is lost when the process stops; the version then shows as stalled
  and can be retried (see ReportVersion.analysis_stalled).
- `FAZHI_TASKS_EAGER` (tests): at once, inside the caller, even inside a
  transaction that never commits (pytest-django wraps each test in one).

Tasks are dispatched after the commit so that a worker never looks for a row
that is not visible yet, and never for one of a rolled-back upload.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from celery import Celery
from django.conf import settings
from django.db import close_old_connections, connections, transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi_web.settings")

app = Celery("fazhi_web")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

log = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _thread_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fazhi-task")
        return _pool


def _in_thread(task: Any, args: tuple[Any, ...]) -> None:
    """Run a task body on the background thread with connections of its own."""
    close_old_connections()
    try:
        task.run(*args)
    except Exception:
        # The task records its own failure on the object it works on; this is
        # for the server log only.
        log.exception("后台任务 %s%r 失败", task.name, args)
    finally:
        connections.close_all()


def broker_configured() -> bool:
    return bool(settings.CELERY_BROKER_URL)


def run_later(task: Any, *args: Any) -> Future[None] | None:
    """Run `task(*args)` outside the request: on the queue, on the thread, or (tests) now.

    Returns the thread's future in the embedded mode (tests wait on it), else None.
    """
    if settings.FAZHI_TASKS_EAGER:
        task.run(*args)
        return None
    if broker_configured():
        transaction.on_commit(lambda: task.delay(*args))
        return None
    future: Future[None] = Future()

    def submit() -> None:
        inner = _thread_pool().submit(_in_thread, task, args)
        inner.add_done_callback(lambda f: future.set_result(None))

    transaction.on_commit(submit)
    return future
