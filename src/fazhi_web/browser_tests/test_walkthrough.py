"""The yearly cycle in a real browser: Debian's headless Chromium driven by Playwright.

A reporter uploads a .docx, sees the findings and submits; the reviewer
dismisses a finding, approves (备案) and publishes; the public finds the
report through the portal's full-text search. A failing step leaves a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from fazhi_web.conftest import PASSWORD
from fazhi_web.reports.models import Obligation
from fazhi_web.reports.services import open_year

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
SEARCH_WORD = "网格化管理"


def report_docx() -> bytes:
    document = docx.Document()
    document.add_heading("南湖区清河镇2023年法治政府建设年度报告", level=0)
    document.add_heading("一、主要举措和成效", level=1)
    document.add_paragraph(
        f"2023年,清河镇推行{SEARCH_WORD},全年共受理12345热线工单1200件,已办结1180件。"
        "办理行政复议案件3件,行政诉讼案件2件。联系人身份证号11010519491231002X。"
    )
    document.add_heading("二、党政主要负责人履行推进法治建设第一责任人职责情况", level=1)
    document.add_paragraph(
        "镇党委书记、镇长认真履行推进法治建设第一责任人职责,专题研究法治建设4次。"
    )
    document.add_heading("三、存在的不足和原因", level=1)
    document.add_paragraph("一是执法人员不足,二是培训不够,主要原因是编制紧张。")
    document.add_heading("四、2024年工作安排", level=1)
    document.add_paragraph("一是制定规范性文件管理办法。二是年底前完成执法人员轮训。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def login(page: Page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    expect(page.locator("header .who")).to_be_visible()


def logout(page: Page) -> None:
    page.click("header button:has-text('退出')")


@pytest.fixture
def browser_page(request):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(locale="zh-CN")
        # The Content-Security-Policy refuses inline script and style: a page that still
        # had some would lose it silently, so every refusal fails the test.
        refused: list[str] = []
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        yield page
        assert refused == [], refused
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


@pytest.mark.django_db(transaction=True)
def test_report_from_upload_to_public_search(live_server, world, browser_page, tmp_path):
    page, base = browser_page, live_server.url
    open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    upload = tmp_path / "清河镇2023年报告.docx"
    upload.write_bytes(report_docx())

    # The reporter uploads, sees the self-check and submits.
    login(page, base, "reporter")
    page.goto(base + reverse("reports:obligation", args=[obligation.pk]))
    page.set_input_files("input[type=file][name=file]", str(upload))
    page.click("button:has-text('上传并自检')")
    expect(page.get_by_text("疑似身份证号码").first).to_be_visible()
    expect(page.locator("ul.checklist")).to_contain_text("存在的不足和原因")
    page.click("button:has-text('报送第1版')")
    # The ID number is a 错误: handing it in anyway asks first.
    page.click("#dlg-submit button:has-text('仍要报送')")
    expect(page.get_by_text("已报送").first).to_be_visible()
    logout(page)

    # The reviewer clears the personal-data finding, files and publishes.
    login(page, base, "reviewer")
    page.goto(base + reverse("review:board") + "?year=2023")
    page.click(f"a[href='{reverse('review:report', args=[obligation.pk])}']")
    private = page.locator(".fcard", has=page.locator("summary:has-text('核实无误，允许公开')"))
    private.locator("summary").first.click()
    private.locator("input[name=reason]").fill("已核实为虚构示例号码，不涉及个人信息")
    private.locator("button:has-text('确认允许公开')").click()
    expect(page.get_by_text("已核实为虚构示例号码").first).to_be_visible()
    page.click("#bar button:has-text('备案')")
    expect(page.get_by_text("已备案").first).to_be_visible()
    page.click("#bar button:has-text('公开')")
    page.click("#dlg-publish button:has-text('确认公开')")
    expect(page.get_by_text("已公开").first).to_be_visible()
    logout(page)

    # The public finds it.
    page.goto(base + reverse("portal:index"))
    page.fill("input[name=q]", SEARCH_WORD)
    page.click("button:has-text('查询')")
    page.click("a:has-text('南湖区清河镇')")
    expect(page.get_by_text(SEARCH_WORD).first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_reporter_cannot_reach_review_page(live_server, world, browser_page):
    page, base = browser_page, live_server.url
    open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    login(page, base, "other_reporter")
    response = page.goto(base + reverse("reports:obligation", args=[obligation.pk]))
    assert response is not None and response.status == 404
    expect(page.get_by_text("页面不存在或无权访问")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_charts_draw_under_the_content_security_policy(live_server, world, browser_page):
    page, base = browser_page, live_server.url
    open_year(world.admin, world.city, 2023)
    login(page, base, "reviewer")
    page.goto(base + reverse("stats:charts"))
    # ECharts draws into a canvas inside each chart container: the script ran.
    expect(page.locator("[data-chart] canvas").first).to_be_attached()
    page.goto(base + reverse("accounts:security"))
    expect(page.locator("text=当前会话")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_under_the_content_security_policy(live_server, browser_page):
    page, base = browser_page, live_server.url
    page.goto(base + "/api/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("法治政府建设年度报告平台接口")
    expect(page.locator(".opblock").first).to_be_visible()
