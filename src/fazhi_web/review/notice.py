"""The 通报: which units reported late, did not report, or were sent back.

`summarize` sorts the obligations into the notice's categories; `build` lays
them out as an official document (GB/T 9704 proportions: A4, 仿宋 三号 body,
黑体 headings, a red title) that the office edits and numbers before issuing.
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
class Summary:
    total: int = 0
    on_time: list[Entry] = field(default_factory=list)
    late: list[Entry] = field(default_factory=list)
    missing: list[Entry] = field(default_factory=list)
    not_due: list[Entry] = field(default_factory=list)
    returned: list[Entry] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "on_time": len(self.on_time),
            "late": len(self.late),
            "missing": len(self.missing),
            "not_due": len(self.not_due),
            "returned": len(self.returned),
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


def build(
    office: str, year: int, summary: Summary, today: dt.date, levels: set[str] | None = None
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

    number = _para(
        doc, f"{office}法治办〔{year + 1}〕  号", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _red_rule(number)
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
    _para(doc, _addressees(levels or set()), indent=False)
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
    _para(doc, "五、有关要求", fonts=HEITI)
    _para(
        doc,
        "请逾期报送和未报送的单位高度重视，于本通报印发之日起5个工作日内完成报送；"
        "退回修改的单位请按审查意见认真修改后重新报送。",
    )
    _para(doc, "", indent=False)
    _para(doc, office, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, cn_date(today), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
