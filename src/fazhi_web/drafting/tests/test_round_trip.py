"""A draft handed back unedited passes the engine, as the platform's upload path runs it:
every part present, every ledger figure found as its own indicator with its value, and no
错误 finding. For demo units with rich ledgers and for ones with last year's plan."""

from __future__ import annotations

import pytest

from fazhi.pipeline import analyze_bytes
from fazhi_web.drafting import services
from fazhi_web.ledgers.figures import ledger_indicators
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation
from fazhi_web.units.models import Membership, Role

# (unit, year, whether the unit's report on the year before is on the platform, with its plan)
DEMO_DRAFTS = [
    ("东莞市司法局", 2020, False),  # all eight figures, most of them non-zero
    ("银川市金凤区", 2020, False),  # a filing rate of 66.7%
    ("东莞松山湖高新区管委会", 2020, False),  # a cleanup and disclosure requests
    ("东莞松山湖高新区管委会", 2021, True),  # the 2020 report's plan, under numbered headings
    ("东莞市清溪镇人民政府", 2021, True),  # six documents, two decisions, no reconsideration
    ("东莞市清溪镇人民政府", 2022, True),  # the 2021 report's plan, written as 一是…二是…
    ("南雄市政务服务和数据管理局", 2022, True),  # a 2021 plan whose items state figures
]


def reporter_of(obligation: Obligation):
    return Membership.objects.filter(unit=obligation.unit, role=Role.REPORTER).first().user


def analysed(draft: services.Draft) -> dict:
    return analyze_bytes(draft.filename, draft.content).to_json()


def assert_passes(result: dict, figures: dict[str, float]) -> None:
    assert {p: e["present"] for p, e in result["parts"].items()} == dict.fromkeys(
        ("measures", "shortcomings", "first_responsible", "next_year", "other"), True
    )
    found = {code: result["indicators"].get(code, {}).get("value") for code in figures}
    assert found == figures
    errors = [f["message"] for f in result["findings"] if f["severity"] == "error"]
    assert errors == []


@pytest.mark.parametrize(("unit", "year", "plan"), DEMO_DRAFTS)
def test_an_unedited_draft_passes_the_engine(demo, unit, year, plan):
    obligation = Obligation.objects.get(unit__name=unit, reporting_year__year=year)
    draft = services.generate(reporter_of(obligation), obligation)
    figures = {
        code: f.value
        for code, f in ledger_indicators(obligation.unit, year).items()
        if f.value is not None
    }
    assert figures
    result = analysed(draft)
    assert_passes(result, figures)
    assert result["meta"]["unit"] == unit and result["meta"]["year"] == year
    follow_up = [s for s in result["sections"] if s["title"] == f"{year - 1}年工作安排落实情况"]
    assert len(follow_up) == (1 if plan else 0)
    if plan:
        previous = Obligation.objects.get(unit__name=unit, reporting_year__year=year - 1)
        items = previous.current_version.analysis["plan_items"]
        assert len(items) >= 3
        for item in items:
            assert (item["heading"] or item["summary"]).rstrip("，,；;") in result["text"]


def test_open_rectification_items_are_listed_under_the_shortcomings(demo, monkeypatch):
    items = ["重大行政决策目录未按时公布", "部分行政执法案卷归档不及时"]
    monkeypatch.setattr(services, "open_rectification_items", lambda unit, year: items)
    obligation = Obligation.objects.get(unit__name="东莞市司法局", reporting_year__year=2020)
    result = analysed(services.generate(reporter_of(obligation), obligation))
    shortcomings = result["parts"]["shortcomings"]["sections"]
    (section,) = [s for s in result["sections"] if s["id"] == shortcomings[0]]
    body = result["text"][section["start"] : section["end"]]
    assert "1.重大行政决策目录未按时公布。" in body and "2.部分行政执法案卷归档不及时。" in body
    figures = {code: f.value for code, f in ledger_indicators(obligation.unit, 2020).items()}
    assert_passes(result, figures)


def test_a_unit_without_ledgers_gets_no_figures_not_zeros(world):
    report_services.open_year(world.admin, world.city, 2023)
    obligation = Obligation.objects.get(unit=world.town, reporting_year__year=2023)
    result = analysed(services.generate(world.reporter, obligation))
    assert result["indicators"] == {}
    assert "台账" not in result["text"] and "0件" not in result["text"]
    assert_passes(result, {})


def test_uploaded_unedited_through_the_platform_it_is_stored_without_errors(demo):
    obligation = Obligation.objects.get(
        unit__name="东莞松山湖高新区管委会", reporting_year__year=2021
    )
    reporter = reporter_of(obligation)
    draft = services.generate(reporter, obligation)
    version = report_services.upload_version(reporter, obligation, draft.filename, draft.content)
    version.refresh_from_db()
    assert version.analysed and version.format == "docx"
    figures = {
        code: f.value
        for code, f in ledger_indicators(obligation.unit, 2021).items()
        if f.value is not None
    }
    assert_passes(version.analysis, figures)
    report_services.submit(reporter, obligation, version)
