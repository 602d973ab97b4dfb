"""The ledgers in a real browser: a 法制员 takes a 规范性文件 from draft through 合法性审核,
集体审议 and 公布 to 备案, the office records the 备案审查 result and the public finds the
document in the 规范性文件库; the public comments on a decision draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from fazhi_web.browser_tests.test_walkthrough import browser_page, login, logout  # noqa: F401
from fazhi_web.ledgers import services
from fazhi_web.ledgers.models import MajorDecision, NormativeDocument, PublicComment

TITLE = "清河镇农贸市场管理办法"


def step(page: Page, label: str, fields: dict[str, str]) -> None:
    """Open a step of the document's page, fill its form, save."""
    page.click(f"a.button:has-text('{label}')")
    for name, value in fields.items():
        field = page.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text(label.removeprefix("记录"))


def day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()


@pytest.mark.django_db(transaction=True)
def test_a_legal_officer_enters_a_document_through_to_filing(live_server, world, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    login(page, base, "reporter")
    page.click("header a:has-text('台账')")
    page.click("a.button:has-text('规范性文件')")
    page.click("a:has-text('登记文件')")
    page.fill("[name=title]", TITLE)
    page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_have_text(TITLE)
    # Not offered before review and deliberation.
    expect(page.locator("ul.actions")).not_to_contain_text("公布")

    step(page, "送交合法性审核", {"review_unit": "南湖区清河镇", "review_submitted_on": day(60)})
    expect(page.locator(".clock").first).to_contain_text("合法性审核")
    step(
        page,
        "记录合法性审核意见",
        {"reviewer": "张法", "review_opinion": "经审核，合法。", "reviewed_on": day(55)},
    )
    step(page, "记录集体审议", {"deliberation": "镇党委会第12次会议", "deliberated_on": day(50)})
    step(
        page,
        "公布",
        {"doc_number": "清府〔2024〕8号", "published_on": day(40), "effective_on": day(5)},
    )
    filing = page.locator(".clock:has(strong:text-is('报送备案'))")
    expect(filing).to_contain_text("已逾期")  # 40 days after publication
    filing.locator("summary").click()
    expect(filing).to_contain_text("自次日起计算30日")
    step(page, "报送备案", {"filing_unit": "东江市南湖区", "filed_on": day(2)})
    expect(page.locator("table.fields")).to_contain_text("已报送备案")
    expect(filing).to_contain_text("逾期完成")
    logout(page)

    # The district's office reviews the filing and accepts it.
    doc = NormativeDocument.objects.get(title=TITLE)
    login(page, base, "reviewer")
    page.goto(base + reverse("ledgers:document", args=[doc.pk]))
    step(page, "记录备案审查结果", {"filing_result": "予以备案", "filing_result_on": day(1)})
    expect(page.locator("table.fields")).to_contain_text("予以备案")
    logout(page)

    # The public finds it in force.
    page.goto(base + reverse("ledgers_public:library"))
    page.fill("input[name=q]", "农贸市场")
    page.click("button:has-text('检索')")
    page.click(f"a:has-text('{TITLE}')")
    expect(page.locator("table.fields")).to_contain_text("现行有效")
    expect(page.locator("ol.history")).to_contain_text("备案审查")


@pytest.mark.django_db(transaction=True)
def test_the_public_comments_on_a_decision_draft(live_server, world, browser_page):  # noqa: F811
    page, base = browser_page, live_server.url
    today = timezone.localdate()
    decision = services.create(
        world.reporter, MajorDecision, world.town,
        {"title": "清河镇垃圾分类收运方案", "year": today.year, "sponsor": "镇城建办"},
    )  # fmt: skip
    services.save_consultation(
        world.reporter, decision,
        {"draft": "一、在各村设置分类投放点。\n二、每日定时收运。", "opens_on": today - dt.timedelta(days=2),
         "closes_on": today + dt.timedelta(days=28)},
    )  # fmt: skip

    page.goto(base + reverse("portal:index"))
    page.click("header a:has-text('重大行政决策')")
    page.click("a:has-text('清河镇垃圾分类收运方案')")
    expect(page.locator(".draft")).to_contain_text("每日定时收运")
    page.fill("[name=author]", "村民陈")
    page.fill("[name=text]", "建议在村口增加厨余垃圾桶，收运时间避开早市。")
    page.click("button:has-text('提交意见')")
    expect(page.locator(".messages")).to_contain_text("感谢您的意见")
    expect(page.locator(".comment")).to_contain_text("收运时间避开早市")
    comment = PublicComment.objects.get()
    assert (comment.author, comment.consultation.decision_id) == ("村民陈", decision.pk)

    # The unit answers it; the answer shows once the summary is published.
    login(page, base, "reporter")
    page.goto(base + reverse("ledgers:decision", args=[decision.pk]))
    answer = page.locator(
        f"#comment-{comment.pk} form", has=page.locator("button:has-text('答复')")
    )
    answer.locator("select").select_option(label="采纳")
    answer.locator("input[name=response]").fill("已增设厨余垃圾桶")
    answer.locator("button").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("采纳")
