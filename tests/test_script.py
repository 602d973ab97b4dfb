"""Traditional-script (繁體) reports are analysed as their simplified form.

The traditional copies are made here with OpenCC from the seeds, in the three
forms portals serve (OpenCC standard, Taiwan, Hong Kong); each must give the
simplified seed's analysis, with the text and every offset as written.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import opencc
import pytest

from fazhi.load import load_bytes
from fazhi.pipeline import analyze_bytes, analyze_path, read_up_to_meta, run
from fazhi.stages import script
from tests.conftest import analyze_text, stated_indicators

CONFIGS = ("s2t", "s2tw", "s2hk")


@cache
def _cc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def convert(config: str, text: str) -> str:
    return str(_cc(config).convert(text))


@pytest.fixture(scope="module")
def simplified(seeds: dict[str, Path]) -> dict[str, dict[str, Any]]:
    return {key: analyze_path(path).to_json() for key, path in seeds.items()}


@pytest.fixture(scope="module")
def traditional(seeds: dict[str, Path]) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for key, path in seeds.items():
        text = path.read_text(encoding="utf-8")
        for config in CONFIGS:
            copy = convert(config, text).encode("utf-8")
            out[key, config] = analyze_bytes(path.name, copy).to_json()
    return out


def written_meta(config: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The seed's meta for its traditional copy: names as written, labels as they are."""
    names = {k: convert(config, meta[k]) if meta[k] else None for k in ("title", "unit", "region")}
    return {**meta, **names, "script": "traditional"}


def _facts(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("start", "end", "value", "unit", "qualifier", "subject", "indicator")
    return [tuple(f[k] for k in keys) for f in result["facts"]]


def _findings(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (f["rule"], f["severity"], f["start"], f["end"], f["section"]) for f in result["findings"]
    ]


def _sections(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(s["id"], s["parent"], s["start"], s["end"], s["part"]) for s in result["sections"]]


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_traditional_copy_of_a_seed_is_analysed_as_the_seed(
    simplified: dict[str, dict[str, Any]],
    traditional: dict[tuple[str, str], dict[str, Any]],
    key: str,
    config: str,
) -> None:
    want, got = simplified[key], traditional[key, config]
    assert want["meta"]["script"] == "simplified"
    assert got["meta"] == written_meta(config, want["meta"])
    assert got["parts"] == want["parts"]
    assert got["indicators"] == want["indicators"]
    assert _facts(got) == _facts(want)
    assert _findings(got) == _findings(want)
    assert _sections(got) == _sections(want)
    assert got["score"]["total"] == want["score"]["total"]


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_traditional_text_and_offsets_are_as_written(
    simplified: dict[str, dict[str, Any]],
    traditional: dict[tuple[str, str], dict[str, Any]],
    key: str,
    config: str,
) -> None:
    want, got = simplified[key], traditional[key, config]
    text = got["text"]
    # The cleaned text is the seed's cleaned text in the traditional script,
    # character for character (page furniture taken out of both alike).
    assert text == convert(config, want["text"])
    assert len(text) == len(want["text"])
    for fact, seed_fact in zip(got["facts"], want["facts"], strict=True):
        assert fact["text"] == text[fact["start"] : fact["end"]]
        assert fact["text"] == convert(config, seed_fact["text"])
    for section, seed_section in zip(got["sections"], want["sections"], strict=True):
        assert section["title"] == convert(config, seed_section["title"])
        assert section["title"] in text[section["start"] : section["end"]]
    for finding, seed_finding in zip(got["findings"], want["findings"], strict=True):
        if finding["start"] is not None:
            span = slice(finding["start"], finding["end"])
            assert text[span] == convert(config, want["text"][span])
        assert finding["message"] == seed_finding["message"]


def test_traditional_copy_has_traditional_facts_and_a_simplified_seed_does_not(
    traditional: dict[tuple[str, str], dict[str, Any]],
) -> None:
    # Guards the two tests above against comparing a text with itself.
    texts = [f["text"] for f in traditional["004", "s2t"]["facts"]]
    assert any("項" in t or "個" in t or "萬" in t for t in texts)
    assert "项" not in "".join(texts)


# -- short phrases ---------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "indicator", "value", "fact_text", "unit"),
    [
        ("全年開展領導幹部專題學法12次。", "study_sessions", 12, "12次", "次"),
        ("政務服務事項網上可辦率達100%。", "online_service_rate", 100, "100%", "%"),
        ("公示行政執法信息1.2萬條。", "enforcement_publicized", 12000, "1.2萬條", "条"),
        ("梳理權責清單事項1200項。", "power_list_items", 1200, "1200項", "项"),
        ("辦理政協提案30個。", "cppcc_proposals", 30, "30個", "个"),
        ("開展普法宣傳活動120場次。", "publicity_events", 120, "120場次", "场次"),
    ],
)
def test_traditional_phrase_gives_fact_and_indicator(
    written: str, indicator: str, value: int, fact_text: str, unit: str
) -> None:
    doc = analyze_text(written)
    assert doc.meta.script == "traditional"
    assert doc.text == written
    assert stated_indicators(doc) == {indicator: Decimal(value)}
    fact = doc.facts[doc.indicators[indicator]]
    assert (fact.text, fact.unit) == (fact_text, unit)
    assert doc.text[fact.start : fact.end] == fact_text


def test_traditional_phrase_matches_its_simplified_form() -> None:
    written = "全年受理行政複議案件12件，化解矛盾糾紛356個，調解案件120宗。"
    plain = "全年受理行政复议案件12件，化解矛盾纠纷356个，调解案件120宗。"
    got, want = analyze_text(written), analyze_text(plain)
    assert (got.meta.script, want.meta.script) == ("traditional", "simplified")
    assert stated_indicators(got) == stated_indicators(want) != {}
    assert [(f.start, f.end, f.value) for f in got.facts] == [
        (f.start, f.end, f.value) for f in want.facts
    ]
    assert [f.text for f in got.facts] == ["12件", "356個", "120宗"]


def test_pinyin_a_mirror_wrote_after_characters_is_left_out() -> None:
    written = (
        "XX縣2024年法治政府建設(shè)年度報告\n發(fā)布日期:2025-01-20\n"
        "全年受理行政複(fù)議案件12件，辦理規(guī)範性文件備案5件。"
    )
    plain = "XX縣2024年法治政府建設年度報告\n發布日期:2025-01-20\n" + written.split("\n")[2]
    plain = plain.replace("(fù)", "").replace("(guī)", "")
    got, want = analyze_text(written), analyze_text(plain)
    assert got.text == want.text and "(" not in got.text
    assert got.meta == want.meta and got.meta.date == "2025-01-20"
    assert stated_indicators(got) == stated_indicators(want) != {}
    # Brackets holding other letters are the report's own words.
    assert "(pinyin)" in analyze_text("拼音(pinyin)的写法。全年受理案件12件。").text


def test_simplified_phrase_stays_simplified() -> None:
    doc = analyze_text("全年开展领导干部专题学法12次，网办率达100%。")
    assert doc.meta.script == "simplified"
    assert doc.to_json()["meta"]["script"] == "simplified"


def test_simplified_report_does_not_load_opencc(seeds: dict[str, Path]) -> None:
    script._converter.cache_clear()
    for path in seeds.values():
        assert script.detect(path.read_text(encoding="utf-8")) == "simplified"
    # The cheap GB2312 gate decided: simplified reports pay nothing for OpenCC.
    assert script._converter.cache_info().currsize == 0


# -- mixed pages -----------------------------------------------------------


def _paragraphs(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def test_simplified_report_quoting_traditional_names_stays_simplified(
    seeds: dict[str, Path], simplified: dict[str, dict[str, Any]]
) -> None:
    lines = _paragraphs(seeds["004"])
    # A few traditional characters in names and a quoted traditional title.
    lines.insert(3, "邀請香港律師鍾國強、台灣學者蕭麗華參加《法治社會建設實施綱要》座談。")
    doc = analyze_text("\n".join(lines))
    assert doc.meta.script == "simplified"
    assert doc.meta.unit == simplified["004"]["meta"]["unit"]


def test_simplified_report_with_a_traditional_paragraph_stays_simplified(
    seeds: dict[str, Path],
) -> None:
    lines = _paragraphs(seeds["002"])
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[longest] = convert("s2t", lines[longest])
    text = "\n".join(lines)
    # The gate opens (the paragraph is long), and the majority still decides.
    outside = len(text) - len(text.encode("gb2312", "ignore").decode("gb2312"))
    assert outside > 0.02 * len(text)
    assert script.detect(text) == "simplified"
    doc = analyze_text(text)
    assert doc.meta.script == "simplified"
    assert lines[longest].strip()[:40] in doc.text


def test_traditional_report_with_simplified_lines_is_traditional(
    seeds: dict[str, Path], simplified: dict[str, dict[str, Any]]
) -> None:
    lines = convert("s2tw", seeds["000"].read_text(encoding="utf-8")).split("\n")
    plain = _paragraphs(seeds["000"])
    # Officials retype a few paragraphs in the simplified script.
    for i in range(5, len(lines), 7):
        lines[i] = plain[i]
    doc = analyze_text("\n".join(lines))
    assert doc.meta.script == "traditional"
    assert stated_indicators(doc) == {
        k: Decimal(str(v["value"])) for k, v in simplified["000"]["indicators"].items()
    }


# -- the one-to-one view ---------------------------------------------------


def test_view_has_one_character_for_each_character() -> None:
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    converted = script._per_char("t2s", list(block))
    assert len(converted) == len(block)
    assert all(len(c) == 1 for c in converted)
    # It converted (the fallback keeps characters unchanged).
    assert dict(zip(block, converted, strict=True))["個"] == "个"
    view = script.to_simplified("乾淨的環境，乾隆年間「三項制度」\n發佈《規劃》")
    assert view == "干净的环境，乾隆年间“三项制度”\n发布《规划》"


def test_run_whose_phrase_changes_length_falls_back_to_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = script._converter

    class Lengthening:
        """A phrase table whose entry for 網辦 is longer than the phrase."""

        def __init__(self, config: str) -> None:
            self.inner = real(config)

        def convert(self, text: str) -> str:
            # Characters converted one by one never hold the phrase.
            return str(self.inner.convert(text)).replace("网办", "网上办理")

    monkeypatch.setattr(script, "_converter", Lengthening)
    written = "網辦率達到98%，開展學法12次"
    view = script.to_simplified(written)
    assert view == "网办率达到98%，开展学法12次"
    assert len(view) == len(written)


def test_written_lines_follow_dropped_and_trimmed_lines() -> None:
    written = "標題\n來源：某局\n第一行內容\n分享：第二行"
    view = "标题\n来源：某局\n第一行内容\n分享：第二行"
    final = "标题\n第一行内容\n第二行"
    assert script._written_lines(written, view, final) == ["標題", "第一行內容", "第二行"]
    # A line no stage could have derived from the view keeps its (same-length) text.
    assert script._written_lines(written, view, "标题\n别的") == ["標題", "别的"]


def test_simplified_document_is_left_untouched() -> None:
    text = "全年开展领导干部专题学法12次。"
    doc = analyze_text(text)
    assert doc.as_written is None
    assert doc.text == text


# -- loaders -----------------------------------------------------------------


def _big5_copy(path: Path) -> str:
    # Big5 has no no-break space; a Big5 page writes a plain one (normalize
    # folds both to the same space).
    return convert("s2tw", path.read_text(encoding="utf-8")).replace("\xa0", " ")


@pytest.mark.parametrize("key", ["000", "002", "004"])
def test_big5_txt_decodes_and_is_analysed_as_the_seed(
    seeds: dict[str, Path], simplified: dict[str, dict[str, Any]], key: str
) -> None:
    text = _big5_copy(seeds[key])
    doc = load_bytes("報告.txt", text.encode("big5"))
    assert doc.source.encoding == "big5"
    got = run(doc).to_json()
    want = simplified[key]
    assert got["meta"] == written_meta("s2tw", want["meta"])
    assert got["indicators"] == want["indicators"]
    assert _facts(got) == _facts(want)
    assert [f["rule"] for f in got["findings"]] == [f["rule"] for f in want["findings"]]


def test_big5_html_page_decodes_and_is_analysed_as_the_seed(
    seeds: dict[str, Path], simplified: dict[str, dict[str, Any]]
) -> None:
    text = _big5_copy(seeds["004"])
    body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    page = (
        '<html><head><meta charset="big5"><title>報告</title></head>'
        f'<body><div id="content">{body}</div></body></html>'
    )
    got = analyze_bytes("報告.html", page.encode("big5")).to_json()
    want = simplified["004"]
    assert got["source"]["encoding"] == "big5"
    assert got["meta"]["script"] == "traditional"
    assert got["indicators"] == want["indicators"]
    assert [(f["value"], f["unit"]) for f in got["facts"]] == [
        (f["value"], f["unit"]) for f in want["facts"]
    ]


def test_terminal_header_marks_a_traditional_report(seeds: dict[str, Path]) -> None:
    from rich.console import Console

    from fazhi.render import terminal

    def header(text: str) -> str:
        console = Console(record=True, width=100)
        terminal.render(analyze_text(text).to_json(), console, path="报告.txt")
        return console.export_text()

    plain = seeds["003"].read_text(encoding="utf-8")
    assert "繁体（按简体分析）" in header(convert("s2t", plain))
    assert "繁体" not in header(plain)


def test_names_are_given_back_as_the_report_writes_them() -> None:
    written = "北京市朝陽區2022年法治政府建設\n年度情況報告\n寧夏回族自治區銀川市"
    view = script.to_simplified(written)
    page = "北京市朝陽區司法局"
    writer = script._Writer([(view, written), (script.to_simplified(page), page)])
    # Found in the text, or in the page metadata, at the same characters.
    assert writer("北京市朝阳区") == "北京市朝陽區"
    assert writer("北京市朝阳区司法局") == "北京市朝陽區司法局"
    # A title broken over two lines and joined by the stages.
    assert writer("北京市朝阳区2022年法治政府建设年度情况报告") == (
        "北京市朝陽區2022年法治政府建設年度情況報告"
    )
    # Composed from two places: character by character as the report writes them.
    assert writer("银川市朝阳区") == "銀川市朝陽區"
    assert writer(None) is None


def test_traditional_report_names_its_unit_as_written() -> None:
    written = (
        "某某縣司法局2022年法治政府建設年度報告\n"
        "一、主要舉措和成效\n全年辦理行政復議案件12件。\n"
        "某某縣司法局\n2023年1月20日"
    )
    doc = analyze_text(written)
    plain = analyze_text(script.to_simplified(written))
    assert doc.meta.script == "traditional"
    assert doc.meta.title == "某某縣司法局2022年法治政府建設年度報告"
    assert doc.meta.unit == "某某縣司法局"
    assert (doc.meta.level, doc.meta.year, doc.meta.date) == (
        plain.meta.level,
        plain.meta.year,
        plain.meta.date,
    )
    assert plain.meta.unit == "某某县司法局"


def test_the_stages_up_to_meta_give_the_text_source_and_meta_of_the_analysis(
    seeds: dict[str, Path], tmp_path: Path
) -> None:
    # A batch's corpus checks start from these while the analyses run.
    for key, path in seeds.items():
        copy = tmp_path / f"{key}_traditional.txt"
        copy.write_text(convert(CONFIGS[0], path.read_text(encoding="utf-8")), encoding="utf-8")
        for report in (path, copy):
            early, full = read_up_to_meta(report), analyze_path(report)
            assert early.text == full.text
            assert early.source == full.source
            assert early.meta == full.meta
