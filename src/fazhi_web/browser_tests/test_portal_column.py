"""The public portal as a 政务公开 专栏 in Chromium: a report's page shows its metadata and
no machine score, its headings are headings, its tables fit a phone, and a search that
finds nothing says what to try."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi_web.browser_tests.conftest import PHONE
from fazhi_web.portal.models import Publication
from fazhi_web.stats.tests.build import open_years, published

YEAR = 2021


@pytest.fixture
def public_report(world, seed_bytes):
    open_years(world, YEAR)
    return published(world, world.town, YEAR, seed_bytes["002"])


@pytest.mark.django_db(transaction=True)
def test_report_page_shows_the_metadata_and_no_score(live_server, world, public_report, open_page):
    meta = Publication.objects.get(obligation=public_report)
    page = open_page()
    page.goto(live_server.url + reverse("portal:report", args=[public_report.pk]))
    box = page.get_by_role("table", name="政务公开信息")
    for label, value in [
        ("索引号", meta.index_number),
        ("发布机构", "东莞市清溪镇人民政府"),
        ("主题分类", "综合政务"),
        ("成文日期", "2022年1月21日"),
    ]:
        expect(box.get_by_role("rowheader", name=label)).to_be_visible()
        expect(box).to_contain_text(value)
    expect(box.get_by_role("rowheader", name="发布日期")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("清溪镇2021年法治政府建设年度报告")
    # The text's headings are headings, the public sees no machine score and no ✗.
    expect(
        page.get_by_role("heading", level=2, name="一、加强党对法治建设的领导", exact=False)
    ).to_be_visible()
    body = page.locator("main").inner_text()
    assert "得分" not in body and "✗" not in body
    assert page.locator(".checklist .missing").count() == 0
    # The download is named by the title.
    with page.expect_download() as download:
        page.get_by_role("link", name="清溪镇2021年法治政府建设年度报告.txt").click()
    assert download.value.suggested_filename == "清溪镇2021年法治政府建设年度报告.txt"


@pytest.mark.django_db(transaction=True)
def test_portal_tables_fit_a_phone(live_server, world, public_report, open_page):
    page = open_page(PHONE)
    for url in (
        reverse("portal:index"),
        reverse("portal:report", args=[public_report.pk]),
        reverse("portal:stats"),
    ):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
        # Each table fits as it is: none needs its own sideways scroll either.
        overflowing = page.evaluate(
            "[...document.querySelectorAll('main table')]"
            ".filter(t => t.scrollWidth > t.clientWidth + 1).length"
        )
        assert overflowing == 0, url
    expect(page.locator("#stat-year")).to_contain_text(f"本页统计的是{YEAR}年度的报告")


@pytest.mark.django_db(transaction=True)
def test_a_search_that_finds_nothing_offers_what_to_try(
    live_server, world, public_report, open_page
):
    page = open_page()
    page.goto(live_server.url + reverse("portal:index"))
    page.get_by_label("全文检索").fill("量子纠缠")
    page.get_by_role("button", name="查询").click()
    help_box = page.locator("#nothing-found")
    expect(help_box).to_contain_text("没有找到与“量子纠缠”相关的已公开报告")
    expect(help_box).to_contain_text("错别字")
    help_box.get_by_role("link", name="检索常用词“行政复议”").click()
    expect(page.locator("table.portal-list tbody tr")).to_have_count(1)
