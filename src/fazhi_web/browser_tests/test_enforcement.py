"""The enforcement ledger in a real browser: a major penalty case is refused its decision
until the 法制审核 is recorded, then decided; its decision is masked by rule, approved by
the office's reviewer and published, and the public reads the masked copy on the portal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from fazhi_web.browser_tests.test_walkthrough import browser_page, login, logout  # noqa: F401
from fazhi_web.enforcement import services
from fazhi_web.enforcement.tests.conftest import DECISION


def day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()


def record(page: Page, kind: str, on: str) -> None:
    page.select_option("#event-form [name=kind]", label=kind)
    page.fill("#event-form [name=on]", on)
    page.click("#event-form button")


@pytest.mark.django_db(transaction=True)
def test_a_major_penalty_through_legal_review_to_the_portal(live_server, world, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    today = timezone.localdate()
    officers = []
    for i, name in enumerate(("刘执法", "陈执法")):
        officer = services.create_officer(world.reporter, world.town, name=name)
        services.add_certificate(world.reporter, officer, {
            "number": f"E-{i}", "issued_on": today - dt.timedelta(days=700),
            "expires_on": today + dt.timedelta(days=1000)})  # fmt: skip
        officers.append(officer)
    case = services.create_case(
        world.reporter, world.town,
        {"number": "清综执罚〔2024〕12号", "kind": "penalty", "title": "销售过期食品", "party": "张三",
         "party_is_person": True, "major": "public_interest", "decision_text": DECISION},
        officers,
    )  # fmt: skip
    for kind, ago in (("filed", 20), ("investigated", 15), ("notified", 10)):
        services.record_event(
            world.reporter, case, kind, on=timezone.localdate() - dt.timedelta(days=ago)
        )

    login(page, base, "reporter")
    page.click("header a:has-text('行政执法')")
    page.click("a.button:has-text('执法案件')")
    page.click("a:has-text('清综执罚〔2024〕12号')")
    expect(page.locator("h1")).to_contain_text("处罚案件")
    # No decision without the 法制审核.
    record(page, "决定", day(3))
    expect(page.locator(".messages")).to_contain_text("作出决定前须经法制审核")
    page.fill("#legal-review [name=reviewer]", "法制审核员 黄律")
    page.fill("#legal-review [name=opinion]", "事实清楚，证据确凿，程序合法。")
    page.fill("#legal-review [name=reviewed_on]", day(4))
    page.click("#legal-review button")
    expect(page.locator("#legal-review")).to_contain_text("黄律")
    record(page, "决定", day(3))
    expect(page.locator("ol.events")).to_contain_text("决定")
    expect(page.locator("#publication .clock")).to_contain_text("执法决定公示")
    # The public copy, masked by rule.
    page.click("#publication button:has-text('生成')")
    masked = page.locator("#publication blockquote.masked")
    expect(masked).to_contain_text("当事人张某")
    expect(masked).not_to_contain_text("440101198503071234")
    expect(page.locator("#publication")).to_contain_text("待上级审查人员审核")
    logout(page)

    login(page, base, "reviewer")
    page.goto(base + f"/enforcement/cases/{case.pk}/")
    page.click("#approve")
    expect(page.locator(".messages")).to_contain_text("审核通过")
    logout(page)

    login(page, base, "reporter")
    page.goto(base + f"/enforcement/cases/{case.pk}/")
    page.fill("#publication [name=on]", day(0))
    page.click("#publish")
    expect(page.locator(".messages")).to_contain_text("已在门户公示")
    logout(page)

    page.click("header a:has-text('行政执法公示')")
    page.click("a:has-text('清综执罚〔2024〕12号')")
    public = page.locator("#public-copy")
    expect(public).to_contain_text("当事人张某")
    for secret in ("张三", "440101198503071234", "13812345678", "幸福路8号"):
        expect(public).not_to_contain_text(secret)
