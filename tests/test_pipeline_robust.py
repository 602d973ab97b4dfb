"""Any text through the whole pipeline: no exception, every offset inside the text.

The alphabet is what report structure is made of (numerals, markers, brackets,
units, line breaks), so that the generator reaches headings, enumerations,
dates and facts rather than random ideographs.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import analyze_text

PIECES = [
    *"一二三四五六七八九十百千万亿两零〇0123456789.%、,。;:()《》“”【】\n ",
    "是",
    "年",
    "月",
    "日",
    "件",
    "次",
    "余",
    "近",
    "其中",
    "受理",
    "办结",
    "率",
    "审结",
    "维持",
    "撤销",
    "复议",
    "信访",
    "热线",
    "无",
    "案件",
    "第",
    "届",
    "存在",
    "问题",
    "下一步",
    "第一责任人",
    "主要负责人",
    "法治政府建设",
    "年度报告",
    "人民政府",
    "局",
    "13812345678",
    "身份证",
    "为为",
    "报告如下",
    "纲要(2015-2020年)",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_any_text_analyses_with_offsets_inside_it(text: str) -> None:
    doc = analyze_text(text)
    n = len(doc.text)
    contract = json.loads(json.dumps(doc.to_json(), ensure_ascii=False))
    assert 0 <= contract["score"]["total"] <= 100
    for section in doc.sections:
        assert 0 <= section.start <= section.end <= n
    for fact in doc.facts:
        assert 0 <= fact.start < fact.end <= n
        assert doc.text[fact.start : fact.end] == fact.text
    for finding in doc.findings:
        if finding.start is not None:
            assert 0 <= finding.start <= finding.end <= n
