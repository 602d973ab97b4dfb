"""Indicators computed from the ledgers, beside what the report states, and the API."""

from __future__ import annotations

from io import BytesIO

import openpyxl
from django.template import Context, Template

from fazhi_web.conftest import _user
from fazhi_web.ledgers import figures, services
from fazhi_web.ledgers.models import DisclosureRequest, MajorDecision, NormativeDocument
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.ledgers.tests.test_boundaries import api
from fazhi_web.ledgers.tests.test_decisions import DECIDE, record_all
from fazhi_web.ledgers.tests.test_import import GOOD, HEADERS, xlsx
from fazhi_web.reports.models import IndicatorValue, Obligation
from fazhi_web.reports.services import open_year
from fazhi_web.units.models import Role


def values(unit, year):
    return {code: f.value for code, f in figures.ledger_indicators(unit, year).items()}


def test_each_indicator_counts_its_records(world, published_doc, request_in_town, decision):
    services.apply_event(
        world.reporter,
        published_doc,
        "file",
        {"filing_unit": world.district, "filed_on": D("2024-09-10")},
    )
    second = services.create(
        world.reporter, NormativeDocument, world.town, {"title": "清河镇第二份文件"}
    )
    services.apply_event(
        world.reporter,
        second,
        "submit_review",
        {"review_unit": world.town, "review_submitted_on": D("2024-05-06")},
    )
    services.apply_event(
        world.reporter, second, "review", {"review_opinion": "合法", "reviewed_on": D("2024-05-10")}
    )
    services.apply_event(
        world.reporter,
        second,
        "deliberate",
        {"deliberation": "党委会", "deliberated_on": D("2024-05-20")},
    )
    services.apply_event(
        world.reporter,
        second,
        "publish",
        {
            "doc_number": "清府〔2024〕5号",
            "published_on": D("2024-06-03"),
            "effective_on": D("2024-07-05"),
        },
    )
    cleanup = services.create_cleanup(
        world.reporter, world.town, title="清理", started_on=D("2024-11-01")
    )
    services.decide_cleanup_item(world.reporter, cleanup, published_doc, "keep")
    services.publish_cleanup(world.reporter, cleanup, on=D("2024-11-15"), note="")
    record_all(world, decision)
    services.apply_event(world.reporter, decision, "decide", DECIDE)
    services.create(
        world.reporter, MajorDecision, world.town, {"title": "明年的事项", "year": 2025}
    )
    hidden = services.create(world.reporter, DisclosureRequest, world.town,
                             {"applicant_type": "natural", "channel": "in_person", "submitted_on": D("2024-05-06")})  # fmt: skip
    services.hide(world.reporter, hidden, "重复登记")
    assert values(world.town, 2024) == {
        "normative_docs_issued": 2.0,
        "normative_docs_reviewed": 2.0,
        "normative_docs_filed": 1.0,
        "normative_docs_cleaned": 1.0,
        "normative_docs_filing_rate": 50.0,
        "major_decisions": 1.0,
        "legality_reviews": 1.0,
        "disclosure_on_request": 1.0,
    }
    assert values(world.town, 2023)["normative_docs_filing_rate"] is None


def test_a_filing_body_counts_the_filings_it_received(world, published_doc):
    services.apply_event(
        world.reporter,
        published_doc,
        "file",
        {"filing_unit": world.bureau, "filed_on": D("2024-09-10")},
    )
    assert values(world.bureau, 2024)["normative_docs_filed"] == 1.0
    assert values(world.town, 2024)["normative_docs_filed"] == 1.0


def test_a_request_counts_in_the_year_it_was_received(world):
    services.create(world.reporter, DisclosureRequest, world.town,
                    {"applicant_type": "natural", "channel": "post_signed", "submitted_on": D("2023-12-29"),
                     "confirmed_on": D("2024-01-02")})  # fmt: skip
    assert values(world.town, 2023)["disclosure_on_request"] == 0
    assert values(world.town, 2024)["disclosure_on_request"] == 1


def test_each_figure_links_to_the_records_behind_it(world, published_doc):
    figure = figures.ledger_indicators(world.town, 2024)["normative_docs_issued"]
    assert (
        figure.url
        == f"/ledgers/documents/?unit={world.town.pk}&year=2024&figure=normative_docs_issued"
    )
    assert list(figures.records("normative_docs_issued", world.town, 2024)) == [published_doc]


def test_the_comparison_marks_agreement_and_mismatch(world, published_doc):
    rows = {r.code: r for r in figures.compare({"normative_docs_issued": 1, "normative_docs_reviewed": 3,
                                                 "normative_docs_filing_rate": 0.4}, world.town, 2024)}  # fmt: skip
    assert rows["normative_docs_issued"].agrees is True
    assert rows["normative_docs_reviewed"].agrees is False
    assert rows["normative_docs_reviewed"].difference == -2
    assert rows["normative_docs_filing_rate"].agrees is True  # 0% vs 0.4%: within rounding
    assert rows["major_decisions"].agrees is None


def test_the_review_page_include_shows_both_columns(world, published_doc):
    cycle = open_year(world.admin, world.city, 2024)
    obligation = Obligation.objects.get(reporting_year=cycle, unit=world.town)
    IndicatorValue.objects.create(obligation=obligation, indicator="normative_docs_issued", value=4)
    html = Template("{% load ledger_tags %}{% ledger_comparison obligation %}").render(
        Context({"obligation": obligation})
    )
    assert "报告数据与台账对照" in html
    assert "不一致（相差 -3）" in html
    assert "figure=normative_docs_issued" in html
    other = Obligation.objects.get(reporting_year=cycle, unit=world.bureau)
    html = Template("{% load ledger_tags %}{% ledger_comparison obligation %}").render(
        Context({"obligation": other})
    )
    assert "尚未在平台登记台账" in html


def test_the_api_creates_and_advances_a_record(world):
    client = api(world.reporter)
    created = client.post(
        "/api/ledgers/documents",
        {"unit_id": world.town.pk, "title": "清河镇殡葬管理办法"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    step = client.post(f"/api/ledgers/documents/{pk}/events/submit_review",
                       {"review_unit": world.town.pk, "review_submitted_on": "2024-03-01"}, content_type="application/json")  # fmt: skip
    assert step.status_code == 200 and step.json()["stage"] == "合法性审核中"
    assert step.json()["clocks"][0]["due"] == "2024-03-22"
    refused = client.post(f"/api/ledgers/documents/{pk}/events/publish",
                          {"doc_number": "x", "published_on": "2024-04-01", "effective_on": "2024-05-06"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "不得公布" in refused.json()["detail"]
    bad = client.post(
        f"/api/ledgers/documents/{pk}/events/review",
        {"color": "红"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "不能设置字段“color”" in bad.json()["detail"]


def test_the_api_records_procedures_and_refuses_the_gate(world, decision):
    client = api(world.reporter)
    refused = client.post(f"/api/ledgers/decisions/{decision.pk}/events/decide",
                          {"decided_on": "2024-11-20", "decision_meeting": "党委会"}, content_type="application/json")  # fmt: skip
    assert refused.status_code == 400 and "尚未记录" in refused.json()["detail"]
    done = client.post(f"/api/ledgers/decisions/{decision.pk}/procedures/risk_assessment",
                       {"done_on": "2024-11-01", "summary": "风险可控"}, content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and "尚缺4项" in done.json()["stage"]


def test_the_api_imports_with_a_dry_run_first(world):
    client = api(world.reporter)
    content = xlsx([GOOD])
    dry = client.post(
        f"/api/ledgers/documents/import?unit_id={world.town.pk}&dry_run=true",
        {"file": _file(content)},
    )
    assert dry.status_code == 200, dry.content
    assert dry.json() == {"rows": 1, "imported": 0, "errors": [], "mapping": dry.json()["mapping"]}
    assert NormativeDocument.objects.count() == 0
    bad = client.post(f"/api/ledgers/documents/import?unit_id={world.town.pk}",
                      {"file": _file(xlsx([GOOD, GOOD])), "mapping": '{"title": "标题", "doc_number": "发文字号"}'})  # fmt: skip
    assert bad.json()["imported"] == 0 and "第3行：表中有多行文号相同。" in bad.json()["errors"]
    done = client.post(
        f"/api/ledgers/documents/import?unit_id={world.town.pk}", {"file": _file(content)}
    )
    assert done.json()["imported"] == 1
    exported = client.get(f"/api/ledgers/documents/export?unit_id={world.town.pk}")
    sheet = openpyxl.load_workbook(BytesIO(exported.content)).active
    assert sheet["A2"].value == GOOD[0]
    assert HEADERS[0] == "标题"


def test_the_api_lists_the_records_behind_a_figure_and_the_table(
    world, published_doc, request_in_town
):
    client = api(world.reviewer)
    listed = client.get(
        f"/api/ledgers/documents?unit_id={world.town.pk}&year=2024&figure=normative_docs_issued"
    )
    assert [r["id"] for r in listed.json()] == [published_doc.pk]
    figures_json = client.get(f"/api/ledgers/indicators?unit_id={world.town.pk}&year=2024").json()
    assert {f["indicator"]: f["value"] for f in figures_json}["disclosure_on_request"] == 1
    table = client.get(f"/api/ledgers/disclosure-table?unit_id={world.town.pk}&year=2024").json()
    assert table["rows"][0]["cells"][-1] == 1
    due = client.get("/api/ledgers/deadline?date=2024-09-27&length=20").json()
    assert due["due"] == "2024-10-30" and due["explanation"][-1].startswith("届满")


def test_a_bureau_clerk_reviews_documents_of_others(world, published_doc):
    clerk = _user("bureau_clerk", world.bureau, Role.REPORTER)
    doc = services.create(
        world.reporter,
        NormativeDocument,
        world.town,
        {"title": "送司法局审核的文件", "review_unit": world.bureau},
    )
    services.apply_event(
        world.reporter,
        doc,
        "submit_review",
        {"review_unit": world.bureau, "review_submitted_on": D("2024-05-06")},
    )
    services.apply_event(
        clerk, doc, "review", {"review_opinion": "修改后合法", "reviewed_on": D("2024-05-10")}
    )
    assert values(world.bureau, 2024)["normative_docs_reviewed"] == 1.0


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("台账.xlsx", content)
