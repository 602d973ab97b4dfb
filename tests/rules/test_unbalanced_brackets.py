from __future__ import annotations

from collections.abc import Callable

import pytest

from fazhi.document import Document
from fazhi.rules import unbalanced_brackets

Make = Callable[[str], Document]


def flagged(doc: Document) -> list[tuple[int, str]]:
    return [
        (f.start, doc.text[f.start : f.end])
        for f in unbalanced_brackets.check(doc)
        if f.start is not None
    ]


def test_unclosed_book_title_mark(doc: Make) -> None:
    d = doc("制定《法治政府建设示范创建工作实施方案等文件,将法治政府建设与改革同部署。")
    (finding,) = unbalanced_brackets.check(d)
    assert (finding.start, finding.end) == (2, 3)
    assert finding.message == "左书名号《缺少配对的右书名号》。"


def test_closing_quote_without_opening(doc: Make) -> None:
    d = doc("依托互联网+政务”交流平台,发挥“两微一端”引领带动作用")
    (finding,) = unbalanced_brackets.check(d)
    assert d.text[finding.start : finding.end] == "”"
    assert finding.start == d.text.index("”")
    assert finding.message == "右双引号”缺少配对的左双引号“。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # full-width bracket, reported with its full-width partner
        ("执法装备178套（不含公安,确保执法过程公平公正", [(8, "（")]),
        # an opener left inside a closed pair
        ("印发《关于“放管服改革的通知》", [(5, "“")]),
        # each stray mark is reported in its own paragraph
        ("落实《条例》》要求\n开展“法律进社区“活动", [(6, "》"), (12, "“"), (18, "“")]),
        ("【字体:大 中 小", [(0, "【")]),
    ],
)
def test_unmatched_marks(doc: Make, text: str, expected: list[tuple[int, str]]) -> None:
    assert flagged(doc(text)) == expected


def test_full_width_message(doc: Make) -> None:
    (finding,) = unbalanced_brackets.check(doc("执法装备178套（不含公安"))
    assert finding.message == "左括号（缺少配对的右括号）。"


@pytest.mark.parametrize(
    "text",
    [
        "印发《关于南雄贯彻落实〈法治韶关建设规划(2021-2025年)〉实施意见》",
        "“松山湖惩治涉黑涉恶腐败和‘保护伞’”宣传画、【字体:大 中 小】",
        "对标《法治政府建设实施纲要（2021-2025年)》的要求",
        "1)加强组织领导;2)完善制度建设;二)强化监督",
        "北京德恒(银川)律师事务所,雄法治办〔2022〕17号",
    ],
)
def test_balanced_text_is_not_flagged(doc: Make, text: str) -> None:
    assert flagged(doc(text)) == []


def test_signature_after_body_end_is_not_checked(doc: Make) -> None:
    d = doc("依法行政。\n(盖章\n2023年1月31日")
    d.meta.closing_start = d.text.index("(")
    assert flagged(d) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000", []),
        ("001", ["《法治政府建设示范", "”交流平台", "》,严格决策程序"]),
        ("002", []),
        ("003", []),
        ("004", []),
    ],
)
def test_seed_reports(seed: Callable[[str], Document], name: str, expected: list[str]) -> None:
    d = seed(name)
    starts = [start for start, _ in flagged(d)]
    assert len(starts) == len(expected)
    for start, text in zip(starts, expected, strict=True):
        assert d.text[start : start + len(text)] == text
