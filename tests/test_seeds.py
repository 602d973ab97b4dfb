"""The five real reports: metadata, parts, key indicators and their real defects."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.document import Document
from fazhi.pipeline import analyze_path
from tests.conftest import findings_with_text, stated_indicators


@pytest.fixture(scope="module")
def analyzed(seeds) -> dict[str, Document]:
    return {key: analyze_path(path) for key, path in seeds.items()}


META = {
    "000": {
        "title": "松山湖2020年法治政府建设的年度报告",
        "unit": "东莞松山湖高新区管委会",
        "level": "zone",
        "year": 2020,
        "date": "2021-01-28",
        "region": "东莞松山湖高新区",
        "script": "simplified",
    },
    "001": {
        "title": "金凤区2020年度法治政府建设情况报告",
        "unit": "金凤区",
        "level": "county",
        "year": 2020,
        "date": "2021-02-26",
        "region": "银川市金凤区",
        "script": "simplified",
    },
    "002": {
        "title": "清溪镇2021年法治政府建设年度报告",
        "unit": "东莞市清溪镇人民政府",
        "level": "town",
        "year": 2021,
        "date": "2022-01-21",
        "region": "东莞市清溪镇",
        "script": "simplified",
    },
    "003": {
        "title": None,
        "unit": "东莞市司法局",
        "level": "department",
        "year": 2020,
        "date": "2021-01-29",
        "region": "东莞市",
        "script": "simplified",
    },
    "004": {
        "title": None,
        "unit": "南雄市政务服务和数据管理局",
        "level": "department",
        "year": 2022,
        "date": "2023-01-31",
        "region": "南雄市",
        "script": "simplified",
    },
}


@pytest.mark.parametrize("key", sorted(META))
def test_metadata(analyzed, key):
    assert analyzed[key].to_json()["meta"] == META[key]


@pytest.mark.parametrize("key", sorted(META))
def test_required_parts_present_and_other_absent(analyzed, key):
    parts = analyzed[key].to_json()["parts"]
    for part in ("measures", "shortcomings", "first_responsible", "next_year"):
        assert parts[part]["present"], part
        assert parts[part]["chars"] > 0
    assert parts["other"] == {"present": False, "sections": [], "chars": 0}


def test_town_states_shortcomings_and_plan_inside_its_last_section(analyzed):
    doc = analyzed["002"]
    last = doc.sections[-1].id
    assert doc.parts["shortcomings"].sections == [last]
    assert doc.parts["next_year"].sections == [last]
    (plan,) = doc.parts["next_year"].passages
    assert doc.text[plan[0] :].startswith("针对存在问题,我镇2022年将重点做好以下工作")


def test_one_line_report_gets_its_heading_tree(analyzed):
    doc = analyzed["003"]
    top = [s for s in doc.sections if s.parent is None]
    assert [(s.marker, s.title) for s in top] == [
        ("一、", "2020年主要工作成效"),
        ("二、", "存在问题和下一步工作思路"),
    ]
    assert [s.marker for s in doc.sections if s.parent == top[0].id] == [
        "(一)",
        "(二)",
        "(三)",
        "(四)",
        "(五)",
        "(六)",
    ]
    assert doc.parts["shortcomings"].sections == [top[1].id]
    assert top[1].id in doc.parts["next_year"].sections


def test_headings_map_to_parts(analyzed):
    doc = analyzed["004"]
    by_title = {s.title: s.part for s in doc.sections if s.parent is None}
    assert by_title["加强党的领导,全面落实法治建设第一责任人职责"] == "first_responsible"
    assert by_title["2022年度推进法治政府建设的主要举措和成效"] == "measures"
    assert by_title["推进法治政府建设中存在的不足"] == "shortcomings"
    assert by_title["下一年度推进法治政府建设的主要安排"] == "next_year"


INDICATORS = {
    "000": {
        "hotline_received": 3134,
        "hotline_closed": 3019,
        "petitions_received": 728,
        "petitions_resolution_rate": Decimal("98.1"),
        "enforcement_publicized": 7000,
        "enforcement_certificates": 69,
        "disclosure_proactive": 484,
        "disclosure_on_request": 14,
        "npc_suggestions": 1,
        "cppcc_proposals": 16,
        "normative_docs_cleaned": 42,
    },
    "001": {
        "gov_service_items": 660,
        "random_inspections": 3000,
        "normative_docs_issued": 3,
        "normative_docs_cleaned": 1,
        "normative_docs_filing_rate": 100,
        "head_appearance_rate": 100,
        "law_exam_participants": 2167,
        "study_sessions": 960,
    },
    "002": {
        "study_sessions": 7,
        "power_list_items": 2471,
        "normative_docs_reviewed": 6,
        "legality_reviews": 2,
        "legal_advisor_opinions": 764,
        "enforcement_legal_reviews": 19,
        "reconsideration_received": 0,
        "administrative_litigation": 4,
        "petitions_received": 541,
        "petitions_resolved": 118,
        "petitions_resolution_rate": 100,
        "mediation_cases": 5656,
    },
    "003": {
        "legality_reviews": 800,
        "power_list_items": 60,
        "normative_docs_issued": 28,
        "normative_docs_reviewed": 86,
        "normative_docs_filed": 149,
        "proposal_on_time_rate": 100,
    },
    "004": {
        "shufa_units": 54,
        "gov_service_items": 1628,
        "online_service_rate": Decimal("99.16"),
        "normative_docs_issued": 3,
        "normative_docs_reviewed": 3,
        "major_decisions": 4,
        "enforcement_inspections": 3597,
        "enforcement_penalties": 197,
        "enforcement_coercive": 22,
        "reconsideration_received": 40,
        "reconsideration_accepted": 36,
        "npc_suggestions": 133,
        "cppcc_proposals": 49,
        "proposal_on_time_rate": 100,
        "emergency_drills": 95,
        "publicity_events": 60,
    },
}


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_key_indicators(analyzed, key):
    stated = stated_indicators(analyzed[key])
    for indicator, value in INDICATORS[key].items():
        assert stated.get(indicator) == value, indicator


def test_indicators_point_at_their_facts(analyzed):
    for doc in analyzed.values():
        out = doc.to_json()
        for entry in out["indicators"].values():
            fact = out["facts"][entry["fact"]]
            assert fact["value"] == entry["value"]
            assert out["text"][fact["start"] : fact["end"]] == fact["text"]


# The writing defects a careful reader finds in the seeds: (rule, flagged text).
DEFECTS = {
    "000": {("nonstandard-title", "松山湖2020年法治政府建设的年度报告"), ("repeated-char", "为为")},
    "001": {
        ("unbalanced-brackets", "《"),
        ("unbalanced-brackets", "》"),
        ("unbalanced-brackets", "”"),
        ("enumeration-gap", "是"),
        ("enumeration-gap", "三是"),
        ("enumeration-gap", "五是"),
        ("duplicate-phrase", "建立政府法律顾问团"),
    },
    "002": {
        (
            "duplicate-sentence",
            "完成食品抽检1166批次、食品快检36714批次,查处各类食品安全违法案件74宗",
        ),
        ("arithmetic-mismatch", "30953宗,已处理案件30827宗,待处理案件124宗"),
    },
    "003": {("missing-title", None)},
    "004": {("missing-title", None), ("duplicate-sentence", "加强普法宣传,强化基层干部法治思维")},
}


@pytest.mark.parametrize("key", sorted(DEFECTS))
def test_real_writing_defects_and_nothing_else(analyzed, key):
    assert findings_with_text(analyzed[key]) == DEFECTS[key]


@pytest.mark.parametrize(
    ("key", "removed"),
    [("000", 4), ("001", 3), ("002", 4), ("003", 0), ("004", 0)],
)
def test_page_furniture_is_removed_and_reported(analyzed, key, removed):
    doc = analyzed[key]
    furniture = [f for f in doc.findings if f.rule == "boilerplate"]
    assert len(furniture) == removed
    for marker in ("本站已启用无障碍浏览系统", "扫一扫在手机打开当前页", "字体", "分享到"):
        assert marker not in doc.text


def test_findings_carry_sections_and_offsets(analyzed):
    doc = analyzed["001"]
    gap = next(f for f in doc.findings if f.rule == "enumeration-gap" and f.start is not None)
    section = next(s for s in doc.sections if s.id == gap.section)
    assert section.start <= gap.start < section.end


@pytest.mark.parametrize("key", sorted(META))
def test_score_is_explained(analyzed, key):
    score = analyzed[key].to_json()["score"]
    assert 0 <= score["total"] <= 100
    criteria = score["criteria"]
    assert set(criteria) == {
        "on_time",
        "parts",
        "concreteness",
        "shortcomings_depth",
        "next_year_plan",
        "writing",
    }
    assert sum(c["max"] for c in criteria.values()) == 100
    assert round(sum(c["score"] for c in criteria.values()), 1) == score["total"]
    assert all(c["why"] and c["label"] for c in criteria.values())
