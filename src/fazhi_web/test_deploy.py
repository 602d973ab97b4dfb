"""A real deployment: production settings pass `check --deploy`, errors are logged with
a request id the user sees, a busy database is a 503, static files are hashed."""

from __future__ import annotations

import json
import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

import fazhi_web.urls

REPO = Path(__file__).resolve().parents[2]
HOST = "fazhi.example.gov.cn"


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("simulated failure in a view")


def _locked(request: HttpRequest) -> HttpResponse:
    raise OperationalError("database is locked")


# This module doubles as the URLconf of the tests below: the platform's URLs plus
# two views that fail.
handler400 = fazhi_web.urls.handler400
handler500 = fazhi_web.urls.handler500
urlpatterns = [
    path("test-boom/", _boom),
    path("test-locked/", _locked),
    *fazhi_web.urls.urlpatterns,
]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.pop("DATABASE_URL", None)
    env.update(FAZHI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="fazhi_web.settings")
    env.update(extra)
    return env


def _production(tmp_path: Path) -> dict[str, str]:
    return _env(
        tmp_path,
        FAZHI_HTTPS="1",
        FAZHI_SECRET_KEY=secrets.token_urlsafe(50),
        FAZHI_ALLOWED_HOSTS=f"{HOST},.example.gov.cn",
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


# -- settings from the environment ------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = _manage(_production(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_without_https(tmp_path):
    env = _env(tmp_path, FAZHI_ALLOWED_HOSTS=HOST)
    done = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_https_settings(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, "
        "s.CSRF_TRUSTED_ORIGINS, s.ALLOWED_HOSTS]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_production(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        False,
        True,
        True,
        True,
        365 * 24 * 3600,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        [f"https://{HOST}", "https://*.example.gov.cn"],
        [HOST, ".example.gov.cn"],
    ]


def test_gunicorn_config_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("FAZHI_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("FAZHI_BIND", "0.0.0.0")
    monkeypatch.setenv("FAZHI_PORT", "8100")
    monkeypatch.setenv("FAZHI_WORKERS", "3")
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert config["bind"] == ["0.0.0.0:8100"]
    assert config["workers"] == 3
    monkeypatch.delenv("FAZHI_WORKERS")
    monkeypatch.delenv("FAZHI_BIND")
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert config["bind"] == ["127.0.0.1:8100"]
    assert 3 <= config["workers"] <= 12
    assert (tmp_path / "log").is_dir()


# -- errors: logged with the id the user sees ----------------------------------------


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_500_page_shows_the_request_id_of_the_logged_traceback(failing_urls, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    assert response.status_code == 500
    page = response.content.decode()
    rid = response["X-Request-ID"]
    assert f"错误编号：<code>{rid}</code>" in page
    assert "服务器出错" in page
    assert not re.search(r"Traceback|RuntimeError|simulated", page)
    [record] = [r for r in caplog.records if r.exc_info]
    assert record.request_id == rid
    assert record.exc_info[1].args == ("simulated failure in a view",)
    # The administrator's file holds the same id next to the traceback.
    log = (Path(settings.LOG_DIR) / "fazhi.log").read_text(encoding="utf-8")
    line = next(x for x in log.splitlines() if f"[{rid}]" in x)
    after = log[log.index(line) :]
    assert "Internal Server Error: /test-boom/" in line
    assert "Traceback" in after.split("\n20")[0]
    assert "RuntimeError: simulated failure in a view" in after


@pytest.mark.django_db
def test_request_id_from_the_proxy_when_it_is_a_safe_token(failing_urls):
    client = Client(raise_request_exception=False)
    nginx_id = "3f2a9c0d4b5e6f708192a3b4c5d6e7f8"
    response = client.get("/test-boom/", headers={"X-Request-ID": nginx_id})
    assert response["X-Request-ID"] == nginx_id
    assert nginx_id in response.content.decode()
    for unsafe in ("short", "x" * 65, "abc def ghi", "evil\nFAKE LOG LINE", "<script>xx</script>"):
        response = client.get("/", headers={"X-Request-ID": unsafe})
        assert re.fullmatch(r"[0-9a-f]{16}", response["X-Request-ID"]), unsafe


@pytest.mark.django_db
def test_locked_database_is_503_in_chinese_not_500(failing_urls, caplog):
    response = Client(raise_request_exception=False).get("/test-locked/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "系统繁忙，请稍后重试" in page
    assert "locked" not in page
    assert "数据库繁忙" in caplog.text


@pytest.mark.django_db
def test_bad_request_is_chinese_on_pages_and_json_in_the_api():
    client = Client(raise_request_exception=False, headers={"Host": "attacker.example"})
    response = client.get("/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请求有误" in page
    assert "Bad Request" not in page
    response = client.get("/api/units")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "请求有误，请检查请求内容。"


# -- static files -------------------------------------------------------------------


@pytest.mark.django_db
def test_static_files_are_hashed_compressed_and_cached(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    css = re.search(r'href="(/static/fazhi/site\.[0-9a-f]{12}\.css)"', page)
    assert css, page
    response = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
