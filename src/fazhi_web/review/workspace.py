"""What the review workspace shows of one version: text, findings beside it, facts, counts.

Pure reads over a version's analysis and the reviewers' decisions; the views
put them on the page and the card fragments the page swaps in place.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from fazhi.render.common import OPTIONAL_PARTS, PART_BADGES, PART_NAMES, rule_name
from fazhi_web.reports.models import ReportVersion
from fazhi_web.review import highlight
from fazhi_web.review.forms import indicator_choices
from fazhi_web.review.models import Comment, FindingDecision

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_PRIORITY = {"error": 3, "warning": 2, "info": 1}
# Web-page furniture the engine removed: one folded line, not a card each.
FURNITURE_RULE = "boilerplate"
# duplicate-sentence names the earlier copy by its line of the text, which is a
# paragraph here: "另见第9行" becomes a link to paragraph 9.
SEE_LINE = re.compile(r"另见第(\d+)行")


def user_name(user: Any) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def message_html(message: str, paragraphs: int) -> SafeString:
    """The finding's message, escaped, its "另见第N行" a link to that paragraph."""
    out, last = [], 0
    for m in SEE_LINE.finditer(message):
        n = int(m[1])
        if not 1 <= n <= paragraphs:
            continue
        out.append(format_html("{}", message[last : m.start()]))
        out.append(format_html('另见<a href="#p-{}" class="see">第{}段</a>', n, n))
        last = m.end()
    out.append(format_html("{}", message[last:]))
    return mark_safe("".join(out))


class Lines:
    """Paragraph numbers of text offsets: the text's lines, counted from 1."""

    def __init__(self, text: str) -> None:
        self.starts = [0]
        for line in text.split("\n")[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)
        self.length = len(text)

    def number(self, offset: Any) -> int | None:
        if not isinstance(offset, int) or not 0 <= offset <= self.length:
            return None
        return bisect.bisect_right(self.starts, offset)

    def __len__(self) -> int:
        return len(self.starts)


FINDING_ACTIONS = ("dismiss", "restore", "finding_comment")


def _action_urls(version_pk: int) -> Callable[[int], dict[str, str]]:
    """The URLs of the actions on each finding. reverse() takes a fraction of a millisecond,
    and a long report lists hundreds of findings: it runs once per action, not per finding."""
    marker = "/finding/0/"
    patterns = {name: reverse(f"review:{name}", args=[version_pk, 0]) for name in FINDING_ACTIONS}
    assert all(marker in url for url in patterns.values()), patterns
    return lambda index: {
        name: url.replace(marker, f"/finding/{index}/") for name, url in patterns.items()
    }


def findings(
    version: ReportVersion, lines: Lines, comments: list[Comment] | None = None
) -> list[dict[str, Any]]:
    """Every finding of the version with its decision, paragraph and margin comments."""
    decisions = {d.finding_index: d for d in version.decisions.select_related("decided_by")}
    raw = version.analysis.get("findings", [])
    by_finding: dict[int, list[Comment]] = {}
    for c in comments or []:
        if (
            c.version_id == version.pk
            and not c.hidden_reason
            and c.finding_index is not None
            and c.finding_index < len(raw)
            and raw[c.finding_index].get("rule") == c.finding_rule
        ):
            by_finding.setdefault(c.finding_index, []).append(c)
    corrections = _correctable(version)
    urls = _action_urls(version.pk)
    out = []
    for i, f in enumerate(raw):
        decision = decisions.get(i)
        start, end = f.get("start"), f.get("end")
        positioned = isinstance(start, int) and isinstance(end, int)
        out.append(
            {
                "index": i,
                "number": i + 1,
                "rule": f.get("rule", ""),
                "rule_name": rule_name(f.get("rule", "")),
                "severity": f.get("severity", "info"),
                "severity_name": SEVERITY_NAMES.get(f.get("severity", ""), ""),
                "message": SEE_LINE.sub(r"另见第\1段", f.get("message", "")),
                "message_html": message_html(f.get("message", ""), len(lines)),
                "start": start if positioned else None,
                "end": end if positioned else None,
                "para": lines.number(start) if positioned else None,
                "section": f.get("section"),
                "decision": decision,
                "decided_by": user_name(decision.decided_by) if decision else "",
                "private": f.get("rule") == "private-info",
                "furniture": f.get("rule") == FURNITURE_RULE,
                "comments": by_finding.get(i, []),
                "urls": urls(i),
                "corrections": [
                    c for c in corrections if positioned and c["start"] < end and start < c["end"]
                ],
            }
        )
    return out


def _correctable(version: ReportVersion) -> list[dict[str, Any]]:
    """Facts mapped to an indicator, each with the span it covers, to offer 更正指标."""
    names = dict(indicator_choices())
    out = []
    for fact in version.analysis.get("facts", []):
        key = fact.get("indicator")
        if not key or key not in names:
            continue
        fs, fe = fact.get("start"), fact.get("end")
        if not isinstance(fs, int) or not isinstance(fe, int):
            continue
        out.append(
            {
                "indicator": key,
                "name": names[key],
                "value": fact.get("value"),
                "unit": fact.get("unit") or "",
                "start": fs,
                "end": fe,
            }
        )
    return out


def shown(every: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings the page lists: the first ones, and every personal-data one, as those
    must all be resolved before publication."""
    limit = settings.FAZHI_FINDINGS_SHOWN
    return [f for f in every if f["index"] < limit or f["private"]]


def counts(version: ReportVersion) -> dict[str, int]:
    """Open findings by severity and how many are dismissed, over all of them."""
    decided = set(
        FindingDecision.objects.filter(version=version).values_list("finding_index", flat=True)
    )
    tally: Counter[str] = Counter()
    for i, f in enumerate(version.analysis.get("findings", [])):
        if i in decided:
            tally["dismissed"] += 1
        else:
            tally[f.get("severity", "info")] += 1
    return {k: tally[k] for k in ("error", "warning", "info", "dismissed")}


def paragraphs(text: str, listed: list[dict[str, Any]], sections: list[dict]) -> list[dict]:
    """The text's lines, numbered, with the listed findings highlighted and section anchors."""
    spans = []
    for f in listed:
        if f["start"] is None or f["furniture"]:
            continue
        if f["decision"] is not None:
            classes = "finding dismissed"
            title = f"已标为误报：{f['decision'].reason}（{f['decided_by']}）｜{f['message']}"
            priority = 0
        else:
            classes = f"finding sev-{f['severity']}"
            title = f["message"]
            priority = SEVERITY_PRIORITY.get(f["severity"], 1)
        spans.append(highlight.Span(f["start"], f["end"], classes, title, priority, f["index"]))
    lines = highlight.lines(text, spans)
    starts = [line.start for line in lines]
    anchors: dict[int, list[str]] = {}
    for s in sections:
        offset = s.get("start")
        if isinstance(offset, int) and 0 <= offset <= len(text):
            line = max(0, bisect.bisect_right(starts, offset) - 1)
            anchors.setdefault(line, []).append(f"sec-{s['id']}")
    return [
        {"number": i + 1, "segments": line.segments, "anchors": anchors.get(i, [])}
        for i, line in enumerate(lines)
        if line.segments or anchors.get(i)
    ]


def _depths(sections: list[dict]) -> dict[str, int]:
    parents = {s["id"]: s.get("parent") for s in sections}
    depths: dict[str, int] = {}
    for sid in parents:
        depth, parent, seen = 0, parents[sid], {sid}
        while parent and parent not in seen and depth < 10:
            seen.add(parent)
            depth += 1
            parent = parents.get(parent)
        depths[sid] = depth
    return depths


def outline(sections: list[dict], lines: Lines) -> list[dict]:
    depths = _depths(sections)
    return [
        {
            **s,
            "heading": (s.get("marker") or "") + (s.get("title") or ""),
            "depth": depths.get(s["id"], 0),
            "badge": PART_BADGES.get(s.get("part") or "", ""),
            "para": lines.number(s.get("start")),
        }
        for s in sections
    ]


def checklist(sections: list[dict], parts: dict[str, Any]) -> list[dict]:
    headings = {s["id"]: (s.get("marker") or "") + (s.get("title") or "") for s in sections}
    return [
        {
            "part": part,
            "name": PART_NAMES[part],
            "present": bool(parts.get(part, {}).get("present")),
            "optional": part in OPTIONAL_PARTS,
            "sections": [
                (sid, headings.get(sid, "")) for sid in parts.get(part, {}).get("sections", [])[:3]
            ],
        }
        for part in PART_NAMES
    ]


def facts(analysis: dict[str, Any], lines: Lines) -> dict[str, Any]:
    """The facts with their indicator's name; the page shows the mapped ones by default."""
    names = dict(indicator_choices())
    every = analysis.get("facts", [])
    limit = settings.FAZHI_FINDINGS_SHOWN
    rows = [
        {
            **fact,
            "indicator_name": names.get(fact.get("indicator") or "", ""),
            "para": lines.number(fact.get("start")),
        }
        for fact in every[:limit]
    ]
    return {
        "rows": rows,
        "total": len(every),
        "mapped": sum(1 for f in every if f.get("indicator")),
        "hidden": max(0, len(every) - limit),
    }
