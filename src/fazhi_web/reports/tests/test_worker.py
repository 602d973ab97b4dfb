"""The same tasks through a real Redis broker and a real `celery worker` process.

The worker (the `worker` fixture of fazhi_web/conftest.py) sees this test
run's database and only committed rows, so these tests are transaction=True.
Every wait is bounded.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from fazhi_web.audit.models import AuditEntry
from fazhi_web.celery import app
from fazhi_web.conftest import WAIT
from fazhi_web.reports import services
from fazhi_web.reports.models import AnalysisState, Obligation, ReportVersion
from fazhi_web.reports.tests.conftest import REPORT_TEXT

LONG = REPORT_TEXT * 3

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_broker(worker, settings):
    """This process sends tasks to the worker's broker, and shares its upload folder."""
    settings.CELERY_BROKER_URL = worker["broker"]
    settings.UPLOAD_ROOT = worker["var"] / "uploads"
    app.conf.broker_url = worker["broker"]
    yield worker
    app.conf.broker_url = ""
    app.close()


@pytest.fixture
def town_obligation(world) -> Obligation:
    services.open_year(world.admin, world.city, 2023)
    return Obligation.objects.get(unit=world.town, reporting_year__year=2023)


def wait_for(version_id: int, check, worker) -> ReportVersion:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        version = ReportVersion.objects.get(pk=version_id)
        if check(version):
            return version
        time.sleep(0.1)
    raise AssertionError("worker 未在限时内完成：\n" + worker["log"].read_text())


def test_the_worker_analyses_an_upload(client, world, town_obligation, on_broker):
    # With a broker every upload goes to the worker, a short one too.
    version = services.paste_version(world.reporter, town_obligation, REPORT_TEXT)
    assert version.analysis_state == AnalysisState.QUEUED
    done = wait_for(version.pk, lambda v: v.analysis_state == AnalysisState.DONE, on_broker)
    assert done.score is not None and done.analysis["parts"]["measures"]["present"]
    assert AuditEntry.objects.filter(action="version.analyse", object_id=str(version.pk)).exists()
    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[town_obligation.pk])).content.decode()
    assert "自检得分" in page


def test_a_failure_on_the_worker_can_be_retried(client, world, town_obligation, on_broker):
    with transaction.atomic():
        version = services.paste_version(world.reporter, town_obligation, LONG)
        stored = Path(on_broker["var"]) / "uploads" / version.stored_name
        content = stored.read_bytes()
        # The worker will find the original unreadable.
        stored.unlink()
    failed = wait_for(version.pk, lambda v: v.analysis_state == AnalysisState.FAILED, on_broker)
    assert "FileNotFoundError" in failed.analysis_error and failed.text == version.text

    stored.write_bytes(content)
    client.force_login(world.reporter)
    response = client.post(reverse("reports:retry_analysis", args=[version.pk]))
    assert response.status_code == 302
    done = wait_for(version.pk, lambda v: v.analysis_state == AnalysisState.DONE, on_broker)
    assert done.analysis_attempts == 2


def test_reanalyze_is_enqueued_and_done_by_the_worker(world, town_obligation, on_broker):
    version = services.paste_version(world.reporter, town_obligation, REPORT_TEXT)
    done = wait_for(version.pk, lambda v: v.analysis_state == AnalysisState.DONE, on_broker)
    # As if the rules had changed since: the stored result differs from today's engine.
    stale = {**done.analysis, "score": {**done.analysis["score"], "total": 1.0}}
    ReportVersion.objects.filter(pk=version.pk).update(score=1.0, analysis=stale)
    out = call_stdout("reanalyze")
    assert "已提交后台任务：重新分析 1 个版本" in out
    again = wait_for(version.pk, lambda v: v.score == done.score, on_broker)
    assert again.analysis == done.analysis
    assert AuditEntry.objects.filter(action="version.reanalyse").exists()


def call_stdout(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
