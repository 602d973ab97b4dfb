from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.document import Document
from fazhi.rules import duplicate_phrase

Make = Callable[[str], Document]


def flagged(doc: Document) -> list[str]:
    return [doc.text[f.start : f.end] for f in duplicate_phrase.check(doc) if f.start is not None]


def test_clause_repeated_after_comma_reports_second_copy(doc: Make) -> None:
    d = doc("通过政府购买服务方式建立政府法律顾问团,建立政府法律顾问团,全程列席政府常务会议")
    (finding,) = duplicate_phrase.check(d)
    assert d.text[finding.start : finding.end] == "建立政府法律顾问团"
    assert finding.start == d.text.rindex("建立政府法律顾问团")
    assert finding.message == "“建立政府法律顾问团”连续重复出现。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("开展法治宣传法治宣传活动", ["法治宣传"]),
        ("市场监管局、市场监管局、税务局联合检查", ["市场监管局"]),
        ("加强普法宣传,加强普法宣传工作", ["加强普法宣传"]),
        ("全面推进,强化落实,全面推进,强化落实,确保实效", ["全面推进,强化落实"]),
    ],
)
def test_back_to_back_repeats_are_flagged(doc: Make, text: str, expected: list[str]) -> None:
    assert flagged(doc(text)) == expected


def test_long_phrase_snippet_is_truncated(doc: Make) -> None:
    phrase = "严格落实重大行政决策公众参与专家论证风险评估合法性审查和集体讨论决定程序"
    (finding,) = duplicate_phrase.check(doc(f"{phrase},{phrase}。"))
    assert finding.message == f"“{phrase[:30]}…”连续重复出现。"


@pytest.mark.parametrize(
    "text",
    [
        # parallel phrasing is not a repeat
        "将法治政府建设与改革、发展、稳定等工作同部署、同落实、同考核",
        # chained clauses (顶真): the second copy starts a new clause
        "合理配置外聘法律顾问三支队伍,三支队伍各尽其责",
        # a whole sentence twice is duplicate-sentence's finding
        "加强普法宣传,强化基层干部法治思维。加强普法宣传,强化基层干部法治思维。",
        # too short, or not enough Chinese, or a saying in quotes
        "“研究研究”,一对一、一对一,2020年、2020年",
        # the same phrase twice, but not back to back
        "建立政府法律顾问团,全程列席会议,建立政府法律顾问团制度",
    ],
)
def test_not_flagged(doc: Make, text: str) -> None:
    assert flagged(doc(text)) == []


def test_signature_after_body_end_is_not_checked(doc: Make) -> None:
    d = doc("依法行政。\n东莞市司法局东莞市司法局")
    d.meta.closing_start = d.text.index("东莞")
    assert flagged(d) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [("000", []), ("001", ["建立政府法律顾问团"]), ("002", []), ("003", []), ("004", [])],
)
def test_seed_reports(seed: Callable[[str], Document], name: str, expected: list[str]) -> None:
    d = seed(name)
    assert flagged(d) == expected
    for finding in duplicate_phrase.check(d):
        assert finding.start is not None
        assert d.text[finding.start - 10 : finding.start] == "建立政府法律顾问团,"


@given(
    st.lists(
        st.sampled_from(["建立", "政府", "法律", "顾问团", ",", "、", "。", "依法", "行政", "12"]),
        max_size=60,
    )
)
def test_fast_search_equals_plain_regex(pieces):
    from fazhi.rules.duplicate_phrase import REPEAT, _repeats

    text = "".join(pieces)
    assert [m.span() for m in _repeats(text)] == [m.span() for m in REPEAT.finditer(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推进行政复议规范化建设,复议复议决定书全部公开", ["复议"]),
        ("大力推进推进依法行政", ["推进"]),
        ("一步一步推进依法行政", []),
        ("让群众天天感受到法治温暖", []),
    ],
)
def test_two_character_word_typed_twice(doc: Make, text: str, expected: list[str]) -> None:
    assert flagged(doc(text)) == expected
