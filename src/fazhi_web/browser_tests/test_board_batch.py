"""The board's batch 催报: tick two rows, remind them, and the unit sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.browser_tests.test_walkthrough import login, logout
from fazhi_web.reports.models import Obligation, Reminder
from fazhi_web.reports.services import open_year


@pytest.mark.django_db(transaction=True)
def test_remind_two_rows_and_the_unit_sees_it(live_server, world, open_page):
    open_year(world.admin, world.city, 2023)
    town = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    bureau = Obligation.objects.get(unit=world.bureau, reporting_year__year=2023)
    page = open_page()
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("review:board"))
    page.get_by_label(f"选择{world.town.name}").check()
    page.get_by_label(f"选择{world.bureau.name}").check()
    page.locator("#batch button[value=remind]").click()
    expect(page.get_by_text("已向2个单位催报。")).to_be_visible()
    expect(page.locator(f"#ob-{town.pk}")).to_contain_text("已催报1次")
    expect(page.locator(f"#ob-{bureau.pk}")).to_contain_text("已催报1次")
    assert Reminder.objects.count() == 2

    # 全选 (static board.js) ticks every open row of the page.
    page.locator("#batch-all").check()
    assert (
        page.locator('input[name="ids"]:checked').count()
        == Obligation.objects.filter(reporting_year__year=2023).count()
    )

    logout(page)
    login(page, live_server.url, "reporter")
    page.goto(live_server.url + reverse("reports:obligation", args=[town.pk]))
    expect(page.locator("#reminders")).to_contain_text("上级已催报1次")
