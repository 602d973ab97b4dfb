"""Shared passages across reports (fazhi.corpus) and the copy-paste rule."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash

from fazhi import corpus
from fazhi.compare import compare
from fazhi.corpus import find_shared_passages
from fazhi.document import Document, Section, Source
from fazhi.rules import copy_paste

# Common characters of report prose; random sentences from them share no
# 5-grams by chance.
POOL = (
    "法治政府建设推进工作依法行政制度执法监督审查决策公开服务管理改革落实完善健全加强"
    "提升规范机制体系能力水平组织领导责任考核培训宣传教育群众企业社会经济发展安全环境"
    "信访调解复议诉讼案件事项清单平台系统数据信息网络基层街道社区乡镇部门单位人员干部"
)

SHARED = (
    "建立健全法律顾问制度,聘请专业律师担任政府法律顾问,全年法律顾问列席重要会议32次,"
    "出具法律意见书126份,审查各类合同协议87份。推行重大行政决策目录化管理,"
    "对涉及群众切身利益的事项全部开展风险评估和合法性审查,决策过程全程留痕。"
    "深化行政执法三项制度,执法全过程记录实现全覆盖,重大执法决定法制审核率达到100%。"
)

SLOGAN = (
    "坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻习近平法治思想,"
    "全面贯彻落实党中央国务院关于法治政府建设的决策部署。"
)


def filler(seed: int, sentences: int = 12) -> str:
    """Unrelated report prose: a paragraph of random sentences per line."""
    rng = random.Random(seed)
    lines = []
    for _ in range(sentences // 3):
        line = []
        for _ in range(3):
            clauses = ["".join(rng.choices(POOL, k=rng.randint(8, 16))) for _ in range(3)]
            line.append(",".join(clauses) + "。")
        lines.append("".join(line))
    return "\n".join(lines)


def report(seed: int, *middle: str) -> str:
    title = f"单位{seed}2022年法治政府建设年度报告"
    return "\n".join([title, filler(seed), *middle, filler(seed + 1000)])


def edited(text: str, positions: tuple[int, ...]) -> str:
    chars = list(text)
    for i in positions:
        chars[i] = "某"
    return "".join(chars)


def doc(name: str, text: str) -> Document:
    return Document(source=Source(name, "", "txt"), text=text)


def test_shared_paragraph_with_edits_is_one_passage_at_exact_offsets() -> None:
    copy = edited(SHARED, (20, 95, 150))
    texts = [report(1, SHARED), report(2, "本镇另有说明。", copy)]
    shared = find_shared_passages(texts)
    assert len(shared) == 1
    s = shared[0]
    assert (s.a.doc, s.b.doc) == (0, 1)
    assert texts[0][s.a.start : s.a.end] == SHARED
    assert texts[1][s.b.start : s.b.end] == copy
    assert 0.7 < s.similarity < 1.0


def test_copy_inside_a_longer_paragraph_is_found_with_its_own_offsets() -> None:
    # The copied sentences sit in the middle of other text on the same line.
    paragraph = "本年度重点抓好以下工作,成效明显。" + SHARED + "下一步将继续努力,确保取得实效。"
    texts = [report(3, SHARED), report(4, paragraph)]
    [s] = find_shared_passages(texts)
    assert texts[1][s.b.start : s.b.end] == SHARED
    assert s.similarity == 1.0


def test_unrelated_reports_do_not_match() -> None:
    texts = [report(seed) for seed in range(6)]
    assert find_shared_passages(texts) == []


def test_short_shared_sentence_is_below_min_chars() -> None:
    short = "全年共办理行政复议案件十二件。"
    assert find_shared_passages([report(5, short), report(6, short)]) == []


def test_passage_in_many_reports_is_common_wording() -> None:
    texts = [report(seed, SLOGAN) for seed in range(10, 18)]
    texts[3] = report(13, SLOGAN, SHARED)
    texts[6] = report(16, SHARED, SLOGAN)
    shared = find_shared_passages(texts)
    # Only the paragraph two reports share; the slogan is in eight (> 5).
    assert [(s.a.doc, s.b.doc) for s in shared] == [(3, 6)]
    assert texts[3][shared[0].a.start : shared[0].a.end] == SHARED
    # With a higher cut-off the slogan counts as copying: all 28 pairs.
    pairs = {(s.a.doc, s.b.doc) for s in find_shared_passages(texts, common_docs=10)}
    assert len(pairs) == 28


def test_a_report_never_matches_itself() -> None:
    text = report(20, SHARED, "中间另有一段说明文字。", SHARED)
    assert find_shared_passages([text]) == []
    assert find_shared_passages([text, report(21)]) == []


def test_same_unit_reports_are_not_paired() -> None:
    texts = [report(22, SHARED), report(23, SHARED), report(24, SHARED)]
    shared = find_shared_passages(texts, same_unit=["甲镇", "甲镇", None])
    assert [(s.a.doc, s.b.doc) for s in shared] == [(0, 2), (1, 2)]


def test_process_pool_gives_the_same_passages(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [report(seed, SHARED if seed % 4 == 0 else "") for seed in range(30, 42)]
    alone = find_shared_passages(texts, workers=1)
    monkeypatch.setattr(corpus, "_PARALLEL_CHARS", 0)
    assert find_shared_passages(texts, workers=2) == alone
    assert len(alone) == 3  # reports 30, 34 and 38


def test_sentence_minhash_is_datasketch_affine32() -> None:
    hashes = corpus.shingle_hashes("建立健全法律顾问制度,聘请专业律师担任政府法律顾问。")
    p = corpus._params(50, 0.8)
    ours = corpus._signatures(hashes, np.array([0]), p)[:, 0]
    theirs = MinHash(
        num_perm=corpus.NUM_PERM, seed=corpus.SEED, scheme="affine32", hashfunc=lambda h: h
    )
    theirs.update_batch(hashes.tolist())
    assert np.array_equal(ours, theirs.hashvalues)


def test_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        find_shared_passages(["甲"], min_chars=3)
    with pytest.raises(ValueError):
        find_shared_passages(["甲", "乙"], same_unit=["甲镇"])


def test_copy_paste_rule_marks_both_reports() -> None:
    copy = edited(SHARED, (40,))
    a = doc("清溪镇2022.txt", report(30, SHARED))
    b = doc("松山湖2022.txt", report(31, "本镇另有说明。", copy))
    a.sections = [Section("s1", None, "一、", "主要举措", 0, len(a.text), 1, 0)]
    other_doc = doc("无关.txt", report(32))
    copy_paste.check_corpus([a, other_doc, b])

    assert other_doc.findings == []
    [fa] = a.findings
    [fb] = b.findings
    start_a, start_b = a.text.index(SHARED), b.text.index(copy)
    assert (fa.start, fa.end) == (start_a, start_a + len(SHARED))
    assert (fb.start, fb.end) == (start_b, start_b + len(copy))
    assert fa.rule == fb.rule == "copy-paste"
    assert fa.section == "s1" and fb.section is None
    line_b, line_a = b.line_col(start_b)[0], a.line_col(start_a)[0]
    assert f"《松山湖2022.txt》第{line_b}行" in fa.message
    assert f"《清溪镇2022.txt》第{line_a}行" in fb.message
    assert f"{len(SHARED)}字" in fa.message
    assert SHARED[:10] in fa.message


def test_copy_paste_rule_skips_two_files_of_one_report() -> None:
    a = doc("报告.docx", report(33, SHARED))
    b = doc("报告.pdf", report(33, SHARED))
    for d in (a, b):
        d.meta.unit, d.meta.year = "清溪镇", 2022
    copy_paste.check_corpus([a, b])
    assert a.findings == [] and b.findings == []
    b.meta.year = 2023  # the next year's report reusing the paragraph is copying
    copy_paste.check_corpus([a, b])
    assert len(a.findings) == 1 and len(b.findings) == 1


def test_compare_names_both_files(tmp_path: Path) -> None:
    copy = edited(SHARED, (60,))
    (tmp_path / "甲.txt").write_text(report(40, SHARED), encoding="utf-8")
    (tmp_path / "乙.txt").write_text(report(41, "另有说明。", copy), encoding="utf-8")
    (tmp_path / "空.txt").write_bytes(b"")
    paths = [tmp_path / "甲.txt", tmp_path / "空.txt", tmp_path / "乙.txt"]
    [m] = compare(paths)
    assert (m["a"]["name"], m["b"]["name"]) == ("甲.txt", "乙.txt")
    assert m["a"]["text"] == SHARED and m["b"]["text"] == copy
    assert m["chars"] == len(SHARED)
    assert m["a"]["line"] == 6 and m["b"]["line"] == 7  # title, four filler lines
