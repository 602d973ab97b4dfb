"""The review workspace in Chromium: the text and its findings side by side, worked through
from the keyboard, updated in place; the sticky bar and its confirmations; a phone's width.
"""

from __future__ import annotations

import re

import pytest
import rjieba
from django.urls import reverse
from playwright.sync_api import Page, expect

from fazhi_web.audit.models import AuditEntry
from fazhi_web.browser_tests.conftest import DESKTOP, PHONE
from fazhi_web.browser_tests.test_walkthrough import login
from fazhi_web.reports.models import State
from fazhi_web.review.models import Comment, FindingDecision


def review_page(open_page, live_server, obligation, viewport=DESKTOP) -> Page:
    page = open_page(viewport)
    login(page, live_server.url, "reviewer")
    page.goto(live_server.url + reverse("review:report", args=[obligation.pk]))
    # A marker that a full reload would lose: actions must update the page in place.
    page.evaluate("window.notReloaded = true")
    return page


def finding_index(version, rule: str) -> int:
    return next(i for i, f in enumerate(version.analysis["findings"]) if f["rule"] == rule)


def in_view(page: Page, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "e => { const r = e.getBoundingClientRect();"
        " return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth; }",
    )


@pytest.mark.django_db(transaction=True)
def test_a_reviewer_handles_three_findings_with_the_keyboard_alone(
    live_server, world, open_page, handed_in
):
    obligation, _ = handed_in
    page = review_page(open_page, live_server, obligation)
    cards = page.locator(".findings-pane .fcard")
    first, second, third = (cards.nth(i).get_attribute("data-f") for i in range(3))

    page.keyboard.press("j")
    expect(page.locator(f"#card-{first}")).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("e")
    expect(page.locator(f"#card-{first} input[name=reason]")).to_be_focused()
    page.keyboard.type("两处统计口径不同")
    page.keyboard.press("Enter")
    expect(page.locator(f"#card-{first}")).to_have_attribute("data-state", "dismissed")

    page.keyboard.press("j")
    expect(page.locator(f"#card-{second}")).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("c")
    expect(page.locator(f"#card-{second} textarea[name=body]")).to_be_focused()
    page.keyboard.type("请核对此处数据")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f"#card-{second} .note-text")).to_contain_text("请核对此处数据")

    page.keyboard.press("j")
    expect(page.locator(f"#card-{third}")).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("e")
    page.keyboard.type("已与单位核实")
    page.keyboard.press("Enter")
    expect(page.locator(f"#card-{third}")).to_have_attribute("data-state", "dismissed")
    # K goes back.
    page.keyboard.press("k")
    expect(page.locator(f"#card-{second}")).to_have_class(re.compile(r"\bactive\b"))

    assert page.evaluate("window.notReloaded") is True
    dismissed = set(FindingDecision.objects.values_list("finding_index", flat=True))
    assert dismissed == {int(first), int(third)}
    assert Comment.objects.get().finding_index == int(second)
    # The bar's counts followed, without a reload.
    expect(page.locator("#bar-counts")).to_contain_text("已标误报 2")
    # The shortcuts are on the page.
    expect(page.locator("#keys")).to_contain_text("J 下一条")


@pytest.mark.django_db(transaction=True)
def test_a_click_on_a_highlight_opens_its_finding_and_back(
    live_server, world, open_page, handed_in
):
    obligation, version = handed_in
    index = finding_index(version, "arithmetic-mismatch")
    page = review_page(open_page, live_server, obligation)
    mark = page.locator(f'mark[data-f~="{index}"]').first
    mark.click()
    card = page.locator(f"#card-{index}")
    expect(card).to_have_class(re.compile(r"\bactive\b"))
    assert in_view(page, f"#card-{index}")
    # A margin comment: beside its highlight, level with it.
    mark_box, card_box = mark.bounding_box(), card.bounding_box()
    assert card_box["x"] > mark_box["x"] + mark_box["width"]
    assert abs(card_box["y"] - mark_box["y"]) < 30

    # A click on another finding's card scrolls the text to its place.
    other = finding_index(version, "private-info")
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f"#card-{other} .msg").click()
    expect(page.locator(f"#card-{other}")).to_have_class(re.compile(r"\bactive\b"))
    assert in_view(page, f'mark[data-f~="{other}"]')
    expect(page.locator(f'mark[data-f~="{other}"]').first).to_have_class(re.compile("current"))


@pytest.mark.django_db(transaction=True)
def test_see_also_links_to_the_numbered_paragraph(live_server, world, open_page, handed_in):
    obligation, version = handed_in
    index = finding_index(version, "duplicate-sentence")
    line = int(re.search(r"另见第(\d+)行", version.analysis["findings"][index]["message"])[1])
    page = review_page(open_page, live_server, obligation)
    link = page.locator(f"#card-{index} a.see")
    expect(link).to_have_text(f"第{line}段")
    link.click()
    assert in_view(page, f"#p-{line}")
    number = page.eval_on_selector(f"#p-{line}", "p => getComputedStyle(p, '::before').content")
    assert number == f'"{line}"'


@pytest.mark.django_db(transaction=True)
def test_the_sticky_bar_is_in_view_after_scrolling_to_the_end(
    live_server, world, open_page, handed_in
):
    obligation, _ = handed_in
    page = review_page(open_page, live_server, obligation)
    page.keyboard.press("End")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("window.scrollY > 2000")
    bar = page.locator("#bar")
    box = bar.bounding_box()
    assert box is not None and box["y"] == 0
    for name in ("退回", "备案", "公开"):
        expect(bar.get_by_role("button", name=name)).to_be_visible()
    expect(bar).to_contain_text("南湖区清河镇")
    expect(bar).to_contain_text("得分")
    expect(bar).to_contain_text("错误 1")


@pytest.mark.django_db(transaction=True)
def test_return_and_publish_ask_first_and_undo_a_dismissal(
    live_server, world, open_page, handed_in
):
    obligation, version = handed_in
    private = finding_index(version, "private-info")
    mismatch = finding_index(version, "arithmetic-mismatch")
    page = review_page(open_page, live_server, obligation)

    # A margin comment drafts the letter that returns the report.
    page.locator(f"#card-{mismatch} details.note summary").click()
    page.locator(f"#card-{mismatch} textarea[name=body]").fill("合计数不符，请核对")
    page.locator(f"#card-{mismatch} button:has-text('发表意见')").click()
    expect(page.locator(f"#card-{mismatch} .note-text")).to_contain_text("合计数不符")
    page.reload()
    page.locator("#bar button:has-text('退回')").click()
    dialog = page.locator("#dlg-return")
    expect(dialog).to_be_visible()
    expect(dialog.locator("textarea")).to_have_value(re.compile("合计数不符，请核对"))
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    obligation.refresh_from_db()
    assert obligation.state == State.SUBMITTED

    # 备案 with a 错误 open asks too; the reviewer clears it first, then undoes and redoes.
    card = page.locator(f"#card-{private}")
    card.locator("summary:has-text('核实无误，允许公开')").click()
    card.locator("input[name=reason]").fill("虚构示例号码")
    card.locator("button:has-text('确认允许公开')").click()
    expect(card).to_have_attribute("data-state", "dismissed")
    expect(page.locator(f'mark[data-f~="{private}"]').first).to_have_class(re.compile("dismissed"))
    card.locator("button:has-text('撤销核实')").click()
    expect(card).to_have_attribute("data-state", "open")
    expect(page.locator(f'mark[data-f~="{private}"]').first).to_have_class(re.compile("sev-error"))
    assert AuditEntry.objects.filter(action="finding.restore").count() == 1
    card.locator("summary:has-text('核实无误，允许公开')").click()
    card.locator("input[name=reason]").fill("虚构示例号码")
    card.locator("button:has-text('确认允许公开')").click()
    expect(card).to_have_attribute("data-state", "dismissed")

    page.reload()
    page.locator("#bar button:has-text('备案')").click()
    expect(page.get_by_text("已备案").first).to_be_visible()
    page.locator("#bar button:has-text('公开')").click()
    dialog = page.locator("#dlg-publish")
    expect(dialog).to_contain_text("未发现未处理的个人信息")
    dialog.get_by_role("button", name="确认公开").click()
    expect(page.get_by_text("已公开，公众可在公开报告中查阅").first).to_be_visible()
    obligation.refresh_from_db()
    assert obligation.state == State.PUBLISHED
    assert AuditEntry.objects.filter(action="obligation.publish").exists()


@pytest.mark.django_db(transaction=True)
def test_return_with_the_dialog(live_server, world, open_page, handed_in):
    obligation, _ = handed_in
    page = review_page(open_page, live_server, obligation)
    page.locator("#bar button:has-text('退回')").click()
    dialog = page.locator("#dlg-return")
    dialog.locator("textarea").fill("请补充存在的不足和原因")
    dialog.get_by_role("button", name="确认退回").click()
    expect(page.get_by_text("已退回修改。").first).to_be_visible()
    obligation.refresh_from_db()
    assert obligation.state == State.RETURNED
    assert AuditEntry.objects.filter(action="obligation.return").exists()


@pytest.mark.django_db(transaction=True)
def test_side_views_facts_switch_and_folded_furniture(live_server, world, open_page, handed_in):
    obligation, version = handed_in
    page = review_page(open_page, live_server, obligation)
    # No heading is cut inside a word: whole, or whole words and "…".
    headings = page.eval_on_selector_all(
        ".rail a[title]",
        "links => links.map(a => [a.getAttribute('title'), Array.from(a.childNodes)"
        ".filter(n => !(n.classList && n.classList.contains('pno')))"
        ".map(n => n.textContent).join('')])",
    )
    assert len(headings) > 10
    cut = [shown for whole, shown in headings if shown != whole]
    assert cut, "some headings are long enough to be shortened"
    for whole, shown in headings:
        assert shown == whole or (shown.endswith("…") and whole.startswith(shown[:-1])), shown
        if shown != whole:
            assert len(shown) - 1 in {end for _, _, end in rjieba.tokenize(whole)}, shown
    assert not any(shown.endswith("习近…") for shown in cut)
    # The outline and the checklist fold away.
    outline = page.locator("#panel-outline")
    expect(outline.locator(".outline")).to_be_visible()
    outline.locator("summary").click()
    expect(outline.locator(".outline")).to_be_hidden()
    page.locator("#panel-checklist summary").click()
    expect(page.locator("#panel-checklist .checklist")).to_be_hidden()

    facts = version.analysis["facts"]
    mapped = sum(1 for f in facts if f.get("indicator"))
    rows = page.locator("#facts tbody tr:visible")
    expect(rows).to_have_count(mapped)
    page.locator("#facts-all").check()
    expect(rows).to_have_count(len(facts))

    furniture = sum(1 for f in version.analysis["findings"] if f["rule"] == "boilerplate")
    expect(page.locator("#furniture > summary")).to_have_text(f"已去除网页残留内容 {furniture} 处")
    expect(page.locator("#furniture li").first).to_be_hidden()


NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.mark.django_db(transaction=True)
def test_a_phone_reads_the_review_page_without_sideways_scrolling(
    live_server, world, open_page, handed_in
):
    obligation, version = handed_in
    page = review_page(open_page, live_server, obligation, PHONE)
    assert page.evaluate(NO_OVERFLOW)
    # Opening the forms, the dialog and the full facts table keeps it so.
    page.locator("#facts-all").check()
    for summary in page.locator(".fcard details > summary").all()[:6]:
        summary.click()
    assert page.evaluate(NO_OVERFLOW)
    # A click on a highlight still finds its card, below the text.
    index = finding_index(version, "arithmetic-mismatch")
    page.locator(f'mark[data-f~="{index}"]').first.click()
    assert in_view(page, f"#card-{index}")
    page.locator("#bar button:has-text('退回')").click()
    assert page.evaluate(NO_OVERFLOW)
    box = page.locator("#dlg-return").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
