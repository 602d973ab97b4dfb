"""Reports written the other ways units write them, beyond the five seeds.

Each fixture in `fixtures/styles/` is a short report in a form the seeds do not
show: a province's 关于…情况的报告, a 2017 department report from before the
five contents were required, a town that merges 不足 and 下一步 in one section,
a late department, a city citing superseded plans, a report joined into one
line, mixed Chinese numerals, and a GB18030 page saved from a portal.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.document import REQUIRED_PARTS, Document
from fazhi.pipeline import analyze_path
from tests.conftest import findings_with_text, stated_indicators

STYLES = Path(__file__).parent / "fixtures" / "styles"


@pytest.fixture(scope="module")
def analyzed() -> dict[str, Document]:
    return {p.stem: analyze_path(p) for p in sorted(STYLES.iterdir())}


META = {
    "province_2019": (
        "江南省人民政府关于2019年法治政府建设情况的报告",
        "江南省人民政府",
        "province",
        2019,
        "2020-03-25",
    ),
    "department_2017": (
        "青山县司法局2017年度法治政府建设工作报告",
        "青山县司法局",
        "department",
        2017,
        "2018-01-10",
    ),
    "town_2023": ("白沙镇2023年法治政府建设年度报告", "白沙镇人民政府", "town", 2023, "2024-01-15"),
    "department_late_2023": (
        "长河市交通运输局关于2023年度法治政府建设情况的报告",
        "长河市交通运输局",
        "department",
        2023,
        "2024-03-15",
    ),
    "city_2022": ("东湖市2022年法治政府建设年度报告", "东湖市人民政府", "city", 2022, "2023-02-28"),
    "county_one_line_2021": (
        "西岭区2021年法治政府建设年度报告",
        "西岭区人民政府",
        "county",
        2021,
        "2022-01-20",
    ),
    "department_2020": (
        "南江县市场监督管理局2020年法治政府建设年度报告",
        "南江县市场监督管理局",
        "department",
        2020,
        "2021-02-20",
    ),
    "county_two_line_title_2016": (
        "平阳县人民政府关于2016年法治政府建设情况的报告",
        "平阳县人民政府",
        "county",
        2016,
        "2017-03-10",
    ),
    "subdistrict_merged_2022": (
        "东城街道办事处2022年法治政府建设年度报告",
        "东城街道办事处",
        "town",
        2022,
        "2023-01-12",
    ),
    "department_unit_below_title_2024": (
        "2024年度法治政府建设情况报告",
        "桃源县应急管理局",
        "department",
        2024,
        "2025-02-25",
    ),
    "province_department_2021": (
        "江南省生态环境厅2021年度法治政府建设情况报告",
        "江南省生态环境厅",
        "department",
        2021,
        "2022-02-25",
    ),
    "department_page_2021": (
        "北湖区司法局2021年法治政府建设年度报告",
        "北湖区司法局",
        "department",
        2021,
        "2022-02-15",
    ),
}


@pytest.mark.parametrize("key", sorted(META))
def test_metadata(analyzed, key):
    meta = analyzed[key].meta
    assert (meta.title, meta.unit, meta.level, meta.year, meta.date) == META[key]


MISSING_PARTS = {"department_2017": {"first_responsible"}}


@pytest.mark.parametrize("key", sorted(META))
def test_required_parts(analyzed, key):
    doc = analyzed[key]
    missing = {p for p in REQUIRED_PARTS if not doc.parts[p].present}
    assert missing == MISSING_PARTS.get(key, set())


def test_other_part_stated_as_none_counts(analyzed):
    assert analyzed["department_2020"].parts["other"].present


INDICATORS = {
    "province_2019": {
        "reconsideration_received": 8652,
        "reconsideration_accepted": 7810,
        "administrative_litigation": 10236,
        "head_appearance_rate": Decimal("85.3"),
        "enforcement_publicized": 286000,
        "normative_docs_cleaned": 1362,
        "major_decisions": 12,
        "hotline_received": 1820000,
        "hotline_close_rate": Decimal("99.2"),
        "npc_suggestions": 865,
        "cppcc_proposals": 712,
        "proposal_on_time_rate": 100,
    },
    "town_2023": {
        "petitions_received": 86,
        "petitions_resolved": 84,
        "petitions_resolution_rate": Decimal("97.7"),
        "hotline_received": 1526,
        "hotline_closed": 1526,
        "study_sessions": 6,
    },
    "department_late_2023": {"reconsideration_received": 0, "administrative_litigation": 0},
    "department_2020": {
        "publicity_events": 100,
        "enforcement_penalties": 1230,
        "disclosure_on_request": 15,
        "proposal_on_time_rate": 100,
    },
    "county_two_line_title_2016": {"power_list_items": 5210, "major_decisions": 9},
    "subdistrict_merged_2022": {"enforcement_penalties": 58, "mediation_cases": 326},
    "department_unit_below_title_2024": {
        "enforcement_inspections": 1260,
        "enforcement_penalties": 42,
        "emergency_drills": 95,
        "study_sessions": 4,
    },
    "province_department_2021": {
        "enforcement_penalties": 3218,
        "enforcement_publicized": 3218,
        "random_inspections": 16000,
        "normative_docs_reviewed": 14,
        "normative_docs_cleaned": 86,
        "normative_docs_filing_rate": 100,
        "reconsideration_received": 11,
        "administrative_litigation": 19,
        "npc_suggestions": 67,
        "cppcc_proposals": 82,
        "disclosure_proactive": 1865,
        "disclosure_on_request": 329,
    },
    "department_page_2021": {
        "reconsideration_received": 136,
        "reconsideration_accepted": 128,
        "legal_aid_cases": 862,
        "mediation_cases": 4520,
    },
}


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_key_indicators(analyzed, key):
    stated = stated_indicators(analyzed[key])
    for indicator, value in INDICATORS[key].items():
        assert stated.get(indicator) == value, indicator


def test_subjects_leave_out_the_heading_marker(analyzed):
    subjects = [f.subject for f in analyzed["department_2020"].facts]
    assert "普法宣传" in subjects
    assert not any(s.startswith(("(一)", "(二)", "(四)")) for s in subjects)


FINDINGS = {
    "province_2019": set(),
    "department_2017": {
        ("missing-part", None),
        ("arithmetic-mismatch", "1200件,调解成功1180件,调解成功率99.5%"),
    },
    "town_2023": set(),
    "department_late_2023": {
        ("private-info", "13812345678"),
        ("late-report", "长河市交通运输局\n2024年3月15日"),
    },
    "city_2022": {
        ("outdated-reference", "法治政府建设实施纲要(2015-2020年)"),
        ("outdated-reference", "《东湖市法治政府建设规划(2016-2020年)》"),
    },
    "county_one_line_2021": set(),
    "department_2020": set(),
    "department_page_2021": set(),
    "province_department_2021": set(),
    "county_two_line_title_2016": set(),
    "subdistrict_merged_2022": set(),
    "department_unit_below_title_2024": set(),
}


@pytest.mark.parametrize("key", sorted(FINDINGS))
def test_findings(analyzed, key):
    assert findings_with_text(analyzed[key]) == FINDINGS[key]


def test_page_furniture_is_gone(analyzed):
    text = analyzed["department_page_2021"].text
    for furniture in ("无障碍", "当前位置", "浏览次数", "分享到", "扫一扫", "ICP", "上一篇"):
        assert furniture not in text
    assert text.startswith("北湖区司法局2021年法治政府建设年度报告\n")


def test_reductions_are_not_the_catalogue(analyzed):
    # "取消和调整行政审批事项47项" counts what was cut, not what is offered.
    assert "gov_service_items" not in analyzed["county_two_line_title_2016"].indicators


def test_one_section_for_shortcomings_and_plan(analyzed):
    parts = analyzed["subdistrict_merged_2022"].parts
    assert parts["shortcomings"].present and parts["next_year"].present
    # The first-responsible duty is a subsection of the measures.
    assert parts["first_responsible"].sections == ["s2"]
