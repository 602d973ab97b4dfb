"""What changed between two versions of a report: text by paragraph, and the analysis."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from fazhi import data as engine_data
from fazhi.rules.base import rule_text
from fazhi.stages.parts import part_names
from fazhi_web.reports.models import ReportVersion


@dataclass
class Line:
    # "hunk" (position header), "context", "added" or "removed".
    kind: str
    text: str
    # For a paragraph that was edited rather than replaced: (changed?, piece) pairs,
    # so the page can show which characters changed inside a long paragraph.
    pieces: list[tuple[bool, str]] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def _pieces(a: str, b: str) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    old: list[tuple[bool, str]] = []
    new: list[tuple[bool, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            old.append((op != "equal", a[i1:i2]))
        if j2 > j1:
            new.append((op != "equal", b[j1:j2]))
    return old, new


def _similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).quick_ratio() >= 0.5


def _where(start: int, end: int) -> str:
    """A paragraph range, 0-based and end-exclusive, as a reader counts it."""
    if end == start:
        return f"第{start}段之后" if start else "开头"
    if end - start == 1:
        return f"第{end}段"
    return f"第{start + 1}–{end}段"


def text_diff(old: str, new: str, context: int = 1) -> list[Line]:
    """A unified diff of paragraphs; an edited paragraph also carries its changed characters."""
    a, b = paragraphs(old), paragraphs(new)
    lines: list[Line] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        lines.append(Line("hunk", f"原{_where(first[1], last[2])} → 新{_where(first[3], last[4])}"))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines.extend(Line("context", p) for p in a[i1:i2])
                continue
            removed = [Line("removed", p) for p in a[i1:i2]]
            added = [Line("added", p) for p in b[j1:j2]]
            if op == "replace":
                for r, ad in zip(removed, added, strict=False):
                    if _similar(r.text, ad.text):
                        r.pieces, ad.pieces = _pieces(r.text, ad.text)
            lines.extend(removed)
            lines.extend(added)
    return lines


def _finding_counts(analysis: dict[str, Any]) -> Counter[str]:
    return Counter(f["rule"] for f in analysis.get("findings", []))


def analysis_changes(a: ReportVersion, b: ReportVersion) -> dict[str, Any]:
    """Score, parts, indicators and findings of version a against version b."""
    names = part_names()
    parts = []
    for key, label in names.items():
        before = bool(a.analysis.get("parts", {}).get(key, {}).get("present"))
        after = bool(b.analysis.get("parts", {}).get(key, {}).get("present"))
        parts.append({"label": label, "before": before, "after": after, "changed": before != after})

    indicator_names = engine_data.load("indicator_names")["names"]
    ia, ib = a.analysis.get("indicators", {}), b.analysis.get("indicators", {})
    indicators = []
    # In the spec's order, so the table reads like every other indicator table.
    for key in [k for k in indicator_names if k in ia or k in ib] + sorted(
        k for k in set(ia) | set(ib) if k not in indicator_names
    ):
        before, after = ia.get(key), ib.get(key)
        vb = before["value"] if before else None
        va = after["value"] if after else None
        if vb == va:
            continue
        indicators.append(
            {
                "label": indicator_names.get(key, key),
                "before": vb,
                "after": va,
                "unit": (after or before or {}).get("unit", ""),
            }
        )

    ca, cb = _finding_counts(a.analysis), _finding_counts(b.analysis)
    findings = []
    for rule in sorted(set(ca) | set(cb)):
        try:
            label = rule_text(rule).name
        except KeyError:
            label = rule
        findings.append(
            {"label": label, "before": ca[rule], "after": cb[rule], "changed": ca[rule] != cb[rule]}
        )

    score_delta = None
    if a.score is not None and b.score is not None:
        score_delta = round(b.score - a.score, 1)
    return {
        "score_before": a.score,
        "score_after": b.score,
        "score_delta": score_delta,
        "parts": parts,
        "parts_changed": any(p["changed"] for p in parts),
        "indicators": indicators,
        "findings": findings,
        "findings_before": sum(ca.values()),
        "findings_after": sum(cb.values()),
    }


def default_pair(versions: list[ReportVersion]) -> tuple[ReportVersion, ReportVersion] | None:
    """Which two versions to compare when the page is opened without ?a=&b=.

    After a re-submission the reviewer wants the last two submitted versions; while a
    returned report is being revised, the reporter wants the latest against what the
    reviewer last saw; otherwise the latest against the one before it.
    """
    if len(versions) < 2:
        return None
    submitted = [v for v in versions if v.submitted_at is not None]
    latest = versions[-1]
    if latest.submitted_at is not None and len(submitted) >= 2:
        return submitted[-2], submitted[-1]
    if submitted and latest.submitted_at is None:
        return submitted[-1], latest
    return versions[-2], latest
