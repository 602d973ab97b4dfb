"""The embedded default: no broker, a long report is analysed on the web process's thread.

transaction=True: the task is handed over when the upload's transaction
commits, and the thread reads the row with a connection of its own.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi_web.reports import analysis, services
from fazhi_web.reports.models import AnalysisState, Obligation, ReportVersion
from fazhi_web.reports.tests.conftest import REPORT_TEXT

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(version_id: int, states: set[str], seconds: float = 30) -> ReportVersion:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version = ReportVersion.objects.get(pk=version_id)
        if version.analysis_state in states:
            return version
        time.sleep(0.05)
    raise AssertionError(f"分析未在 {seconds} 秒内结束：{version.analysis_state}")


def test_the_upload_answers_and_the_thread_analyses(client, world, settings, monkeypatch):
    settings.FAZHI_INLINE_ANALYSIS_CHARS = 500
    threads = []
    real = analysis.analyse

    def spy(version_id):
        threads.append(threading.current_thread().name)
        real(version_id)

    monkeypatch.setattr(analysis, "analyse", spy)
    services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    client.force_login(world.reporter)
    response = client.post(
        reverse("reports:upload", args=[obligation.pk]),
        {"file": SimpleUploadedFile("清河镇.txt", (REPORT_TEXT * 3).encode())},
    )
    assert response.status_code == 302
    version = ReportVersion.objects.get(obligation=obligation)
    done = wait_for(version.pk, {AnalysisState.DONE, AnalysisState.FAILED})
    assert done.analysis_state == AnalysisState.DONE, done.analysis_error
    assert threads and threads[0].startswith("fazhi-task")
    poll = client.get(
        reverse("reports:analysis_status", args=[version.pk]), headers={"HX-Request": "true"}
    )
    assert poll["HX-Refresh"] == "true"


def test_a_failure_on_the_thread_is_recorded(world, settings, monkeypatch):
    settings.FAZHI_INLINE_ANALYSIS_CHARS = 500

    def broken(doc):
        raise ValueError("no")

    monkeypatch.setattr(analysis, "STAGES", (broken,))
    services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    version = services.paste_version(world.reporter, obligation, REPORT_TEXT * 3)
    failed = wait_for(version.pk, {AnalysisState.DONE, AnalysisState.FAILED})
    assert failed.analysis_state == AnalysisState.FAILED and "ValueError" in failed.analysis_error
    assert failed.text == version.text
