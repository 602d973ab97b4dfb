"""A reviewer sees a `ledger-mismatch` on the review page and opens the records behind the
ledger's figure, in a real browser."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.browser_tests.test_walkthrough import browser_page, login  # noqa: F401
from fazhi_web.disputes.ledger import LITIGATIONS
from fazhi_web.ledgers import casebook
from fazhi_web.ledgers.tests.conftest import D


def test_a_reviewer_opens_the_records_behind_a_ledger_mismatch(
    live_server,
    world,
    handed_in,
    browser_page,  # noqa: F811
):
    obligation, _ = handed_in  # the report states 4 lawsuits
    for i in range(3):
        casebook.create(world.reporter, LITIGATIONS, world.town,
                        {"number": f"(2023)粤1971行初{i + 1}号", "court": "东莞市第三人民法院",
                         "stage": "first", "plaintiff": "某公司", "filed_on": D("2023-04-03")})  # fmt: skip
    page, base = browser_page, live_server.url
    login(page, base, "reviewer")
    page.goto(base + reverse("review:report", args=[obligation.pk]))
    card = page.locator("[data-rule=ledger-mismatch][data-indicator=administrative_litigation]")
    expect(card).to_be_visible()
    expect(card).to_contain_text("报告数据与台账不一致")
    expect(card.locator(".stated")).to_have_text("4")
    expect(card.locator(".ledger")).to_have_text("3")
    card.locator("a.records").click()
    expect(page.locator("h1")).to_have_text("行政应诉台账")
    expect(page.locator(".card").first).to_contain_text("行政诉讼案件数")
    expect(page.locator("table.case-list tbody tr")).to_have_count(3)
    expect(page.locator("table.case-list")).to_contain_text("(2023)粤1971行初1号")
