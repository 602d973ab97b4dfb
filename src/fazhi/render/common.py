"""Labels and helpers the three renderers share.

The renderers read the analysis contract (`shared/spec/analysis.md`), i.e. plain
dicts as produced by `Document.to_json()`, so that the web platform can feed them
results it stored as JSON without rebuilding Document objects.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Any

from fazhi import data

PART_NAMES: dict[str, str] = {
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "first_responsible": "党政主要负责人履行第一责任人职责情况",
    "next_year": "下一年度主要安排",
    "other": "其他需要报告的情况",
}
# Short forms for badges next to section titles.
PART_BADGES: dict[str, str] = {
    "measures": "举措成效",
    "shortcomings": "不足原因",
    "first_responsible": "第一责任人",
    "next_year": "下年安排",
    "other": "其他情况",
}
OPTIONAL_PARTS = frozenset({"other"})

# The platform's level labels (fazhi_web.units.models.Level) read the same, with the
# county's label spelling out what it covers; brackets are full-width as in names.
LEVEL_NAMES: dict[str, str] = {
    "province": "省级",
    "city": "市级",
    "county": "县级",
    "town": "乡镇（街道）",
    "department": "政府部门",
    "zone": "开发区（园区）",
}

SEVERITY_NAMES: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}

MISSING = "—"


def indicator_names() -> dict[str, str]:
    """Indicator id -> Chinese name, in the order of the spec table."""
    names: dict[str, str] = data.load("indicator_names")["names"]
    return names


def indicator_name(indicator: str | None) -> str:
    if not indicator:
        return ""
    return indicator_names().get(indicator, indicator)


def rule_name(rule: str) -> str:
    """Chinese name of a rule slug; the slug itself for rules not in rules.toml."""
    entry = data.load("rules").get(rule)
    if isinstance(entry, Mapping) and isinstance(entry.get("name"), str):
        return str(entry["name"])
    return rule


def level_name(level: str | None) -> str:
    if not level:
        return MISSING
    return LEVEL_NAMES.get(level, level)


def severity_name(severity: str) -> str:
    return SEVERITY_NAMES.get(severity, severity)


def format_number(value: float | int | None) -> str:
    """A number as a reader writes it: no trailing `.0`, no exponent."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def plain_number(value: float | int) -> float | int:
    """An int when integral, so spreadsheets and tables show `3134`, not `3134.0`."""
    return int(value) if float(value).is_integer() else float(value)


def display_name(result: Mapping[str, Any]) -> str:
    source = result.get("source") or {}
    return str(source.get("name") or "未命名报告")


def display_title(result: Mapping[str, Any]) -> str:
    meta = result.get("meta") or {}
    return str(meta.get("title") or display_name(result))


class LineIndex:
    """1-based line/column of offsets into a report text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.line_of(offset)
        return line, offset - self.starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end (without the newline) of a 1-based line."""
        start = self.starts[line - 1]
        end = self.text.find("\n", start)
        return start, len(self.text) if end < 0 else end


def has_span(finding: Mapping[str, Any]) -> bool:
    return isinstance(finding.get("start"), int) and isinstance(finding.get("end"), int)


def copy_group(finding: Mapping[str, Any]) -> tuple[int | None, list[Mapping[str, Any]]]:
    """The group number and the other reports of a copy-paste finding (none for others).

    `data.others` lists every other report holding the passage; the message
    names only the first few.
    """
    data = finding.get("data")
    if not isinstance(data, Mapping) or not isinstance(data.get("others"), list):
        return None, []
    group = data.get("group")
    others = [o for o in data["others"] if isinstance(o, Mapping)]
    return (group if isinstance(group, int) else None), others


def other_report_label(other: Mapping[str, Any]) -> str:
    """《file》第N行（unit）: where another report has the passage."""
    label = f"《{other.get('name') or '未命名报告'}》"
    if isinstance(other.get("line"), int):
        label += f"第{other['line']}行"
    unit = other.get("unit")
    if unit and str(unit) not in label:
        label += f"（{unit}）"
    return label


def copy_group_title(group: int | None, count: int) -> str:
    # No spaces: the terminal wraps the list after it at spaces.
    head = f"雷同组{group}" if group is not None else "雷同段落"
    return f"{head}：另有{count}份报告含此段"


def severity_counts(findings: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITY_NAMES, 0)
    for f in findings:
        sev = str(f.get("severity"))
        counts[sev] = counts.get(sev, 0) + 1
    return counts


def summary_line(findings: Sequence[Mapping[str, Any]]) -> str:
    counts = severity_counts(findings)
    return f"{counts['error']} 个错误，{counts['warning']} 个警告，{counts['info']} 个提示"


def ordered_findings(findings: Sequence[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any]]]:
    """Findings with their contract index: report-wide ones first, then by position.

    The index is kept because HTML anchors and cross references use it.
    """
    indexed = list(enumerate(findings))
    return sorted(
        indexed,
        key=lambda p: (
            has_span(p[1]),
            p[1].get("start") if has_span(p[1]) else 0,
            SEVERITY_ORDER.get(str(p[1].get("severity")), 9),
            p[0],
        ),
    )


def criteria(result: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    score = result.get("score") or {}
    crit = score.get("criteria") or {}
    # Criteria carry a Chinese label; the key is the stable id.
    return [(str(c.get("label") or name), dict(c)) for name, c in crit.items()]


def score_total(result: Mapping[str, Any]) -> float | int | None:
    score = result.get("score") or {}
    total = score.get("total")
    return plain_number(total) if isinstance(total, int | float) else None
