"""The board as a work queue, in Chromium: the oldest report waiting for review comes
first, the header row stays in view, and the 范围 picker narrows the board."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from fazhi_web.browser_tests.test_walkthrough import login
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation
from fazhi_web.units.models import Level, Unit


@pytest.fixture
def waiting(world, seed_bytes):
    """Three reports waiting: 司法局's since a week ago, the town's and another's since today;
    and forty more towns that have handed in nothing, so that the board scrolls."""
    cycle = report_services.open_year(world.admin, world.city, 2023)
    for i in range(40):
        unit = Unit.objects.create(
            name=f"南湖区测试镇{i:02d}", level=Level.TOWN, parent=world.district
        )
        Obligation.objects.create(reporting_year=cycle, unit=unit, deadline=dt.date(2024, 3, 31))
    for unit, content in [
        (world.town, seed_bytes["002"]),
        (world.bureau, seed_bytes["003"]),
        (world.district_bureau, seed_bytes["004"]),
    ]:
        ob = Obligation.objects.get(reporting_year=cycle, unit=unit)
        version = report_services.upload_version(world.admin, ob, "报告.txt", content)
        report_services.submit(world.admin, ob, version)
    # The bureau's report has waited longest.
    week_ago = timezone.now() - dt.timedelta(days=7)
    Obligation.objects.filter(unit=world.bureau).update(submitted_at=week_ago)
    return cycle


@pytest.mark.django_db(transaction=True)
def test_the_first_row_is_the_oldest_report_waiting(live_server, world, waiting, open_page):
    page = open_page()
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("review:board"))
    rows = page.locator(".board-table tbody tr")
    expect(rows.first).to_contain_text("东江市司法局")
    expect(rows.first).to_contain_text("已报送")
    expect(rows.first.get_by_role("link", name="审查")).to_be_visible()
    # The waiting reports come first, then the units that have handed in nothing,
    # which have nothing to review.
    expect(rows.nth(2)).to_contain_text("已报送")
    expect(rows.nth(3)).to_contain_text("未报送")
    expect(rows.nth(3).get_by_role("link", name="审查")).to_have_count(0)

    # The header row stays in view while the rows scroll under it.
    header = page.locator(".board-table thead th").nth(1)
    top_before = header.bounding_box()["y"]
    page.locator(".sheet").evaluate("box => box.scrollTop = 600")
    assert page.locator(".sheet").evaluate("box => box.scrollTop") > 0
    assert abs(header.bounding_box()["y"] - top_before) < 1
    expect(header).to_be_in_viewport()

    # 范围: choosing 南湖区 (it submits itself) leaves its units and offers its towns.
    page.get_by_label("范围").select_option(label="　东江市南湖区")
    expect(page).to_have_url(re.compile(f"under={world.district.pk}"))
    expect(page.locator(".board-table tbody")).not_to_contain_text("东江市司法局")
    expect(rows.first).to_contain_text("南湖区清河镇")
    expect(page.get_by_label("范围").locator("option")).to_contain_text(["南湖区测试镇00"])

    # Searching by name keeps the 范围.
    page.get_by_label("单位名称").fill("测试镇07")
    page.get_by_role("button", name="查看").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("南湖区测试镇07")
    # Batch 催报 works on the filtered board and comes back to it.
    page.get_by_label("选择南湖区测试镇07").check()
    page.locator("#batch button[value=remind]").click()
    expect(page.get_by_text("已向1个单位催报。")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("已催报1次")
