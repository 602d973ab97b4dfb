"""考评 in a real browser: the office opens the results, sees the ranking and a unit's
radar chart drawn by ECharts, and adjusts an automatic score with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.audit.models import AuditEntry
from fazhi_web.browser_tests.test_walkthrough import browser_page, login  # noqa: F401
from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Score
from fazhi_web.evaluation.tests.conftest import REPORT, YEAR, hand_in
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation

REASON = "第一责任人履职情况载于报告附件"


@pytest.mark.django_db(transaction=True)
def test_the_office_ranks_units_sees_a_radar_and_adjusts_a_score(live_server, world, browser_page):  # noqa: F811
    report_services.open_year(world.admin, world.city, YEAR)
    town = Obligation.objects.get(unit=world.town, reporting_year__year=YEAR)
    hand_in(world.reporter, town, REPORT, on=dt.date(YEAR + 1, 1, 20))
    fw = services.copy_framework(world.reviewer, world.city, YEAR)
    services.compute(world.reviewer, fw)

    page, base = browser_page, live_server.url
    login(page, base, "reviewer")
    page.click("header a:has-text('考评')")
    page.click(f"a[href='{reverse('evaluation:results', args=[fw.pk])}']")
    first = page.locator("table.ranking tbody tr").first
    expect(first.locator("td").nth(0)).to_have_text("1")
    expect(first.locator("td").nth(1)).to_have_text("南湖区清河镇")
    expect(page.locator("table.ranking tbody tr")).to_have_count(4)

    first.locator("a:has-text('南湖区清河镇')").click()
    expect(page.locator("h1")).to_have_text(f"南湖区清河镇 {YEAR}年度考评")
    # ECharts drew the radar: a canvas inside the chart's container.
    expect(page.locator("[data-chart=chart-radar] canvas")).to_have_count(1)

    row = page.locator("tr[data-criterion='8.1.1']")
    expect(row).to_contain_text("报告未载明")
    row.locator("input[name=value]").fill("3")
    row.locator("button:has-text('调整')").click()
    expect(page.locator(".messages")).to_contain_text("调整自动评分必须写明理由")
    row = page.locator("tr[data-criterion='8.1.1']")
    row.locator("input[name=value]").fill("3")
    row.locator("input[name=note]").fill(REASON)
    row.locator("button:has-text('调整')").click()
    expect(page.locator(".messages")).to_contain_text("自动评分已调整")
    row = page.locator("tr[data-criterion='8.1.1']")
    expect(row).to_contain_text("已调整")
    expect(row).to_contain_text(f"调整理由：{REASON}")

    score = Score.objects.get(criterion__framework=fw, criterion__number="8.1.1", unit=world.town)
    assert (score.value, score.measured, score.adjusted_reason) == (3, 0, REASON)
    assert AuditEntry.objects.filter(action="evaluation.adjust", unit=world.town).count() == 1
