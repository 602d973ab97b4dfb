"""A long report in a real browser: the page shows the progress (htmx) and then the result.

The engine is held at one stage by an Event, so the progress is on screen for
as long as the test looks at it; the analysis runs on the web process's thread
(no broker), as under `make run`.
"""

from __future__ import annotations

import threading

import pytest
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from fazhi.pipeline import STAGES
from fazhi_web.browser_tests.test_walkthrough import CHROMIUM, FLAGS, login
from fazhi_web.reports import analysis
from fazhi_web.reports.models import Obligation
from fazhi_web.reports.services import open_year
from fazhi_web.reports.tests.conftest import REPORT_TEXT


@pytest.fixture
def browser_page():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser.new_page(locale="zh-CN")
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_the_page_shows_progress_then_the_self_check(
    live_server, world, browser_page, tmp_path, settings, monkeypatch
):
    settings.FAZHI_INLINE_ANALYSIS_CHARS = 500
    release = threading.Event()

    def held(doc):
        assert release.wait(30), "测试未放行分析"

    monkeypatch.setattr(analysis, "STAGES", (*STAGES[:4], held, *STAGES[4:]))
    page, base = browser_page, live_server.url
    open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    upload = tmp_path / "清河镇2023年报告.txt"
    upload.write_text(REPORT_TEXT * 3, encoding="utf-8")

    login(page, base, "reporter")
    page.goto(base + reverse("reports:obligation", args=[obligation.pk]))
    page.set_input_files("input[type=file][name=file]", str(upload))
    page.click("button:has-text('上传并自检')")
    expect(page.get_by_text("正在后台分析")).to_be_visible()
    try:
        # The poll replaces the fragment: 4 of the stages are done.
        percent = 100 * 4 // (len(STAGES) + 1)
        expect(page.locator(".analysis-status")).to_contain_text(f"正在分析… {percent}%")
        expect(page.locator("button:has-text('报送第1版')")).to_have_count(0)
    finally:
        release.set()
    # Done: the page reloads itself and shows the result, ready to submit.
    expect(page.locator("button:has-text('报送第1版')")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("自检得分")).to_be_visible()
    expect(page.locator(".analysis-status")).to_have_count(0)
