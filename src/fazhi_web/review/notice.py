"""The 通报: which units reported late, did not report, or were sent back, and how good
the handed-in reports are, and which units still owe 整改 (rectification.services).

`summarize` sorts the obligations into the notice's categories; `assess_quality`
names the reports that lack a required part, still carry 错误 findings, or share
passages with another unit's report; `build` lays it all out as an official
document (GB/T 9704 proportions: A4, 仿宋 三号 body, 黑体 headings, a red title)
under the 发文机关 and 文号 the office entered.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from fazhi_web.reports.models import State

# Latin name for ascii/hAnsi, Chinese name for East Asian text: Word picks whichever
# of the two the machine has installed.
FANGSONG = ("FangSong_GB2312", "仿宋_GB2312")
HEITI = ("SimHei", "黑体")
KAITI = ("KaiTi", "楷体_GB2312")  # second-level headings
TITLE_RED = RGBColor(0xC0, 0x00, 0x00)
BODY_SIZE = Pt(16)  # 三号
TITLE_SIZE = Pt(22)  # 二号


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass
class Entry:
    unit: str
    deadline: dt.date
    extended_to: dt.date | None = None
    submitted: dt.date | None = None
    returned: dt.date | None = None


@dataclass
class CopiedPassage:
    units: list[str]
    snippet: str
    chars: int


@dataclass
class Quality:
    """What the handed-in reports still lack, as the engine and the reviewers left them."""

    reviewed: int = 0
    missing_parts: list[tuple[str, list[str]]] = field(default_factory=list)
    open_errors: list[tuple[str, int]] = field(default_factory=list)
    copies: list[CopiedPassage] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "reviewed": self.reviewed,
            "missing_parts_units": len(self.missing_parts),
            "missing_parts": sum(len(parts) for _, parts in self.missing_parts),
            "open_errors_units": len(self.open_errors),
            "open_errors": sum(n for _, n in self.open_errors),
            "copy_groups": len(self.copies),
            "copy_units": len({u for c in self.copies for u in c.units}),
        }


@dataclass
class Summary:
    total: int = 0
    on_time: list[Entry] = field(default_factory=list)
    late: list[Entry] = field(default_factory=list)
    missing: list[Entry] = field(default_factory=list)
    not_due: list[Entry] = field(default_factory=list)
    returned: list[Entry] = field(default_factory=list)

    levels: set[str] = field(default_factory=set)
    quality: Quality = field(default_factory=Quality)
    # (unit name, counts with .open and .overdue): units with 整改 items not yet 销号.
    rectification: list[tuple[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "on_time": len(self.on_time),
            "late": len(self.late),
            "missing": len(self.missing),
            "not_due": len(self.not_due),
            "returned": len(self.returned),
            **self.quality.counts(),
        }


def summarize(
    obligations: Iterable[Any], today: dt.date, returned_at: dict[int, dt.datetime]
) -> Summary:
    """Sort obligations into the notice's categories.

    Handed-in reports count as on time or late by their submission date; a
    returned one is listed as returned as well, since it still owes a revision.
    """
    summary = Summary()
    for ob in obligations:
        summary.total += 1
        summary.levels.add(ob.unit.level)
        entry = Entry(ob.unit.name, ob.deadline, ob.extended_to)
        if ob.submitted_at is not None:
            entry.submitted = timezone.localdate(ob.submitted_at)
            (summary.late if ob.was_late() else summary.on_time).append(entry)
        elif ob.is_overdue(today):
            summary.missing.append(entry)
        else:
            summary.not_due.append(entry)
        if ob.state == State.RETURNED:
            when = returned_at.get(ob.pk)
            entry.returned = timezone.localdate(when) if when else None
            summary.returned.append(entry)
    return summary


SNIPPET = 24


def _snippet(text: str) -> str:
    text = "".join(text.split())
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def assess_quality(reports: Iterable[tuple[str, Any, set[int]]]) -> Quality:
    """Quality of handed-in reports, given as (unit name, version, dismissed finding indexes).

    A finding a reviewer marked 误报 no longer counts. Copying between units is
    found afresh over the year's reports with the engine's copy-paste settings:
    the platform analyses reports one at a time, so no stored finding holds it.
    """
    from fazhi.corpus import find_copy_groups
    from fazhi.rules import copy_paste
    from fazhi.stages.parts import part_names

    names = part_names()
    reports = list(reports)
    quality = Quality(reviewed=len(reports))
    for unit, version, dismissed in reports:
        missing: list[str] = []
        errors = 0
        for i, finding in enumerate(version.analysis.get("findings", [])):
            if finding.get("severity") != "error" or i in dismissed:
                continue
            errors += 1
            if finding.get("rule") == "missing-part":
                message = finding.get("message", "")
                missing += [name for name in names.values() if f"“{name}”" in message]
        if missing:
            quality.missing_parts.append((unit, missing))
        if errors:
            quality.open_errors.append((unit, errors))
    texts = [version.text for _, version, _ in reports]
    groups = find_copy_groups(
        texts,
        min_chars=copy_paste.MIN_CHARS,
        threshold=copy_paste.THRESHOLD,
        same_unit=[unit for unit, _, _ in reports],
    )
    for group in groups:
        first = group.members[0]
        units = list(dict.fromkeys(reports[m.doc][0] for m in group.members))
        quality.copies.append(
            CopiedPassage(
                units, _snippet(texts[first.doc][first.start : first.end]), first.end - first.start
            )
        )
    return quality


def _fonts(run: Any, fonts: tuple[str, str]) -> None:
    latin, east_asian = fonts
    run.font.name = latin
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _para(
    doc: Any,
    text: str,
    *,
    fonts: tuple[str, str] = FANGSONG,
    size: Any = BODY_SIZE,
    indent: bool = True,
    align: Any = None,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Any:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28) if size == BODY_SIZE else Pt(36)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        p.alignment = align
    run = p.add_run(text)
    run.font.size = size
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _fonts(run, fonts)
    return p


def _red_rule(paragraph: Any) -> None:
    """The red line under the document number of an official document."""
    p_pr = paragraph._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "C00000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.append(borders)


def _addressees(levels: set[str]) -> str:
    phrases = [
        ("county", "各县（市、区）人民政府"),
        ("town", "各乡镇人民政府、街道办事处"),
        ("zone", "各开发区（园区）管委会"),
        ("department", "各有关部门"),
    ]
    chosen = [text for level, text in phrases if level in levels]
    return "，".join(chosen) + "：" if chosen else "各有关单位："


def _entry_line(number: int, entry: Entry, kind: str, today: dt.date) -> str:
    deadline = entry.extended_to or entry.deadline
    limit = f"截止日期{cn_date(entry.deadline)}"
    if entry.extended_to:
        limit += f"，经同意延期至{cn_date(entry.extended_to)}"
    if kind == "late" and entry.submitted:
        detail = f"{limit}，{cn_date(entry.submitted)}报送"
    elif kind == "missing":
        detail = f"{limit}，已逾期{(today - deadline).days}天"
    elif kind == "returned":
        detail = f"{cn_date(entry.returned)}退回修改" if entry.returned else "已退回修改"
    else:
        detail = limit
    return f"{number}. {entry.unit}（{detail}）"


def default_issuer(office: Any) -> str:
    """The full name of the body that issues the 通报 for `office`, for the office to correct.

    Reports are collected by the office of the committee for law-based governance
    (全面依法治省/市/县委员会办公室); a 区 or 县级市 names its committee after itself.
    """
    place = {"province": "省", "city": "市"}.get(office.level)
    if place is None and office.level == "county":
        place = office.name[-1] if office.name[-1] in "县区市旗" else "县"
    if place is None:
        return office.name
    return f"中共{office.name}委全面依法治{place}委员会办公室"


def default_number(office: Any, year: int) -> str:
    """A 文号 with the running number left blank, as offices fill it in by hand."""
    return f"{office.name}法治办〔{year + 1}〕  号"


def _units(names: Iterable[str]) -> str:
    return "、".join(names)


def _quality_paragraphs(quality: Quality) -> list[tuple[str, bool]]:
    """(text, is_heading) lines of the section on the reports' quality."""
    c = quality.counts()
    lines = [
        (
            f"对已报送的{c['reviewed']}份报告进行了审查。其中，{c['missing_parts_units']}个单位的"
            f"报告缺少法定内容，{c['open_errors_units']}个单位的报告尚有未处理的错误问题"
            f"{c['open_errors']}处，{c['copy_units']}个单位的报告之间存在{c['copy_groups']}处"
            "雷同段落。",
            False,
        ),
        ("（一）缺少法定内容", True),
    ]
    if not quality.missing_parts:
        lines.append(("无。", False))
    for i, (unit, parts) in enumerate(quality.missing_parts, 1):
        lines.append((f"{i}. {unit}（缺少{_units(f'“{p}”' for p in parts)}）", False))
    lines.append(("（二）尚有未处理错误问题", True))
    if not quality.open_errors:
        lines.append(("无。", False))
    for i, (unit, count) in enumerate(quality.open_errors, 1):
        lines.append((f"{i}. {unit}（{count}处）", False))
    lines.append(("（三）单位之间内容雷同", True))
    if not quality.copies:
        lines.append(("无。", False))
    for i, copy in enumerate(quality.copies, 1):
        lines.append(
            (
                f"{i}. {_units(copy.units)}（{len(copy.units)}个单位的报告含相同段落"
                f"“{copy.snippet}”，共{copy.chars}字）",
                False,
            )
        )
    return lines


def build(
    issuer: str,
    number: str,
    year: int,
    summary: Summary,
    today: dt.date,
) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.font.name = FANGSONG[0]
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG[1])

    _red_rule(_para(doc, number, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER))
    _para(doc, "", indent=False)
    _para(
        doc,
        f"关于{year}年度法治政府建设年度报告报送情况的通报",
        fonts=HEITI,
        size=TITLE_SIZE,
        indent=False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        bold=True,
        color=TITLE_RED,
    )
    _para(doc, "", indent=False)
    _para(doc, _addressees(summary.levels), indent=False)
    _para(
        doc,
        f"按照法治政府建设年度报告工作要求，各单位应于规定时限内报送{year}年度法治政府建设"
        f"年度报告。截至{cn_date(today)}，报送情况通报如下。",
    )
    c = summary.counts()
    _para(doc, "一、总体情况", fonts=HEITI)
    overall = (
        f"应报送{c['total']}个单位，已按时报送{c['on_time']}个，逾期报送{c['late']}个，"
        f"未报送{c['missing']}个，退回修改{c['returned']}个。"
    )
    if c["not_due"]:
        overall += f"另有{c['not_due']}个单位尚未到报送截止日期。"
    _para(doc, overall)

    sections = [
        ("二、逾期报送的单位", "late", summary.late),
        ("三、未报送的单位", "missing", summary.missing),
        ("四、退回修改的单位", "returned", summary.returned),
    ]
    for heading, kind, entries in sections:
        _para(doc, heading, fonts=HEITI)
        if not entries:
            _para(doc, "无。")
        for i, entry in enumerate(entries, 1):
            _para(doc, _entry_line(i, entry, kind, today))
    _para(doc, "五、报告质量情况", fonts=HEITI)
    for text, is_heading in _quality_paragraphs(summary.quality):
        _para(doc, text, fonts=KAITI if is_heading else FANGSONG)
    _para(doc, "六、整改情况", fonts=HEITI)
    if not summary.rectification:
        _para(doc, "各单位的整改事项均已销号。")
    for i, (unit, counts) in enumerate(summary.rectification, 1):
        late = f"，其中逾期{counts.overdue}项" if counts.overdue else ""
        _para(doc, f"{i}. {unit}（尚未销号{counts.open}项{late}）")
    _para(doc, "七、有关要求", fonts=HEITI)
    _para(
        doc,
        "请逾期报送和未报送的单位高度重视，于本通报印发之日起5个工作日内完成报送；"
        "退回修改的单位请按审查意见认真修改后重新报送；报告缺少法定内容、存在错误或与其他单位"
        "报告雷同的，请对照审查意见逐项核实修改；尚有整改事项未销号的单位，请在时限内完成整改并提交佐证材料。",
    )
    _para(doc, "", indent=False)
    _para(doc, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(today), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
