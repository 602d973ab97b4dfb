"""A 法制员 downloads the draft of this year's report in a real browser: it opens as a Word
document, passes the engine unedited, and uploaded back it self-checks without 错误."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from fazhi.pipeline import analyze_bytes
from fazhi_web.browser_tests.test_walkthrough import browser_page, login  # noqa: F401
from fazhi_web.ledgers.figures import ledger_indicators
from fazhi_web.ledgers.tests.conftest import decision, published_doc, request_in_town  # noqa: F401
from fazhi_web.reports import services
from fazhi_web.reports.models import Obligation
from fazhi_web.reports.tests.conftest import REPORT_TEXT


@pytest.mark.django_db(transaction=True)
def test_a_legal_officer_downloads_a_draft_that_round_trips(
    live_server,
    world,
    browser_page,  # noqa: F811
    published_doc,  # noqa: F811
    request_in_town,  # noqa: F811
    decision,  # noqa: F811
    tmp_path,
):
    # Last year's report, with its plan for this year, handed in.
    services.open_year(world.admin, world.city, 2023)
    services.open_year(world.admin, world.city, 2024)
    last = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    version = services.upload_version(world.reporter, last, "清河镇2023.txt", REPORT_TEXT.encode())
    services.submit(world.reporter, last, version)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2024)

    page, base = browser_page, live_server.url
    login(page, base, "reporter")
    page.goto(base + reverse("reports:obligation", args=[obligation.pk]))
    with page.expect_download() as download:
        page.click("button:has-text('生成报告初稿')")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "南湖区清河镇2024年法治政府建设年度报告（初稿）.docx"

    paragraphs = [p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs]
    assert paragraphs[0] == "南湖区清河镇2024年法治政府建设年度报告"
    assert "（四）2023年工作安排落实情况" in paragraphs
    assert "2.创新普法宣传方式。" in paragraphs
    result = analyze_bytes(path.name, path.read_bytes()).to_json()
    figures = {
        code: f.value
        for code, f in ledger_indicators(world.town, 2024).items()
        if f.value is not None
    }
    assert figures["normative_docs_issued"] == 1 and figures["disclosure_on_request"] == 1
    assert {c: result["indicators"].get(c, {}).get("value") for c in figures} == figures
    assert all(e["present"] for e in result["parts"].values())
    assert [f for f in result["findings"] if f["severity"] == "error"] == []

    # Handed back unedited, the self-check finds every part and no error.
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('上传并自检')")
    expect(page.locator("h2:has-text('发现的问题')")).to_contain_text("错误 0")
    expect(page.locator("ul.checklist li.missing")).to_have_count(0)
