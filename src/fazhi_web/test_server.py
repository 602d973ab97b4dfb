"""The platform as deployed: gunicorn serving it, a Celery worker on Redis analysing.

One report goes the whole way over HTTP: the reporter submits it through the API, the
worker analyses it, the reporter hands it in, and the reviewer files it through the
review page's form. Server and worker are real subprocesses on this run's test
database and share one var/ folder (uploads, secret key), as on one deployed machine.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from fazhi_web.api.services import issue_token
from fazhi_web.audit.models import AuditEntry
from fazhi_web.conftest import PASSWORD, REPO, SEEDS, WAIT, database_url_of_this_run, stop
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation, State

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(worker):
    """gunicorn with the project's own gunicorn.conf.py, sending tasks to the worker."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fazhi_web.settings",
        "DATABASE_URL": database_url_of_this_run(),
        "FAZHI_DB_CONN_MAX_AGE": "0",
        "FAZHI_BROKER_URL": worker["broker"],
        "FAZHI_VAR_DIR": str(worker["var"]),
        "FAZHI_BIND": "127.0.0.1",
        "FAZHI_PORT": str(port),
        "FAZHI_WORKERS": "2",
    }
    # As `make run` does: the server serves hashed static files from var/static.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, cwd=REPO, check=True, timeout=WAIT,
    )  # fmt: skip
    log_path = worker["var"] / "gunicorn.out"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [str(gunicorn), "-c", str(REPO / "gunicorn.conf.py")],
            env=env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=30).close()
                break
            # A busy machine may accept the connection before the first response is
            # ready: a timeout is "not up yet", like a refused connection.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("gunicorn 未能启动：\n" + log_path.read_text()) from None
                time.sleep(0.2)
        yield {"base": base, "log": log_path, "worker_log": worker["log"]}
    finally:
        # gunicorn lets running requests finish first (graceful_timeout).
        stop(process, grace=35)


def _call(opener: Any, url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _api(server: dict, token: str, method_path: str, body: dict | None = None):
    url = server["base"] + "/api" + method_path
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = json.dumps(body).encode() if body is not None else None
    status, _, text = _call(urllib.request.build_opener(), url, data, headers)
    return status, json.loads(text)


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_report_is_submitted_analysed_and_filed_through_the_real_server(world, server, settings):
    services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    _, token = issue_token(world.admin, world.reporter, "集成测试")
    # The test settings hash with MD5 for speed; the server only knows the real hashers.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world.reviewer.set_password(PASSWORD)
    world.reviewer.save()
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")

    status, version = _api(
        server, token, f"/obligations/{obligation.pk}/versions/text", {"text": text}
    )
    assert status == 201, version
    # With a broker every upload is analysed by the worker, never inside the request.
    assert version["analysis_state"] == "queued"

    deadline = time.monotonic() + WAIT
    while True:
        status, analysis = _api(server, token, f"/obligations/{obligation.pk}/analysis")
        if status == 200:
            break
        assert status == 400 and "正在分析" in analysis["detail"], analysis
        if time.monotonic() > deadline:
            raise AssertionError("worker 未在限时内完成分析：\n" + server["worker_log"].read_text())
        time.sleep(0.2)
    assert analysis["meta"]["title"] == "清溪镇2021年法治政府建设年度报告"
    assert analysis["parts"]["measures"]["present"]

    status, handed_in = _api(server, token, f"/obligations/{obligation.pk}/submit", {"version": 1})
    assert status == 200 and handed_in["state"] == "submitted", handed_in

    reviewer = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login_url = server["base"] + "/accounts/login/"
    _, _, page = _call(reviewer, login_url)
    form = {"username": "reviewer", "password": PASSWORD, "csrfmiddlewaretoken": _csrf(page)}
    status, _, page = _call(reviewer, login_url, urllib.parse.urlencode(form).encode())
    assert status == 200 and "报送看板" in page, page[:500]
    review_url = f"{server['base']}/review/obligation/{obligation.pk}/"
    status, _, page = _call(reviewer, review_url)
    assert status == 200 and "清溪镇2021年法治政府建设年度报告" in page
    form = {"csrfmiddlewaretoken": _csrf(page)}
    status, _, page = _call(
        reviewer, review_url + "approve/", urllib.parse.urlencode(form).encode()
    )
    assert status == 200 and "已备案。" in page

    obligation.refresh_from_db()
    assert obligation.state == State.FILED
    assert obligation.versions.count() == 1
    assert obligation.values.exists()
    actions = set(AuditEntry.objects.filter(unit=world.town).values_list("action", flat=True))
    assert {"version.upload", "version.analyse", "obligation.submit", "obligation.file"} <= actions
    assert "Traceback" not in server["log"].read_text()
