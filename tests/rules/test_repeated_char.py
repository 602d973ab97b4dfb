from __future__ import annotations

from collections.abc import Callable

import pytest

from fazhi import data
from fazhi.document import Document
from fazhi.rules import repeated_char

Make = Callable[[str], Document]


def flagged(doc: Document) -> list[str]:
    return [doc.text[f.start : f.end] for f in repeated_char.check(doc) if f.start is not None]


def test_doubled_character_is_flagged_with_context(doc: Make) -> None:
    d = doc("建立以法制科工作人员为为主体,外聘2名律师为补充")
    (finding,) = repeated_char.check(d)
    assert (finding.start, finding.end) == (10, 12)
    assert finding.rule == "repeated-char"
    assert finding.section is None
    assert "“为为”" in finding.message
    assert "工作人员为为主体" in finding.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("推进法治的的建设", ["的的"]),
        ("各项工作了了", ["了了"]),
        ("这是是我们的职责", ["是是"]),
        ("在在全市范围内开展", ["在在"]),
        ("政府和和企业共同参与", ["和和"]),
        ("法律顾问为为为主体", ["为为"]),  # a tripled character is one slip
    ],
)
def test_doubled_function_words_are_flagged(doc: Make, text: str, expected: list[str]) -> None:
    assert flagged(doc(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a character followed by a word that starts with it
        "以以案释法的方式开展宣讲",
        "为了了解群众需求",
        "实现目的的手段",
        "他的的确确是这样",
        # reduplicated words
        "人人参与,天天坚持,常常开展,年年开展,个个过硬,层层压实,处处留心,事事关心",
        "时时放心不下,一一对应,等等,谢谢,多多益善,渐渐形成,件件有落实,条条落实",
        "项项落实,步步推进,村村通,户户到,好好学习,刚刚完成,仅仅依靠,往往存在",
        "稍稍,略略,纷纷表示,频频发生,久久为功,高高在上,大大提高,小小的,满满的,默默奉献",
        "议一议,看看,聊聊天,张丽丽同志,一件件实事,不了了之",
        # AABB forms
        "家家户户,方方面面,切切实实,明明白白,清清楚楚,实实在在,扎扎实实,认认真真,点点滴滴",
        # numerals, digits, letters and punctuation
        "二〇二二年一月,2022年11月,AA级景区,……",
    ],
)
def test_legitimate_doubling_is_not_flagged(doc: Make, text: str) -> None:
    assert flagged(doc(text)) == []


def test_signature_after_body_end_is_not_checked(doc: Make) -> None:
    d = doc("依法行政。\n某某局局局长")
    d.meta.closing_start = d.text.index("某某")
    assert flagged(d) == []


def test_allow_list_holds_only_doubled_characters() -> None:
    table = data.load("repeated_char")
    assert all(len(w) == 2 and w[0] == w[1] for w in table["doubles"])
    assert len(set(table["doubles"])) == len(table["doubles"])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("000", ["为为"]), ("001", []), ("002", []), ("003", []), ("004", [])],
)
def test_seed_reports(seed: Callable[[str], Document], name: str, expected: list[str]) -> None:
    d = seed(name)
    assert flagged(d) == expected
    for finding in repeated_char.check(d):
        assert "以法制科工作人员为为主体" in finding.message


def test_doubled_preposition_the_dictionary_knows_is_still_a_slip(doc: Make) -> None:
    assert flagged(doc("加强对对执法人员的培训")) == ["对对"]
    assert flagged(doc("依法保护对对方当事人的合法权益")) == []
