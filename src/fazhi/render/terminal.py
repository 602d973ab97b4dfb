"""Compiler-style review of one report in the terminal.

Findings read like compiler diagnostics (`path:LINE:COL: 警告[rule] message`) with
the source line and an underline below, so reviewers who use editors can jump to
the place, and everyone else sees it in context.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fazhi.render.common import (
    MISSING,
    OPTIONAL_PARTS,
    PART_NAMES,
    LineIndex,
    copy_group,
    copy_group_title,
    criteria,
    display_name,
    format_number,
    has_span,
    indicator_name,
    indicator_names,
    level_name,
    ordered_findings,
    other_report_label,
    score_total,
    severity_name,
    summary_line,
)

SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
UNDERLINE_STYLES = {"error": "red", "warning": "yellow", "info": "cyan"}
ELLIPSIS = "..."  # ASCII: "…" is ambiguous-width and would shift the caret in CJK terminals
# Longest excerpt in display cells: about 60 Chinese characters.
MAX_EXCERPT_CELLS = 120


def render(result: dict[str, Any], console: Console, *, path: str | None = None) -> None:
    """Print the review of one analysis result (the JSON contract shape)."""
    name = path or display_name(result)
    text = str(result.get("text") or "")
    index = LineIndex(text)

    _header(result, console, name)
    _parts(result, console)
    _indicators(result, console)
    findings = list(result.get("findings") or [])
    if findings:
        console.print()
        console.print(Text(f"问题（{len(findings)}）", style="bold"))
        for _, finding in ordered_findings(findings):
            _finding(finding, console, name, text, index)
    console.print()
    console.print(_summary(findings))
    _criteria(result, console)


def _header(result: Mapping[str, Any], console: Console, name: str) -> None:
    meta = result.get("meta") or {}
    console.rule(Text(name, style="bold"))
    title = meta.get("title")
    console.print(Text(str(title) if title else "（未识别标题）", style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    total = score_total(result)
    rows = [
        ("文件", name),
        ("单位", meta.get("unit") or MISSING),
        ("层级", level_name(meta.get("level"))),
        ("年度", str(meta.get("year")) if meta.get("year") else MISSING),
        ("日期", meta.get("date") or MISSING),
        ("得分", f"{format_number(total)}/100" if total is not None else MISSING),
    ]
    if meta.get("script") == "traditional":
        # A 繁體 report is analysed as its simplified form; the reader should know.
        rows.insert(1, ("字体", "繁体（按简体分析）"))
    for label, value in rows:
        grid.add_row(Text(label), Text(str(value)))
    console.print(grid)


def _parts(result: Mapping[str, Any], console: Console) -> None:
    parts = result.get("parts") or {}
    console.print()
    console.print(Text("五项法定内容", style="bold"))
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    table.add_column(justify="right", no_wrap=True)
    for part, label in PART_NAMES.items():
        info = parts.get(part) or {}
        present = bool(info.get("present"))
        optional = part in OPTIONAL_PARTS
        if present:
            mark = Text("✓", style="green")
        else:
            mark = Text("✗", style="dim" if optional else "red")
        name = Text(label + ("（可选）" if optional else ""))
        chars = Text(f"{info.get('chars', 0)} 字" if present else "未找到", style="dim")
        table.add_row(mark, name, chars)
    console.print(table)


def _indicators(result: Mapping[str, Any], console: Console) -> None:
    indicators: Mapping[str, Mapping[str, Any]] = result.get("indicators") or {}
    console.print()
    if not indicators:
        console.print(Text("主要指标：未提取到", style="bold"))
        return
    order = {key: i for i, key in enumerate(indicator_names())}
    table = Table(title=None, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("主要指标")
    table.add_column("数值", justify="right")
    table.add_column("单位")
    for key in sorted(indicators, key=lambda k: (order.get(k, len(order)), k)):
        entry = indicators[key]
        table.add_row(
            Text(indicator_name(key)),
            Text(format_number(entry.get("value"))),
            Text(str(entry.get("unit") or "")),
        )
    console.print(table)


def _finding(
    finding: Mapping[str, Any], console: Console, name: str, text: str, index: LineIndex
) -> None:
    severity = str(finding.get("severity"))
    style = SEVERITY_STYLES.get(severity, "bold")
    head = Text()
    if has_span(finding) and 0 <= finding["start"] <= len(text):
        line, col = index.line_col(finding["start"])
        head.append(f"{name}:{line}:{col}: ", style="bold")
    else:
        line = 0
        head.append(f"{name}: ", style="bold")
    head.append(severity_name(severity), style=style)
    head.append(f"[{finding.get('rule')}]", style=style)
    head.append(" " + str(finding.get("message") or ""))
    console.print(head)
    if line:
        width = max(40, console.width)
        source, underline = excerpt(text, index, finding["start"], finding["end"], max_cells=width)
        gutter = len(str(line))
        src = Text(f" {line} | ", style="blue")
        src.append(source)
        mark = Text(" " * (gutter + 1) + " | ", style="blue")
        mark.append(underline, style=UNDERLINE_STYLES.get(severity, "bold"))
        # Cropping (not wrapping) keeps the underline aligned even if a line is too wide.
        console.print(src, no_wrap=True, overflow="crop")
        console.print(mark, no_wrap=True, overflow="crop")
    group, others = copy_group(finding)
    if others:
        # Like a compiler's "= note:" line: every other report with the passage.
        note = Text(" = ", style="blue")
        note.append(copy_group_title(group, len(others)) + "：", style="bold")
        note.append("、".join(other_report_label(o) for o in others))
        # The terminal folds the long list; rich would first break at " = ".
        console.print(note, soft_wrap=True)


def excerpt(
    text: str, index: LineIndex, start: int, end: int, *, max_cells: int = 80
) -> tuple[str, str]:
    """The source line holding `start` and a `^~~~` underline of [start, end).

    Columns are display cells, so each CJK character counts two. Lines wider than
    the terminal (or MAX_EXCERPT_CELLS) are cut to a window around the finding.
    """
    line_no = index.line_of(start)
    line_start, line_end = index.line_span(line_no)
    # Tabs and other controls would not advance the cursor predictably.
    line = "".join(" " if ch < " " else ch for ch in text[line_start:line_end])
    a = start - line_start
    b = max(a, min(end, line_end) - line_start)
    budget = max(20, min(MAX_EXCERPT_CELLS, max_cells - 12))

    left, right = 0, len(line)
    if cell_len(line) > budget:
        content = budget - 2 * len(ELLIPSIS)
        context = content // 4
        left = a
        while left > 0 and cell_len(line[left - 1 : a]) <= context:
            left -= 1
        right = left
        while right < len(line) and cell_len(line[left : right + 1]) <= content:
            right += 1
        right = max(right, min(a + 1, len(line)))
    prefix = ELLIPSIS if left > 0 else ""
    suffix = ELLIPSIS if right < len(line) else ""
    shown = prefix + line[left:right] + suffix

    pad = cell_len(prefix + line[left:a])
    span_cells = cell_len(line[a : min(b, right)])
    underline = " " * pad + "^" + "~" * max(0, span_cells - 1)
    return shown, underline


def _summary(findings: list[Mapping[str, Any]]) -> Text:
    counts = {s: 0 for s in SEVERITY_STYLES}
    for f in findings:
        counts[str(f.get("severity"))] = counts.get(str(f.get("severity")), 0) + 1
    style = "bold red" if counts["error"] else "bold yellow" if counts["warning"] else "bold green"
    return Text(summary_line(findings), style=style)


def _criteria(result: Mapping[str, Any], console: Console) -> None:
    rows = criteria(result)
    if not rows:
        return
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("评分项", no_wrap=True)
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("说明")
    for name, c in rows:
        table.add_row(
            Text(name),
            Text(f"{format_number(c.get('score'))}/{format_number(c.get('max'))}"),
            Text(str(c.get("why") or "")),
        )
    total = score_total(result)
    if total is not None:
        table.add_row(Text("合计", style="bold"), Text(f"{format_number(total)}/100"), Text(""))
    console.print(table)
