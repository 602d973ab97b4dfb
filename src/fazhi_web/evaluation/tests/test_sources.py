"""Each automatic evidence source, measured on a unit that meets it and on one that does
not, with the evidence it links to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Score
from fazhi_web.evaluation.sources import SOURCES, Subject, measure_on_time
from fazhi_web.evaluation.tests.conftest import YEAR, hand_in
from fazhi_web.ledgers import services as ledger_services
from fazhi_web.ledgers.models import MajorDecision
from fazhi_web.reports.models import Obligation
from fazhi_web.review import services as review_services

pytestmark = pytest.mark.django_db


def measured(season, number: str, unit) -> Score:
    return Score.objects.get(criterion=season.criterion(number), unit=unit)


def test_every_kind_in_the_framework_file_is_in_the_dispatch_table(season):
    kinds = set(season.framework.criteria.values_list("evidence_kind", flat=True))
    assert kinds <= set(SOURCES)
    assert not SOURCES["reviewer"].automatic


def test_a_part_present_in_the_report_earns_the_points_and_quotes_the_section(world, season):
    services.compute(world.reviewer, season.framework)
    shortcomings = measured(season, "8.2.3", world.town)  # 存在的不足和原因
    assert shortcomings.value == Decimal("2.00")
    assert shortcomings.note.startswith("报告载明“存在的不足和原因”")
    [evidence] = shortcomings.evidence
    assert evidence["obligation"] == season.town.pk and evidence["anchor"].startswith("sec-")
    assert "执法人员数量不足" in evidence["quote"]
    # The report says nothing of the 第一责任人: no points, the report as evidence.
    first = measured(season, "8.1.1", world.town)
    assert first.value == 0 and "未载明" in first.note
    # A unit that has not reported earns nothing, and is told why.
    bureau = measured(season, "8.2.3", world.district_bureau)
    assert bureau.value == 0 and bureau.note == f"{YEAR}年度报告尚未报送，无从核对。"


def test_on_time_submission(world, season):
    services.compute(world.reviewer, season.framework)
    on_time = measured(season, "8.2.1", world.town)
    assert on_time.value == Decimal("3.00") and on_time.note.startswith(
        "按时报送：2024年1月20日报送"
    )
    assert on_time.evidence[0]["obligation"] == season.town.pk
    late = Obligation.objects.get(unit=world.district, reporting_year__year=YEAR)
    hand_in(world.district_reporter, late, on=late.deadline + dt.timedelta(days=3))
    services.compute(world.reviewer, season.framework)
    assert measured(season, "8.2.1", world.district).value == 0
    assert measured(season, "8.2.1", world.district).note.startswith("逾期报送")
    assert measured(season, "8.2.1", world.bureau).note.startswith("尚未报送")
    assert measure_on_time(Subject(world.town, YEAR, None), {}).fraction == 0


def test_an_indicator_from_the_report_with_its_correction(world, season):
    services.compute(world.reviewer, season.framework)
    study = measured(season, "7.1.1", world.town)  # 集体学法 at least 4
    assert study.value == Decimal("3.00")
    assert "集体学法6次" in study.evidence[0]["quote"]
    assert study.evidence[0]["anchor"].startswith("p-")
    # Not stated in the report: nothing.
    assert measured(season, "6.2.1", world.town).value == 0  # 负责人出庭应诉率
    # The reviewer's correction counts, in proportion to the threshold: 2 of 4 sessions.
    review_services.correct_indicator(
        world.reviewer, season.town, "study_sessions", 2, "次", "专题学法只有2次"
    )
    services.compute(world.reviewer, season.framework)
    study = measured(season, "7.1.1", world.town)
    assert study.value == Decimal("1.50")
    assert "审查员更正" in study.evidence[0]["label"]


def test_an_indicator_from_the_ledgers_links_to_the_records(world, season):
    ledger_services.create(
        world.reporter, MajorDecision, world.town,
        {"title": "清河镇垃圾分类收运体系建设方案", "year": YEAR, "sponsor": "镇城建办"},
    )  # fmt: skip
    services.compute(world.reviewer, season.framework)
    decisions = measured(season, "3.1.1", world.town)  # 重大行政决策事项数 at least 1
    assert decisions.value == Decimal("4.00")
    assert decisions.evidence[0]["url"].startswith("/ledgers/decisions/?")
    assert f"unit={world.town.pk}" in decisions.evidence[0]["url"]
    other = measured(season, "3.1.1", world.district)
    # A unit with no decision recorded keeps no such ledger: blank, not 0.
    assert other.value == 0 and "未在平台登记" in other.note
    # No documents published: no rate to score, and the ledger says so.
    rate = measured(season, "2.1.1", world.town)
    assert rate.value == 0 and "本年未公布规范性文件" in rate.note


def test_rectification_closed_scores_the_share_of_the_years_items_closed(world, season):
    from fazhi_web.evaluation.sources import measure_rectification_closed
    from fazhi_web.rectification import services as rectification
    from fazhi_web.rectification.models import Source

    subject = Subject(world.town, YEAR, season.town)
    nothing = measure_rectification_closed(subject, {})
    assert nothing.fraction == 1 and nothing.summary == f"{YEAR}年度没有整改事项。"
    raised = [
        rectification.raise_item(
            world.reviewer,
            world.town,
            problem=problem,
            year=YEAR,
            source=Source.NOTICE,
            limit_days=10,
        )
        for problem in ("规范性文件未按期报送备案", "执法案卷不规范")
    ]
    rectification.add_evidence(world.reporter, raised[0], "整改报告.pdf", b"%PDF-1.4\n%%EOF\n")
    rectification.submit(world.reporter, raised[0], "已补报备案")
    rectification.close(world.reviewer, raised[0])
    half = measure_rectification_closed(subject, {})
    assert half.fraction == 0.5 and half.summary == f"{YEAR}年度整改事项销号50%。"
    assert f"unit={world.town.pk}" in half.evidence[0].url
