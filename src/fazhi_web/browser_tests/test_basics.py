"""What every page owes a person, in Chromium: a favicon, a skip link, a visible focus, no
sideways scrolling on a phone; the audit log in Chinese; 报送 with 错误 findings confirmed.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.audit.models import AuditEntry
from fazhi_web.browser_tests.conftest import DESKTOP, PHONE
from fazhi_web.browser_tests.test_review_workspace import NO_OVERFLOW, finding_index
from fazhi_web.browser_tests.test_walkthrough import login
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, State
from fazhi_web.review import services as review_services

# An identifier as code writes it (obligation.submit, study_sessions), or JSON.
IDENTIFIER = re.compile(r"[A-Za-z]+(?:[._][A-Za-z]+)+|[{}]|&quot;")


@pytest.mark.django_db(transaction=True)
def test_favicon_skip_link_and_visible_focus(live_server, world, open_page):
    page = open_page(DESKTOP)
    page.goto(live_server.url + reverse("portal:index"))
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(live_server.url + icon)
    assert response.ok and response.headers["content-type"].startswith("image/svg+xml")
    assert page.request.get(live_server.url + "/favicon.ico").ok

    # The first Tab reaches the skip link, shown on screen; Enter moves to the content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # Every focusable thing shows where the focus is.
    page.keyboard.press("Tab")
    for _ in range(6):
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert style[0] != "none" and style[1] >= 2, style
        page.keyboard.press("Tab")


@pytest.mark.django_db(transaction=True)
def test_the_audit_log_has_no_ascii_identifiers(live_server, world, open_page, handed_in):
    obligation, version = handed_in
    mismatch = finding_index(version, "arithmetic-mismatch")
    review_services.dismiss_finding(world.reviewer, version, mismatch, "口径不同")
    review_services.restore_finding(world.reviewer, version, mismatch)
    review_services.add_comment(world.reviewer, obligation, "请核对", finding=(version, mismatch))
    review_services.correct_indicator(
        world.reviewer, obligation, "petitions_received", 118, "宗", "属于受理范围的是118宗"
    )
    review_services.return_report(world.reviewer, obligation, "请修改")
    assert AuditEntry.objects.count() >= 8

    page = open_page(DESKTOP)
    login(page, live_server.url, "admin")
    page.goto(live_server.url + reverse("audit:log"))
    sentences = page.locator("table.audit > tbody > tr > td:nth-child(2)").all_inner_texts()
    assert any("将 信访事项受理数 由" in s and "更正为 118宗" in s for s in sentences), sentences
    for sentence in sentences:
        assert not re.search(r"[A-Za-z]", sentence.replace(".txt", "")), sentence
    # Behind 详情, the values before and after, labelled in Chinese.
    for summary in page.locator("table.audit details > summary").all():
        summary.click()
    details = page.locator("main").inner_text()
    assert "修改前" in details and "修改后" in details
    assert not IDENTIFIER.search(details.replace(".txt", "")), IDENTIFIER.search(details)
    for label in page.locator("table.changes td:first-child").all_inner_texts():
        assert not re.search(r"[A-Za-z]", label), label

    phone = open_page(PHONE)
    login(phone, live_server.url, "admin")
    phone.goto(live_server.url + reverse("audit:log"))
    assert phone.evaluate(NO_OVERFLOW)


@pytest.mark.django_db(transaction=True)
def test_submitting_a_version_with_errors_asks_first(live_server, world, open_page, handed_in):
    obligation, _ = handed_in
    review_services.return_report(world.reviewer, obligation, "请删除身份证号")
    page = open_page(PHONE)
    login(page, live_server.url, "reporter")
    page.goto(live_server.url + reverse("reports:obligation", args=[obligation.pk]))
    assert page.evaluate(NO_OVERFLOW)
    page.get_by_role("button", name="报送第1版").click()
    dialog = page.locator("#dlg-submit")
    expect(dialog).to_contain_text("自检发现1处错误")
    dialog.get_by_role("button", name="返回修改").click()
    expect(dialog).to_be_hidden()
    obligation.refresh_from_db()
    assert obligation.state == State.RETURNED
    page.get_by_role("button", name="报送第1版").click()
    dialog.get_by_role("button", name="仍要报送").click()
    expect(page.get_by_text("已报送第1版").first).to_be_visible()
    obligation.refresh_from_db()
    assert obligation.state == State.SUBMITTED
    entry = AuditEntry.objects.filter(action="obligation.submit").latest("id")
    assert entry.after["errors"] == 1


@pytest.mark.django_db(transaction=True)
def test_pages_fit_a_phone(live_server, world, open_page, handed_in):
    obligation, _ = handed_in
    report_services.open_year(world.admin, world.other_city, 2023)
    page = open_page(PHONE)
    for path in (reverse("portal:index"), reverse("login")):
        page.goto(live_server.url + path)
        assert page.evaluate(NO_OVERFLOW), path
    login(page, live_server.url, "reviewer")
    for path in (
        reverse("review:board") + "?year=2023",
        reverse("review:report", args=[obligation.pk]),
        reverse("audit:log"),
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(NO_OVERFLOW), path
    assert Obligation.objects.filter(reporting_year__year=2023).exists()
