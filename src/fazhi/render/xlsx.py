"""Excel workbook of several reports: one row per report, findings and facts.

Supervising offices compare many reports side by side in Excel, so indicator
values are real numbers (the unit is shown through the number format, which
keeps them sortable and summable) and every sheet has a filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fazhi.render.common import (
    PART_NAMES,
    LineIndex,
    copy_group,
    display_name,
    indicator_name,
    indicator_names,
    level_name,
    ordered_findings,
    other_report_label,
    plain_number,
    rule_name,
    score_total,
    severity_counts,
    severity_name,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
ID_FONT = Font(color="808080", size=9)
WRAP = Alignment(wrap_text=True, vertical="top")
# A span longer than this is shown cut: cells hold 32767 characters, people far fewer.
MAX_SPAN_CHARS = 300


def write_workbook(results: list[dict[str, Any]], path: Path) -> None:
    """Write the workbook for `results` (analysis contract dicts) to `path`."""
    wb = Workbook()
    reports = wb.active
    assert reports is not None  # a new Workbook always has one sheet
    reports.title = "报告"
    _reports_sheet(reports, results)
    _findings_sheet(wb.create_sheet("问题"), results)
    _facts_sheet(wb.create_sheet("数据"), results)
    wb.save(Path(path))


def _clean(value: str) -> str:
    # openpyxl refuses control characters that XML cannot carry.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(ws: Worksheet, row: int, col: int, value: object) -> None:
    if value is None or value == "":
        return  # an empty cell, not an empty string, so filters show "(空白)"
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _clean(value)
        # A report line starting with "=" is text, not a formula to evaluate.
        cell.data_type = "s"
    else:
        cell.value = value


def _header(ws: Worksheet, names: Sequence[str], ids: Sequence[str] | None = None) -> int:
    """Write the header row(s); returns the first data row."""
    for col, name in enumerate(names, start=1):
        _put(ws, 1, col, name)
        cell = ws.cell(row=1, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    if ids is None:
        return 2
    for col, key in enumerate(ids, start=1):
        _put(ws, 2, col, key)
        ws.cell(row=2, column=col).font = ID_FONT
    return 3


def _finish(ws: Worksheet, header_rows: int, widths: Sequence[float], freeze_cols: int = 1) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_rows + 1, column=freeze_cols + 1)
    last_row = max(ws.max_row, header_rows)
    # The filter sits on the last header row so the data below it is what gets filtered.
    ws.auto_filter.ref = f"A{header_rows}:{get_column_letter(len(widths))}{last_row}"


def _date(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _unit_format(unit: str) -> str:
    # Shows "3134单" / "98.1%" while the cell keeps the bare number.
    safe = unit.replace('"', "").replace("\\", "")
    return f'General"{safe}"' if safe else "General"


def _reports_sheet(ws: Worksheet, results: Sequence[Mapping[str, Any]]) -> None:
    indicators = list(indicator_names())
    fixed = [
        ("文件", "source.name", 28),
        ("标题", "meta.title", 36),
        ("单位", "meta.unit", 22),
        ("层级", "meta.level", 10),
        ("年度", "meta.year", 7),
        ("日期", "meta.date", 11),
        ("得分", "score.total", 7),
    ]
    tail = [(name, f"parts.{part}.present", 10) for part, name in PART_NAMES.items()]
    tail += [
        ("错误", "findings.error", 6),
        ("警告", "findings.warning", 6),
        ("提示", "findings.info", 6),
    ]
    names = [f[0] for f in fixed] + [indicator_name(k) for k in indicators] + [t[0] for t in tail]
    ids = [f[1] for f in fixed] + indicators + [t[1] for t in tail]
    widths = [f[2] for f in fixed] + [12.0] * len(indicators) + [t[2] for t in tail]
    row = _header(ws, names, ids)
    ws.row_dimensions[1].height = 45

    first_indicator = len(fixed) + 1
    first_tail = first_indicator + len(indicators)
    for result in results:
        meta = result.get("meta") or {}
        values: list[object] = [
            display_name(result),
            meta.get("title") or "",
            meta.get("unit") or "",
            level_name(meta.get("level")) if meta.get("level") else "",
            meta.get("year"),
            _date(meta.get("date")),
            score_total(result),
        ]
        for col, value in enumerate(values, start=1):
            _put(ws, row, col, value)
        date_cell = ws.cell(row=row, column=6)
        if isinstance(date_cell.value, dt.date):
            date_cell.number_format = "yyyy-mm-dd"

        found: Mapping[str, Mapping[str, Any]] = result.get("indicators") or {}
        for offset, key in enumerate(indicators):
            entry = found.get(key)
            if not entry or not isinstance(entry.get("value"), int | float):
                continue
            cell = ws.cell(row=row, column=first_indicator + offset)
            cell.value = plain_number(entry["value"])
            cell.number_format = _unit_format(str(entry.get("unit") or ""))

        parts = result.get("parts") or {}
        counts = severity_counts(result.get("findings") or [])
        tail_values: list[object] = [
            "是" if (parts.get(p) or {}).get("present") else "否" for p in PART_NAMES
        ]
        tail_values += [counts["error"], counts["warning"], counts["info"]]
        for offset, value in enumerate(tail_values):
            _put(ws, row, first_tail + offset, value)
        row += 1
    _finish(ws, 2, widths)


def _findings_sheet(ws: Worksheet, results: Sequence[Mapping[str, Any]]) -> None:
    names = ["文件", "行", "规则", "级别", "说明", "原文", "规则代码", "雷同组", "同组其他报告"]
    widths = [28, 6, 16, 6, 60, 40, 20, 8, 60]
    row = _header(ws, names)
    for result in results:
        text = str(result.get("text") or "")
        lines = LineIndex(text)
        for _, f in ordered_findings(result.get("findings") or []):
            start, end = f.get("start"), f.get("end")
            line: int | None = None
            span = ""
            if isinstance(start, int) and isinstance(end, int) and 0 <= start <= len(text):
                line = lines.line_of(start)
                span = text[start:end]
                if len(span) > MAX_SPAN_CHARS:
                    span = span[:MAX_SPAN_CHARS] + "…"
            rule = str(f.get("rule") or "")
            group, others = copy_group(f)
            values: list[object] = [
                display_name(result),
                line,
                rule_name(rule),
                severity_name(str(f.get("severity"))),
                str(f.get("message") or ""),
                span,
                rule,
                group,
                "、".join(other_report_label(o) for o in others),
            ]
            for col, value in enumerate(values, start=1):
                _put(ws, row, col, value)
            for col in (5, 6, 9):
                ws.cell(row=row, column=col).alignment = WRAP
            row += 1
    _finish(ws, 1, widths)


def _facts_sheet(ws: Worksheet, results: Sequence[Mapping[str, Any]]) -> None:
    names = ["文件", "原文", "数值", "单位", "限定词", "主体", "指标", "行", "指标代码"]
    widths = [28, 16, 12, 8, 8, 30, 24, 6, 26]
    row = _header(ws, names)
    for result in results:
        text = str(result.get("text") or "")
        lines = LineIndex(text)
        for fact in result.get("facts") or []:
            value = fact.get("value")
            start = fact.get("start")
            line = (
                lines.line_of(start) if isinstance(start, int) and 0 <= start <= len(text) else None
            )
            values: list[object] = [
                display_name(result),
                str(fact.get("text") or ""),
                plain_number(value) if isinstance(value, int | float) else None,
                str(fact.get("unit") or ""),
                str(fact.get("qualifier") or ""),
                str(fact.get("subject") or ""),
                indicator_name(fact.get("indicator")),
                line,
                str(fact.get("indicator") or ""),
            ]
            for col, v in enumerate(values, start=1):
                _put(ws, row, col, v)
            row += 1
    _finish(ws, 1, widths)
