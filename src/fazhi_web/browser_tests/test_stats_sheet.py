"""The statistics in Chromium behave like a spreadsheet: the header row and the 单位
column stay in view while the table scrolls, unit names keep their width, empty
indicator columns appear on request; count charts have whole-number axes and an
empty chart says 暂无数据."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.browser_tests.test_walkthrough import login
from fazhi_web.reports.models import Obligation, ReportingYear
from fazhi_web.stats import queries
from fazhi_web.stats.tests.build import open_years, published, submitted
from fazhi_web.units.models import Level, Unit

YEAR = 2023


@pytest.fixture
def year_of_reports(world, seed_bytes):
    """Two reports handed in, and forty towns that owe theirs: a table that scrolls."""
    open_years(world, YEAR)
    published(world, world.town, YEAR, seed_bytes["002"])
    submitted(world, world.bureau, YEAR, seed_bytes["004"])
    cycle = ReportingYear.objects.get(office=world.city, year=YEAR)
    for i in range(40):
        unit = Unit.objects.create(
            name=f"南湖区测试镇{i:02d}", level=Level.TOWN, parent=world.district
        )
        Obligation.objects.create(
            reporting_year=cycle, unit=unit, deadline=dt.date(YEAR + 1, 3, 31)
        )


def box(locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None
    return found


@pytest.mark.django_db(transaction=True)
def test_header_and_unit_column_stay_in_view(live_server, world, year_of_reports, open_page):
    page = open_page()
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("stats:table") + "?empty=1")
    sheet = page.locator(".sheet")
    header = page.locator(".stats-table thead th").first
    first_unit = page.locator(".stats-table tbody td.unit-name").first
    header_y, unit_x = box(header)["y"], box(first_unit)["x"]
    # Every indicator is a column now: the table is wider than its box, and taller.
    assert sheet.evaluate("s => s.scrollWidth > s.clientWidth && s.scrollHeight > s.clientHeight")
    sheet.evaluate("s => { s.scrollTop = 500; s.scrollLeft = 800; }")
    assert sheet.evaluate("s => s.scrollTop > 0 && s.scrollLeft > 0")
    assert abs(box(header)["y"] - header_y) < 1
    assert abs(box(page.locator(".stats-table tbody td.unit-name").nth(10))["x"] - unit_x) < 1
    # A unit name is never squeezed below its minimum width (10em of 16px).
    assert box(first_unit)["width"] >= 160
    # The document itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440


@pytest.mark.django_db(transaction=True)
def test_empty_columns_appear_on_request(live_server, world, year_of_reports, open_page):
    page = open_page()
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("stats:table"))
    headers = page.locator(".stats-table thead th")
    stated = headers.count()
    assert stated < 5 + len(queries.INDICATORS)
    page.get_by_role("link", name="显示全部指标列").click()
    expect(headers).to_have_count(5 + len(queries.INDICATORS))
    # The export link carries the choice, so the workbook has the same columns.
    expect(page.get_by_role("link", name="导出 Excel", exact=False)).to_have_attribute(
        "href", re.compile("empty=1")
    )
    page.get_by_role("link", name="隐藏无数据的指标列").click()
    expect(headers).to_have_count(stated)


@pytest.mark.django_db(transaction=True)
def test_count_axes_and_empty_charts(live_server, world, year_of_reports, open_page):
    page = open_page()
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("stats:charts"))
    score = page.locator('[data-chart="chart-score"]')
    expect(score.locator("canvas")).to_have_count(1)
    ticks = score.evaluate(
        "el => echarts.getInstanceByDom(el).getModel().getComponent('yAxis', 0)"
        ".axis.scale.getTicks().map(t => t.value)"
    )
    # Two reports: without minInterval the axis would count 0.2, 0.4 … of a report.
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks), ticks

    # Nothing returned this year: the charts say so instead of drawing bare axes.
    page.goto(live_server.url + reverse("stats:charts") + "?state=returned")
    expect(page.locator('[data-chart="chart-score"]')).to_have_text("暂无数据")
    expect(page.locator('[data-chart="chart-parts"]')).to_have_text("暂无数据")
    expect(page.locator('[data-chart="chart-score"] canvas')).to_have_count(0)
