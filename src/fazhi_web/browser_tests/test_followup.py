"""Last year's plan on the review page in Chromium: the reviewer sees each item's status
and follows a reported item to its paragraph of this year's text."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.browser_tests.test_walkthrough import login
from fazhi_web.followup.tests.test_matching import LAST, THIS
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_sees_last_years_plan_beside_this_years_report(live_server, world, open_page):
    for year, text in ((2022, LAST), (2023, THIS)):
        services.open_year(world.admin, world.city, year)
        obligation = Obligation.objects.get(unit=world.town, reporting_year__year=year)
        version = services.paste_version(world.reporter, obligation, text)
        services.submit(world.reporter, obligation, version)

    page = open_page()
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("review:report", args=[obligation.pk]))
    table = page.locator("#plan-followup")
    expect(table.locator("h2")).to_have_text("去年安排 → 今年报告中的落实情况")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(3)
    reported = rows.filter(has_text="建设镇公共法律服务工作站")
    expect(reported.locator(".badge")).to_have_text("已报告")
    expect(rows.filter(has_text="新建法治文化公园")).to_contain_text("未提及")
    expect(table).to_contain_text("已报告 1 项，部分 1 项，未提及 1 项")

    reported.locator("a").click()
    expect(page).to_have_url(
        f"{live_server.url}{reverse('review:report', args=[obligation.pk])}#p-3"
    )
    expect(page.locator("#p-3")).to_contain_text("公共法律服务工作站完成标准化改造")
    expect(page.locator("#p-3")).to_be_in_viewport()
