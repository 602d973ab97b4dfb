from __future__ import annotations

from collections.abc import Callable

import pytest

from fazhi.document import Document
from fazhi.rules import duplicate_sentence

Make = Callable[[str], Document]

FIGURES = "完成食品抽检1166批次、食品快检36714批次,查处各类食品安全违法案件74宗"


def flagged(doc: Document) -> list[str]:
    return [doc.text[f.start : f.end] for f in duplicate_sentence.check(doc) if f.start is not None]


def test_sentence_stated_twice_reports_later_copy_with_first_line(doc: Make) -> None:
    sentence = "建立规范性文件审查清理长效机制,清理结果及时向社会公布"
    d = doc(f"一、总体情况\n{sentence}。今年清理文件1件。\n二、存在问题\n{sentence}。")
    (finding,) = duplicate_sentence.check(d)
    assert finding.start == d.text.rindex(sentence)
    assert d.text[finding.start : finding.end] == sentence
    assert finding.message == (
        "“建立规范性文件审查清理长效机制,清理结果及时向社会公布”在报告中重复出现（另见第2行）。"
    )


def test_sentence_repeated_back_to_back_ignores_spaces_and_end_marks(doc: Make) -> None:
    d = doc("加强普法宣传,强化基层干部法治思维。加强普法宣传, 强化基层干部法治思维;")
    assert flagged(d) == ["加强普法宣传, 强化基层干部法治思维"]


def test_clause_run_inside_longer_sentences_is_reported_once(doc: Make) -> None:
    d = doc(
        f"共办理各类登记业务19495宗,发放食品经营许可证1785张,{FIGURES};"
        f"发放药品经营许可证52张,小作坊登记证3家,{FIGURES};办理简易注销420户。"
    )
    (finding,) = duplicate_sentence.check(d)
    assert finding.start == d.text.rindex(FIGURES)
    assert d.text[finding.start : finding.end] == FIGURES
    assert "“完成食品抽检1166批次、食品快检36714批次,查处各类食…”" in finding.message


def test_longest_run_is_reported(doc: Make) -> None:
    run = "组建人民调解委员会84个,覆盖全部村居,建立检调对接机制,办理调解案件5656宗"
    d = doc(f"一是{run},成效明显。\n二是推进诉源治理,{run}。")
    assert flagged(d) == [run]


@pytest.mark.parametrize(
    "text",
    [
        # headings reused in next year's plan
        "(一)加强党对法治政府建设的领导,完善推进机制\n内容一。\n"
        "(一)加强党对法治政府建设的领导,完善推进机制\n内容二。",
        # a heading line restated as a sentence
        "深入推进严格规范公正文明执法工作\n内容一。\n我们将深入推进严格规范公正文明执法工作。",
        # short sentences and single clauses
        "提案全部按时办结。其他内容。提案全部按时办结。",
        "一是建立专家咨询库,规范听证制度。二是建立专家咨询库,重大行政决策风险评估率达到100%。",
        # political framing restated in the plan
        "坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的二十大精神,"
        "深入学习贯彻习近平法治思想,推进各项工作。"
        "2023年,我们将坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的二十大精神,"
        "深入学习贯彻习近平法治思想,推动高质量发展。",
        # a run repeated back to back is duplicate-phrase's finding
        "全面推进行政执法三项制度,加强执法监督检查,全面推进行政执法三项制度,加强执法监督检查。",
    ],
)
def test_not_flagged(doc: Make, text: str) -> None:
    assert flagged(doc(text)) == []


def test_title_and_signature_are_not_body_sentences(doc: Make) -> None:
    title = "某某市司法局2022年法治政府建设年度报告"
    d = doc(f"{title}\n正文内容。\n{title}\n某某市司法局2023年1月31日")
    d.meta.title_span = (0, len(title))
    d.meta.closing_start = d.text.rindex("某某市司法局2023")
    assert flagged(d) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000", []),
        ("001", []),
        ("002", [FIGURES]),
        ("003", []),
        ("004", ["加强普法宣传,强化基层干部法治思维"]),
    ],
)
def test_seed_reports(seed: Callable[[str], Document], name: str, expected: list[str]) -> None:
    d = seed(name)
    assert flagged(d) == expected
    for finding in duplicate_sentence.check(d):
        assert finding.start is not None
        # the later copy is the one reported
        assert finding.start == d.text.rindex(expected[0])
        assert d.text.index(expected[0]) < finding.start
