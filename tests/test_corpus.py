"""Shared passages across reports (fazhi.corpus) and the copy-paste rule."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from fazhi import corpus
from fazhi.compare import compare
from fazhi.corpus import CopyGroup, find_copy_groups, find_shared_passages
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


def test_lsh_shapes_kept_here_are_those_datasketch_chooses() -> None:
    for threshold, shape in corpus.LSH_SHAPES.items():
        lsh = MinHashLSH(threshold=threshold, num_perm=corpus.NUM_PERM, weights=corpus.LSH_WEIGHTS)
        assert (lsh.b, lsh.r) == shape


def test_rejects_bad_arguments() -> None:
    for find in (find_shared_passages, find_copy_groups):
        with pytest.raises(ValueError):
            find(["甲"], min_chars=3)
        with pytest.raises(ValueError):
            find(["甲", "乙"], same_unit=["甲镇"])


# -- copy groups ----------------------------------------------------------------

# A second paragraph of its own, for reports that copy two.
SECOND = filler(900, 3)


def copies(group: CopyGroup, texts: list[str]) -> list[tuple[int, str]]:
    return [(p.doc, texts[p.doc][p.start : p.end]) for p in group.members]


def test_passage_in_three_reports_is_one_group_naming_all_three() -> None:
    first, third = edited(SHARED, (40,)), edited(SHARED, (20, 150))
    texts = [report(50, first), report(51), report(52, "本镇另有说明。", SHARED), report(53, third)]
    [group] = find_copy_groups(texts)
    assert copies(group, texts) == [(0, first), (2, SHARED), (3, third)]
    assert group.partners == ((1, 2), (0, 2), (0, 1))


def test_distinct_reports_give_no_group() -> None:
    assert find_copy_groups([report(seed) for seed in range(6)]) == []
    short = "全年共办理行政复议案件十二件。"
    assert find_copy_groups([report(5, short), report(6, short)]) == []
    text = report(20, SHARED, "中间另有一段说明文字。", SHARED)
    assert find_copy_groups([text, report(21)]) == []


def test_two_reports_make_the_group_of_their_pair() -> None:
    paragraph = "本年度重点抓好以下工作,成效明显。" + SHARED + "下一步将继续努力,确保取得实效。"
    for texts in (
        [report(1, SHARED), report(2, "本镇另有说明。", edited(SHARED, (20, 95, 150)))],
        [report(3, SHARED), report(4, paragraph)],
    ):
        [pair] = find_shared_passages(texts)
        [group] = find_copy_groups(texts)
        assert group.members == (pair.a, pair.b)
        assert group.partners == ((1,), (0,))


def test_a_chain_names_only_the_reports_that_share_text() -> None:
    # 甲 took one paragraph from 乙 and the next from 丙; 乙 and 丙 share nothing.
    texts = [report(60, SHARED, SECOND), report(61, SHARED), report(62, SECOND)]
    [group] = find_copy_groups(texts)
    assert copies(group, texts) == [(0, SHARED + "\n" + SECOND), (1, SHARED), (2, SECOND)]
    assert group.partners == ((1, 2), (0,), (0,))


def test_separate_passages_are_separate_groups() -> None:
    texts = [report(63, SHARED), report(64, SHARED, "另有说明。" * 20, SECOND), report(65, SECOND)]
    groups = find_copy_groups(texts)
    assert [copies(g, texts) for g in groups] == [
        [(0, SHARED), (1, SHARED)],
        [(1, SECOND), (2, SECOND)],
    ]


def test_group_in_many_reports_is_common_wording() -> None:
    texts = [report(seed, SLOGAN) for seed in range(10, 18)]
    texts[3] = report(13, SLOGAN, SHARED)
    texts[6] = report(16, SHARED, SLOGAN)
    [group] = find_copy_groups(texts)
    assert copies(group, texts) == [(3, SHARED), (6, SHARED)]
    [group] = find_copy_groups(texts, common_docs=10)  # the slogan counts too
    assert [p.doc for p in group.members] == list(range(8))


def test_reports_of_one_unit_are_not_partners() -> None:
    texts = [report(22, SHARED), report(23, SHARED), report(24, SHARED)]
    [group] = find_copy_groups(texts, same_unit=["甲镇", "甲镇", None])
    assert group.partners == ((2,), (2,), (0, 1))
    assert find_copy_groups(texts[:2], same_unit=["甲镇", "甲镇"]) == []


def test_sibling_units_copying_one_report_make_one_group_per_passage() -> None:
    model = report(70, SHARED, SECOND)
    units = [f"{a}{b}镇" for a in "东南西北中" for b in "山水田林"]
    texts = [model.replace("单位70", unit) for unit in units]
    [group] = find_copy_groups(texts, common_docs=len(texts))
    assert [p.doc for p in group.members] == list(range(len(texts)))
    assert all(len(partners) == len(texts) - 1 for partners in group.partners)


def test_process_pool_gives_the_same_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [report(seed, SHARED if seed % 4 == 0 else "") for seed in range(30, 42)]
    alone = find_copy_groups(texts, workers=1)
    monkeypatch.setattr(corpus, "_PARALLEL_CHARS", 0)
    assert find_copy_groups(texts, workers=2) == alone
    assert [[p.doc for p in g.members] for g in alone] == [[2, 6, 10]]


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


def test_copy_paste_rule_gives_each_report_one_finding_naming_the_others() -> None:
    names = ["甲镇.txt", "乙镇.txt", "丙镇.txt"]
    docs = [doc(name, report(80 + i, "说明。" * i, SHARED)) for i, name in enumerate(names)]
    for d, unit in zip(docs, ("甲镇", "乙镇", "丙镇"), strict=True):
        d.meta.unit = unit
    copy_paste.check_corpus(docs)

    for i, d in enumerate(docs):
        [finding] = d.findings
        assert d.text[finding.start : finding.end] == SHARED
        others = [names[j] for j in range(3) if j != i]
        assert all(f"《{name}》" in finding.message for name in others)
        assert finding.data is not None and finding.data["group"] == 1
        listed = finding.data["others"]
        assert [o["name"] for o in listed] == others
        for o in listed:
            other = docs[names.index(o["name"])]
            assert other.text[o["start"] : o["end"]] == SHARED
            assert o["line"] == other.line_col(o["start"])[0]
            assert o["unit"] == other.meta.unit


def test_copy_paste_message_names_three_and_counts_the_rest() -> None:
    docs = [doc(f"{i}.txt", report(90 + i, SHARED)) for i in range(5)]
    copy_paste.check_corpus(docs)
    [finding] = docs[0].findings
    assert "《1.txt》第6行、《2.txt》第6行、《3.txt》第6行等4份报告" in finding.message
    assert "《4.txt》" not in finding.message
    assert finding.data is not None and len(finding.data["others"]) == 4
    assert finding.to_json()["data"] == finding.data


def test_copy_paste_rule_finds_nothing_in_distinct_reports() -> None:
    docs = [doc(f"{i}.txt", report(100 + i)) for i in range(4)]
    copy_paste.check_corpus(docs)
    assert all(d.findings == [] for d in docs)


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
