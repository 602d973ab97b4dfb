"""Renderers: terminal review, HTML page and Excel workbook from contract dicts."""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.console import Console

from fazhi.document import Document, Finding, Section, Source
from fazhi.render import html as html_render
from fazhi.render import terminal, xlsx
from fazhi.render.common import LineIndex, indicator_names

# -- building results ---------------------------------------------------------


def find(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """Offsets of the n-th occurrence of `needle`; fails loudly if absent."""
    pos = -1
    for _ in range(occurrence):
        pos = text.index(needle, pos + 1)
    return pos, pos + len(needle)


def make_result(
    name: str,
    text: str,
    *,
    meta: dict[str, Any],
    sections: list[tuple[str, str | None, str | None]],
    facts: list[tuple[str, float, str, str | None, str, str | None]],
    findings: list[tuple[str, str, str, str | None]],
    criteria: dict[str, tuple[float, float, str]],
) -> dict[str, Any]:
    """A result in the contract shape, offsets found from the quoted substrings.

    sections: (heading line, part, parent id); ids are s1, s2… in order.
    facts: (text, value, unit, qualifier, subject, indicator).
    findings: (rule, severity, message, quoted span or None).
    """
    index = LineIndex(text)
    section_list: list[dict[str, Any]] = []
    starts = [find(text, heading)[0] for heading, _, _ in sections]
    for i, (heading, part, parent) in enumerate(sections):
        start = starts[i]
        # A section runs until the next heading at its own or a higher level.
        end = len(text)
        for j in range(i + 1, len(sections)):
            if sections[j][2] == parent or (parent is not None and sections[j][2] is None):
                end = starts[j]
                break
        marker = re.match(r"[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）", heading)
        m = marker.group(0) if marker else ""
        section_list.append(
            {
                "id": f"s{i + 1}",
                "parent": parent,
                "marker": m,
                "title": heading[len(m) :],
                "start": start,
                "end": end,
                "part": part,
            }
        )
    parts: dict[str, dict[str, Any]] = {}
    for part in ("measures", "shortcomings", "first_responsible", "next_year", "other"):
        secs = [s for s in section_list if s["part"] == part]
        parts[part] = {
            "present": bool(secs),
            "sections": [s["id"] for s in secs],
            "chars": sum(s["end"] - s["start"] for s in secs),
        }
    fact_list = []
    indicators: dict[str, Any] = {}
    for k, (ftext, value, unit, qualifier, subject, indicator) in enumerate(facts):
        start, end = find(text, ftext)
        fact_list.append(
            {
                "start": start,
                "end": end,
                "text": ftext,
                "value": float(value),
                "unit": unit,
                "qualifier": qualifier,
                "subject": subject,
                "indicator": indicator,
            }
        )
        if indicator:
            indicators[indicator] = {"value": float(value), "unit": unit, "fact": k}
    finding_list: list[dict[str, Any]] = []
    for rule, severity, message, quoted in findings:
        if quoted is None:
            start_end: tuple[int | None, int | None] = (None, None)
        else:
            start_end = find(text, quoted)
        finding_list.append(
            {
                "rule": rule,
                "severity": severity,
                "message": message,
                "start": start_end[0],
                "end": start_end[1],
                "section": None,
            }
        )
    assert index.line_of(0) == 1
    total = round(sum(c[0] for c in criteria.values()), 1)
    return {
        "schema": "fazhi.analysis/1",
        "source": {"name": name, "sha256": "0" * 64, "format": "txt", "encoding": "utf-8"},
        "meta": meta,
        "text": text,
        "sections": section_list,
        "parts": parts,
        "facts": fact_list,
        "indicators": indicators,
        "findings": finding_list,
        "score": {
            "total": total,
            "criteria": {n: {"score": s, "max": m, "why": w} for n, (s, m, w) in criteria.items()},
        },
    }


TOWN_TEXT = "\n".join(
    [
        "清溪镇2021年法治政府建设年度报告",
        "一、主要举措和成效",
        "（一）深化“放管服”改革",
        "全年受理12345热线工单3134单，办结率达98.1%。",
        "我镇为为群众办实事。",
        "（二）推进严格规范公正文明执法",
        "开展行政检查120次，办理行政处罚案件45件。",
        "二、存在的不足和原因",
        "法治宣传教育针对性不强。",
        "三、下一年度主要安排",
        "持续推进法治政府建设。",
        "清溪镇人民政府",
        "2022年3月15日",
    ]
)


def town_result() -> dict[str, Any]:
    return make_result(
        "清溪镇2021.txt",
        TOWN_TEXT,
        meta={
            "title": "清溪镇2021年法治政府建设年度报告",
            "unit": "清溪镇人民政府",
            "level": "town",
            "year": 2021,
            "date": "2022-03-15",
            "region": "某市某县",
        },
        sections=[
            ("一、主要举措和成效", "measures", None),
            ("（一）深化“放管服”改革", None, "s1"),
            ("（二）推进严格规范公正文明执法", None, "s1"),
            ("二、存在的不足和原因", "shortcomings", None),
            ("三、下一年度主要安排", "next_year", None),
        ],
        facts=[
            ("3134单", 3134, "单", None, "12345热线工单", "hotline_received"),
            ("98.1%", 98.1, "%", None, "办结率", "hotline_close_rate"),
            ("120次", 120, "次", None, "行政检查", "enforcement_inspections"),
            ("45件", 45, "件", None, "行政处罚案件", "enforcement_penalties"),
        ],
        findings=[
            (
                "missing-part",
                "error",
                "未找到“党政主要负责人履行推进法治建设第一责任人职责情况”部分。",
                None,
            ),
            ("repeated-char", "warning", "“为为”疑为误输入的重复字符。", "为为"),
            ("arithmetic-mismatch", "warning", "办结率与工单数不一致。", "98.1%"),
        ],
        criteria={
            "法定内容": (30.0, 40.0, "缺少第一责任人履职情况"),
            "标题规范": (10.0, 10.0, "标题规范"),
            "按时报送": (42.5, 50.0, "按期报送，数据偏少"),
        },
    )


BUREAU_TEXT = "\n".join(
    [
        "某市司法局2022年度法治政府建设情况报告",
        "一、主要举措和成效",
        "网页上残留了<script>alert(1)</script>代码&符号。",
        "全年办理法律援助案件2000余件，调解案件近3000件。",
        "二、存在的不足和原因",
        "个别单位重视不够。",
        "三、党政主要负责人履行第一责任人职责情况",
        "主要负责人带头学法。",
        "四、下一年度主要安排",
        "继续推进。",
    ]
)


def bureau_result() -> dict[str, Any]:
    return make_result(
        "某市司法局2022.html",
        BUREAU_TEXT,
        meta={
            "title": "某市司法局2022年度法治政府建设情况报告",
            "unit": "某市司法局",
            "level": "department",
            "year": 2022,
            "date": None,
            "region": None,
        },
        sections=[
            ("一、主要举措和成效", "measures", None),
            ("二、存在的不足和原因", "shortcomings", None),
            ("三、党政主要负责人履行第一责任人职责情况", "first_responsible", None),
            ("四、下一年度主要安排", "next_year", None),
        ],
        facts=[
            ("2000余件", 2000, "件", "余", "法律援助案件", "legal_aid_cases"),
            ("近3000件", 3000, "件", "近", "调解案件", "mediation_cases"),
        ],
        findings=[
            (
                "boilerplate",
                "info",
                "已去除网页残留内容：“<script>”。",
                "<script>alert(1)</script>",
            ),
            # Overlaps the previous finding and the end of the line.
            ("private-info", "error", "疑似代码<b>片段</b>。", "alert(1)</script>代码"),
            # Overlaps a fact: the fact must stay visible inside the finding.
            ("duplicate-phrase", "warning", "“法律援助案件2000余件”连续重复出现。", "案件2000余"),
        ],
        criteria={"法定内容": (40.0, 40.0, "五项内容齐全"), "数据": (20.0, 30.0, "数据较少")},
    )


# -- terminal ------------------------------------------------------------------


def run_terminal(result: dict[str, Any], *, width: int = 160, path: str | None = None) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False)
    terminal.render(result, console, path=path)
    return buf.getvalue()


def excerpt_after(output: str, head: str) -> tuple[str, str]:
    """The source and underline lines printed after the diagnostic starting with `head`."""
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(head))
    return lines[at + 1], lines[at + 2]


def caret_column(source: str, underline: str) -> tuple[int, str]:
    """Display column of the caret relative to the text after the ` | ` gutter."""
    gutter = source.index(" | ") + 3
    assert underline.index(" | ") + 3 == gutter
    marks = underline[gutter:]
    return len(marks) - len(marks.lstrip(" ")), marks.strip()


def test_terminal_header_parts_and_indicators() -> None:
    out = run_terminal(town_result())
    assert "清溪镇2021.txt" in out
    assert "清溪镇2021年法治政府建设年度报告" in out
    assert "乡镇（街道）" in out
    assert "2022-03-15" in out
    assert "82.5/100" in out
    assert re.search(r"✓ 主要举措和成效\s+\d+ 字", out)
    assert re.search(r"✗ 党政主要负责人履行第一责任人职责情况\s+未找到", out)
    assert "✗ 其他需要报告的情况（可选）" in out
    # Indicators: Chinese names, integral values without ".0".
    assert re.search(r"热线工单受理数\s+3134\s+单", out)
    assert re.search(r"热线工单办结率\s+98\.1\s+%", out)
    assert "3134.0" not in out


def test_terminal_caret_under_cjk_characters() -> None:
    out = run_terminal(town_result())
    head = "清溪镇2021.txt:5:3: 警告[repeated-char] “为为”疑为误输入的重复字符。"
    assert head in out.splitlines()
    source, underline = excerpt_after(out, head)
    assert source.endswith("我镇为为群众办实事。")
    col, marks = caret_column(source, underline)
    # Two CJK characters (我镇) before the span, each two columns wide.
    assert col == 2 * 2
    # The span 为为 is four columns: a caret and three tildes.
    assert marks == "^~~~"


def test_terminal_caret_on_mixed_width_line() -> None:
    out = run_terminal(town_result())
    head = "清溪镇2021.txt:4:24: 警告[arithmetic-mismatch]"
    source, underline = excerpt_after(out, head)
    col, marks = caret_column(source, underline)
    # 全年受理(8) 12345(5) 热线工单(8) 3134(4) 单(2) ，(2) 办结率达(8)
    assert col == 37
    assert marks == "^~~~~"  # "98.1%" is five narrow characters


def test_terminal_finding_without_offsets_has_no_excerpt() -> None:
    out = run_terminal(town_result())
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "[missing-part]" in line)
    assert lines[at].startswith("清溪镇2021.txt: 错误[missing-part] 未找到")
    assert " | " not in lines[at + 1]
    # Report-wide findings come before positioned ones.
    assert at < next(i for i, line in enumerate(lines) if "[repeated-char]" in line)


def test_terminal_summary_and_criteria() -> None:
    out = run_terminal(town_result())
    assert "1 个错误，2 个警告，0 个提示" in out
    assert re.search(r"法定内容\s+30/40\s+缺少第一责任人履职情况", out)
    assert re.search(r"按时报送\s+42\.5/50", out)
    assert out.index("个错误") < out.index("缺少第一责任人履职情况")


def test_terminal_path_override_and_markup_is_literal() -> None:
    result = town_result()
    result["findings"][1]["message"] = "含有[bold]方括号[/bold]的说明"
    out = run_terminal(result, path="reports/清溪镇.txt")
    assert "reports/清溪镇.txt:5:3: 警告[repeated-char] 含有[bold]方括号[/bold]的说明" in out
    assert "清溪镇2021.txt:5:3" not in out


def test_terminal_long_line_is_windowed_around_the_finding() -> None:
    line = "甲" * 150 + "错字" + "乙" * 100
    text = "标题\n" + line
    start = text.index("错字")
    result = make_result(
        "长.txt",
        text,
        meta={"title": "标题", "unit": None, "level": None, "year": None, "date": None},
        sections=[],
        facts=[],
        findings=[("repeated-char", "warning", "重复", "错字")],
        criteria={},
    )
    out = run_terminal(result, width=100)
    source, underline = excerpt_after(out, "长.txt:2:151: 警告[repeated-char] 重复")
    assert len(source) < len(line)
    assert source.count("...") == 2
    col, marks = caret_column(source, underline)
    assert marks == "^~~~"
    shown = source[source.index(" | ") + 3 :]
    # Walk the shown text by display cells to the caret column: it must be the span.
    cells = 0
    for i, ch in enumerate(shown):
        if cells == col:
            assert shown[i : i + 2] == "错字"
            break
        cells += 2 if ord(ch) > 0x2E80 else 1
    else:
        pytest.fail("caret column is past the excerpt")
    assert start == text.index("错字")


# -- HTML ---------------------------------------------------------------------


class PageParser(HTMLParser):
    """Collects ids, internal links, marks (with their text) and the report text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.marks: list[dict[str, str]] = []
        self.scripts = 0
        self.external: list[str] = []
        self._mark: dict[str, str] | None = None
        self._text_depth = 0
        self._div_depth = 0
        self.report_text: list[list[str]] = []
        self._para: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        for key in ("src", "href"):
            if key in a and not a[key].startswith("#"):
                self.external.append(a[key])
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self._mark = {
                "class": a.get("class", ""),
                "id": a.get("id", ""),
                "title": a.get("title", ""),
                "text": "",
            }
            self.marks.append(self._mark)
        if tag == "div":
            self._div_depth += 1
            if a.get("class") == "text":
                self._text_depth = self._div_depth
                self.report_text.append([])
        if tag == "p" and self._text_depth:
            self._para = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._mark = None
        if tag == "div":
            if self._div_depth == self._text_depth:
                self._text_depth = 0
            self._div_depth -= 1
        if tag == "p" and self._para is not None:
            self.report_text[-1].append("".join(self._para))
            self._para = None

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark["text"] += data
        if self._para is not None:
            self._para.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def test_html_escapes_report_text() -> None:
    page = html_render.render_page([bureau_result()])
    # Highlights split the tag into segments, but each piece stays escaped.
    assert "&lt;script&gt;" in page and "alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "</script>代码" not in page
    assert "&amp;符号" in page
    # The finding message with markup is escaped in the findings list and titles.
    assert "疑似代码&lt;b&gt;片段&lt;/b&gt;。" in page
    assert "<b>片段</b>" not in page
    parsed = parse(page)
    assert parsed.scripts == 1  # only the page's own toggle script
    assert "网页上残留了<script>alert(1)</script>代码&符号。" in parsed.report_text[0]


def test_html_is_self_contained() -> None:
    page = html_render.render_page([town_result(), bureau_result()])
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert '<meta charset="utf-8">' in page
    assert "PingFang SC" in page and "@media print" in page
    parsed = parse(page)
    assert parsed.external == []
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_html_internal_links_resolve() -> None:
    parsed = parse(html_render.render_page([town_result(), bureau_result()]))
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate element ids"
    missing = set(parsed.hrefs) - set(parsed.ids)
    assert not missing
    assert parsed.hrefs  # there are links at all


def test_html_text_round_trips_through_segments() -> None:
    """Splitting into highlighted segments must neither lose nor repeat text."""
    for result in (town_result(), bureau_result()):
        parsed = parse(html_render.render_page([result]))
        expected = [line for line in result["text"].split("\n") if line.strip()]
        assert parsed.report_text == [expected]


def test_html_marks_every_finding_with_overlaps_split() -> None:
    result = bureau_result()
    parsed = parse(html_render.render_page([result]))
    text = result["text"]
    for i, f in enumerate(result["findings"]):
        covered = "".join(m["text"] for m in parsed.marks if f["message"] in m["title"])
        assert covered == text[f["start"] : f["end"]], f["rule"]
        first = next(m for m in parsed.marks if f["message"] in m["title"])
        assert text[f["start"] : f["end"]].startswith(first["text"])
        assert f"r1-f{i}" in parsed.ids
    # The overlap of boilerplate and private-info is one segment with both titles,
    # styled by the more severe finding.
    both = [m for m in parsed.marks if "已去除网页残留" in m["title"] and "疑似代码" in m["title"]]
    assert [m["text"] for m in both] == ["alert(1)</script>"]
    assert "f-error" in both[0]["class"].split()
    # The fact inside the duplicate-phrase finding keeps its fact style there.
    inner = [m for m in parsed.marks if "连续重复" in m["title"] and "fact" in m["class"].split()]
    assert [m["text"] for m in inner] == ["2000余"]


def test_html_highlights_facts_and_lists_them() -> None:
    result = town_result()
    page = html_render.render_page([result])
    parsed = parse(page)
    facts = [m for m in parsed.marks if m["class"] == "fact"]
    assert [m["text"] for m in facts] == ["3134单", "120次", "45件"]
    assert "热线工单受理数" in page and "行政处罚案件数" in page
    assert all(f"r1-d{i}" in parsed.ids for i in range(len(result["facts"])))


def test_html_outline_checklist_and_score() -> None:
    page = html_render.render_page([town_result()])
    # Subsections are nested inside their parent's list item.
    outline = page[page.index('<nav class="outline">') :]
    outline = outline[: outline.index("</nav>")]
    assert re.search(
        r'<li><a href="#r1-sec-s1">一、主要举措和成效</a><span class="badge"[^>]*>举措成效</span>'
        r'<ul><li><a href="#r1-sec-s2">（一）深化“放管服”改革</a></li>',
        outline,
    )
    assert 'id="r1-sec-s4"' in page and 'class="heading depth-1"' in page
    assert '<span class="ok">✓</span> 主要举措和成效' in page
    assert '<span class="no">✗</span> 党政主要负责人履行第一责任人职责情况' in page
    assert "其他需要报告的情况（可选）" in page
    assert "82.5<small>/100</small>" in page
    assert "缺少第一责任人履职情况" in page
    assert "乡镇（街道）" in page


def test_html_table_of_contents_only_for_several_reports() -> None:
    one = html_render.render_page([town_result()])
    two = html_render.render_page([town_result(), bureau_result()])
    assert 'class="toc"' not in one
    assert 'class="toc"' in two
    assert '<a href="#r1">清溪镇2021年法治政府建设年度报告</a>' in two
    assert '<a href="#r2">某市司法局2022年度法治政府建设情况报告</a>' in two
    assert "<title>清溪镇2021年法治政府建设年度报告</title>" in one


def test_html_zero_width_finding_is_pinned() -> None:
    result = town_result()
    start = result["text"].index("（二）")
    result["findings"].append(
        {
            "rule": "enumeration-gap",
            "severity": "warning",
            "message": "序号缺失",
            "start": start,
            "end": start,
            "section": "s3",
        }
    )
    parsed = parse(html_render.render_page([result]))
    pins = [m for m in parsed.marks if "pin" in m["class"].split()]
    assert len(pins) == 1 and pins[0]["id"] == "r1-f3" and "序号缺失" in pins[0]["title"]


# -- xlsx ----------------------------------------------------------------------


def test_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    results = [town_result(), bureau_result()]
    xlsx.write_workbook(results, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["报告", "问题", "数据"]

    ws = wb["报告"]
    header = [c.value for c in ws[1]]
    ids = [c.value for c in ws[2]]
    assert header[:7] == ["文件", "标题", "单位", "层级", "年度", "日期", "得分"]
    names = indicator_names()
    assert header[7 : 7 + 40] == list(names.values())
    assert ids[7 : 7 + 40] == list(names)
    col = {key: i + 1 for i, key in enumerate(ids)}
    assert ws.cell(3, 1).value == "清溪镇2021.txt"
    assert ws.cell(3, 4).value == "乡镇（街道）"
    assert ws.cell(3, 5).value == 2021
    assert ws.cell(3, 6).value == dt.datetime(2022, 3, 15)
    assert ws.cell(3, 7).value == 82.5
    hotline = ws.cell(3, col["hotline_received"])
    assert hotline.value == 3134 and isinstance(hotline.value, int)
    assert ws.cell(3, col["hotline_close_rate"]).value == 98.1
    assert ws.cell(3, col["legal_aid_cases"]).value is None
    assert ws.cell(4, col["legal_aid_cases"]).value == 2000
    assert (
        header[col["parts.first_responsible.present"] - 1] == "党政主要负责人履行第一责任人职责情况"
    )
    assert ws.cell(3, col["parts.first_responsible.present"]).value == "否"
    assert ws.cell(4, col["parts.first_responsible.present"]).value == "是"
    assert ws.max_row == 4
    assert ws.freeze_panes == "B3"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A2:")

    ws = wb["问题"]
    assert [c.value for c in ws[1]][:6] == ["文件", "行", "规则", "级别", "说明", "原文"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 6
    assert rows[0][:6] == ["清溪镇2021.txt", None, "缺少法定内容", "错误", rows[0][4], None]
    assert rows[1][:6] == [
        "清溪镇2021.txt",
        4,
        "数字不一致",
        "警告",
        "办结率与工单数不一致。",
        "98.1%",
    ]
    assert rows[2][1:4] == [5, "字符误重复", "警告"] and rows[2][5] == "为为"
    assert any(r[5] == "<script>alert(1)</script>" for r in rows)
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref

    ws = wb["数据"]
    assert [c.value for c in ws[1]][:7] == [
        "文件",
        "原文",
        "数值",
        "单位",
        "限定词",
        "主体",
        "指标",
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0][:7] == [
        "清溪镇2021.txt",
        "3134单",
        3134,
        "单",
        None,
        "12345热线工单",
        "热线工单受理数",
    ]
    assert rows[4][:7] == [
        "某市司法局2022.html",
        "2000余件",
        2000,
        "件",
        "余",
        "法律援助案件",
        "法律援助案件数",
    ]
    assert len(rows) == 6


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    result = town_result()
    result["meta"]["title"] = '=HYPERLINK("http://x")'
    result["findings"][2]["message"] = "=1+1"  # the first positioned finding
    path = tmp_path / "f.xlsx"
    xlsx.write_workbook([result], path)
    wb = openpyxl.load_workbook(path)
    title = wb["报告"].cell(3, 2)
    assert title.value == '=HYPERLINK("http://x")' and title.data_type == "s"
    message = wb["问题"].cell(3, 5)
    assert message.value == "=1+1" and message.data_type == "s"


# -- shared data and the real contract ------------------------------------------


def test_indicator_names_cover_the_spec_ids_in_order() -> None:
    names = indicator_names()
    assert len(names) == 40
    keys = list(names)
    assert keys[0] == "study_sessions" and keys[-1] == "publicity_events"
    assert keys.index("hotline_received") < keys.index("hotline_closed")
    assert all(re.search(r"[\u4e00-\u9fff]", v) for v in names.values())


def test_renderers_accept_document_to_json(tmp_path: Path) -> None:
    text = "某县2022年法治政府建设年度报告\n一、主要举措和成效\n为为民服务。"
    doc = Document(source=Source("某县.txt", "0" * 64, "txt", "utf-8"), text=text)
    start = text.index("一、")
    doc.sections.append(
        Section(
            id="s1",
            parent=None,
            marker="一、",
            title="主要举措和成效",
            start=start,
            end=len(text),
            level=1,
            title_end=start + 9,
        )
    )
    at = text.index("为为")
    doc.findings.append(
        Finding(rule="repeated-char", severity="warning", message="重复", start=at, end=at + 2)
    )
    result = doc.to_json()
    out = run_terminal(result)
    assert "某县.txt:3:1: 警告[repeated-char] 重复" in out
    assert 'id="r1-sec-s1"' in html_render.render_page([result])
    xlsx.write_workbook([result], tmp_path / "d.xlsx")
    assert openpyxl.load_workbook(tmp_path / "d.xlsx")["问题"].cell(2, 2).value == 3


# -- copy groups -----------------------------------------------------------------


def with_copy_finding() -> list[dict[str, Any]]:
    """The town and bureau reports, the town's one naming the bureau and a third report."""
    town, bureau = town_result(), bureau_result()
    start, end = find(town["text"], "全年受理12345热线工单3134单，办结率达98.1%。")
    line = LineIndex(bureau["text"]).line_of(find(bureau["text"], "继续推进。")[0])
    town["findings"].append(
        {
            "rule": "copy-paste",
            "severity": "warning",
            "message": "本段30字与《某市司法局2022.html》第10行、《第三份.txt》第2行的段落相同。",
            "start": start,
            "end": end,
            "section": None,
            "data": {
                "group": 7,
                "others": [
                    {"name": "某市司法局2022.html", "unit": "某市司法局", "line": line},
                    {"name": "第三份.txt", "unit": None, "line": 2, "start": 5, "end": 40},
                ],
            },
        }
    )
    return [town, bureau]


def test_terminal_lists_every_report_of_a_copy_group() -> None:
    out = run_terminal(with_copy_finding()[0])
    [note] = [line for line in out.splitlines() if line.startswith(" = ")]
    line = with_copy_finding()[0]["findings"][-1]["data"]["others"][0]["line"]
    assert note == (
        f" = 雷同组7：另有2份报告含此段：《某市司法局2022.html》第{line}行、《第三份.txt》第2行"
    )
    assert " = " not in run_terminal(town_result())


def test_html_links_the_other_reports_of_a_copy_group() -> None:
    results = with_copy_finding()
    page = html_render.render_page(results)
    parsed = parse(page)
    assert not set(parsed.hrefs) - set(parsed.ids)
    line = results[0]["findings"][-1]["data"]["others"][0]["line"]
    assert "雷同组7：另有2份报告含此段" in page
    assert f'<a href="#r2-L{line}">《某市司法局2022.html》第{line}行</a>' in page
    assert "<li>《第三份.txt》第2行</li>" in page  # not on the page: no link
    # A report shown alone links to nothing.
    alone = html_render.render_page(results[:1])
    assert "雷同组7" in alone and 'href="#r2-' not in alone


def test_xlsx_shows_the_copy_group_and_its_reports(tmp_path: Path) -> None:
    results = with_copy_finding()
    xlsx.write_workbook(results, tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx")["问题"]
    assert [c.value for c in ws[1]][7:] == ["雷同组", "同组其他报告"]
    [row] = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[6] == "copy-paste"]
    line = results[0]["findings"][-1]["data"]["others"][0]["line"]
    assert row[7] == 7
    assert row[8] == f"《某市司法局2022.html》第{line}行、《第三份.txt》第2行"
    others = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[6] != "copy-paste"]
    assert others and all(r[7] is None and r[8] is None for r in others)


def test_department_level_reads_as_the_platform_names_it() -> None:
    out = run_terminal(bureau_result())
    assert "政府部门" in out
    page = html_render.render_page([town_result(), bureau_result()])
    assert "<td>政府部门</td>" in page and "<td>乡镇（街道）</td>" in page
