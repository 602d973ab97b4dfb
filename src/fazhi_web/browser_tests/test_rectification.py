"""整改 in Chromium: the office raises an item from a finding on the review page, the unit
uploads its evidence and submits, the office closes it (销号)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.browser_tests.conftest import DESKTOP
from fazhi_web.browser_tests.test_walkthrough import login, logout
from fazhi_web.rectification.models import Item, ItemState

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db(transaction=True)
def test_an_item_from_a_finding_to_its_closing(live_server, world, open_page, handed_in, tmp_path):
    obligation, version = handed_in
    index = next(
        i for i, f in enumerate(version.analysis["findings"]) if f["rule"] != "boilerplate"
    )
    page = open_page(DESKTOP)
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("review:report", args=[obligation.pk]))
    card = page.locator(f"#card-{index}")
    card.locator("details.rect summary").click()
    card.locator("details.rect input[name=person]").fill("张镇长")
    card.locator("details.rect button:has-text('列入整改')").click()
    expect(page.locator("#item-state")).to_have_text("待整改")
    item = Item.objects.get()
    assert item.person == "张镇长" and item.finding_index == index
    logout(page)

    login(page, live_server.url, "reporter")
    page.goto(live_server.url + reverse("rectification:item", args=[item.pk]))
    evidence = tmp_path / "整改情况报告.pdf"
    evidence.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(evidence))
    page.click("button:has-text('上传')")
    expect(page.locator("#evidence")).to_contain_text("整改情况报告.pdf")
    page.fill("textarea[name=measures]", "已对照审查意见逐项整改")
    page.click("button:has-text('提交核验')")
    expect(page.locator("#item-state")).to_have_text("已提交（待核验）")
    # The unit is offered no 销号.
    expect(page.locator("button:has-text('销号')")).to_have_count(0)
    logout(page)

    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("rectification:ledger") + "?state=submitted")
    page.click(f"a[href='{reverse('rectification:item', args=[item.pk])}']")
    page.click("button:has-text('销号')")
    expect(page.locator("#item-state")).to_have_text("已销号")
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED and item.closed_by == world.reviewer
