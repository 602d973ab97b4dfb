"""One self-contained HTML review page for one or several reports.

Reviewers work on closed networks, so the page carries its CSS and the little
JavaScript it has inline and loads nothing. Every piece of report text goes
through `html.escape`: reports are scraped from the web and may contain markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from fazhi import __version__
from fazhi.render.common import (
    MISSING,
    OPTIONAL_PARTS,
    PART_BADGES,
    PART_NAMES,
    SEVERITY_ORDER,
    LineIndex,
    copy_group,
    copy_group_title,
    criteria,
    display_name,
    display_title,
    format_number,
    has_span,
    indicator_name,
    indicator_names,
    level_name,
    ordered_findings,
    other_report_label,
    rule_name,
    score_total,
    severity_counts,
    severity_name,
    summary_line,
)


def render_page(results: list[dict[str, Any]]) -> str:
    """The review page for `results` (analysis contract dicts), in input order."""
    body: list[str] = []
    if len(results) > 1:
        body.append(f"<h1>法治政府建设年度报告审阅（共 {len(results)} 份）</h1>")
        body.append(_toc(results))
    if not results:
        body.append('<p class="empty">没有可显示的报告。</p>')
    prefixes = [f"r{number}" for number in range(1, len(results) + 1)]
    names = [display_name(result) for result in results]
    # Copy findings link to the other report where the page holds it; a file
    # name given twice cannot say which one.
    by_name = {n: p for n, p in zip(names, prefixes, strict=True) if names.count(n) == 1}
    for result, prefix in zip(results, prefixes, strict=True):
        body.append(_Report(result, prefix, by_name).render())
    if len(results) == 1:
        title = display_title(results[0])
    else:
        title = f"法治政府建设年度报告审阅（{len(results)} 份）"
    return _template().substitute(
        title=_e(title),
        css=_css(),
        body="\n".join(body),
        version=_e(__version__),
    )


@cache
def _template() -> Template:
    return Template(resources.files(__package__).joinpath("page.html").read_text("utf-8"))


@cache
def _css() -> str:
    css = resources.files(__package__).joinpath("style.css").read_text("utf-8")
    # The CSS is ours, but a stray "</style" would end the element early.
    return css.replace("</", "<\\/")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _id(value: object) -> str:
    """A safe fragment for an element id built from contract values."""
    return re.sub(r"[^0-9A-Za-z_-]", "_", str(value))


def _toc(results: Sequence[Mapping[str, Any]]) -> str:
    rows = []
    for number, result in enumerate(results, start=1):
        meta = result.get("meta") or {}
        counts = severity_counts(result.get("findings") or [])
        rows.append(
            "<tr>"
            f'<td class="num">{number}</td>'
            f'<td><a href="#r{number}">{_e(display_title(result))}</a>'
            f'<div class="muted">{_e(display_name(result))}</div></td>'
            f"<td>{_e(meta.get('unit') or MISSING)}</td>"
            f"<td>{_e(level_name(meta.get('level')))}</td>"
            f'<td class="num">{_e(meta.get("year") or MISSING)}</td>'
            f'<td class="num">{_e(format_number(score_total(result)) or MISSING)}</td>'
            f'<td class="num sev-error">{counts["error"]}</td>'
            f'<td class="num sev-warning">{counts["warning"]}</td>'
            f'<td class="num sev-info">{counts["info"]}</td>'
            "</tr>"
        )
    return (
        '<nav class="toc"><table class="wide"><thead><tr>'
        "<th>序号</th><th>报告</th><th>单位</th><th>层级</th><th>年度</th><th>得分</th>"
        "<th>错误</th><th>警告</th><th>提示</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></nav>"
    )


@dataclass(frozen=True)
class _Span:
    """A highlighted interval of the text: a finding or a fact."""

    start: int
    end: int
    kind: str  # "finding" | "fact"
    index: int  # position in the contract list, used for the element id
    severity: str
    title: str


class _Report:
    def __init__(
        self, result: Mapping[str, Any], prefix: str, others: Mapping[str, str] | None = None
    ) -> None:
        self.result = result
        self.prefix = prefix
        self.others = others or {}  # file name -> prefix of the other reports on the page
        self.text = str(result.get("text") or "")
        self.lines = LineIndex(self.text)
        self.sections: list[Mapping[str, Any]] = list(result.get("sections") or [])
        self.facts: list[Mapping[str, Any]] = list(result.get("facts") or [])
        self.findings: list[Mapping[str, Any]] = list(result.get("findings") or [])
        self.section_ids = {str(s.get("id")) for s in self.sections}

    # -- anchors -----------------------------------------------------------
    def section_anchor(self, section_id: object) -> str:
        return f"{self.prefix}-sec-{_id(section_id)}"

    def finding_anchor(self, index: int) -> str:
        return f"{self.prefix}-f{index}"

    def fact_anchor(self, index: int) -> str:
        return f"{self.prefix}-d{index}"

    def line_anchor(self, line: int) -> str:
        return f"{self.prefix}-L{line}"

    def _in_text(self, item: Mapping[str, Any]) -> bool:
        return has_span(item) and 0 <= item["start"] <= item["end"] <= len(self.text)

    # -- page parts --------------------------------------------------------
    def render(self) -> str:
        out = [f'<section class="report" id="{self.prefix}">']
        out.append(self._head())
        out.append("<h3>五项法定内容</h3>")
        out.append(self._checklist())
        out.append(f"<h3>问题清单（{len(self.findings)}）</h3>")
        out.append(self._findings_table())
        out.append("<h3>结构提纲</h3>")
        out.append(self._outline())
        out.append("<h3>主要指标</h3>")
        out.append(self._indicators())
        out.append("<h3>报告正文</h3>")
        out.append(self._text())
        out.append(f"<h3>数据（{len(self.facts)}）</h3>")
        out.append(self._facts_table())
        out.append("</section>")
        return "\n".join(out)

    def _head(self) -> str:
        meta = self.result.get("meta") or {}
        fields = [
            ("文件", display_name(self.result)),
            ("单位", meta.get("unit") or MISSING),
            ("层级", level_name(meta.get("level"))),
            ("年度", meta.get("year") or MISSING),
            ("日期", meta.get("date") or MISSING),
            ("地区", meta.get("region") or MISSING),
        ]
        dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in fields)
        title = meta.get("title")
        heading = (
            _e(title)
            if title
            else f'{_e(display_name(self.result))}<span class="muted">（未识别标题）</span>'
        )
        total = score_total(self.result)
        counts = severity_counts(self.findings)
        score_box = (
            '<div class="score-box">'
            '<div class="muted">得分</div>'
            f'<div class="score-total">{_e(format_number(total) or MISSING)}'
            "<small>/100</small></div>"
            '<div class="counts">'
            f'<span class="c-error">{counts["error"]} 个错误</span>　'
            f'<span class="c-warning">{counts["warning"]} 个警告</span>　'
            f'<span class="c-info">{counts["info"]} 个提示</span>'
            "</div></div>"
        )
        return (
            '<header class="report-head"><div>'
            f"<h2>{heading}</h2>"
            f'<dl class="meta">{dl}</dl>'
            f"</div>{score_box}</header>" + self._criteria()
        )

    def _criteria(self) -> str:
        rows = criteria(self.result)
        if not rows:
            return ""
        body = "".join(
            "<tr>"
            f"<td>{_e(name)}</td>"
            f'<td class="num">{_e(format_number(c.get("score")))}</td>'
            f'<td class="num">{_e(format_number(c.get("max")))}</td>'
            f"<td>{_e(c.get('why') or '')}</td>"
            "</tr>"
            for name, c in rows
        )
        return (
            "<h3>评分依据</h3>"
            '<table class="wide criteria"><thead><tr>'
            "<th>评分项</th><th>得分</th><th>满分</th><th>说明</th>"
            f"</tr></thead><tbody>{body}</tbody></table>"
        )

    def _section_link(self, section_id: object) -> str:
        for s in self.sections:
            if s.get("id") == section_id:
                label = f"{s.get('marker') or ''}{s.get('title') or ''}" or str(section_id)
                return f'<a href="#{self.section_anchor(section_id)}">{_e(label)}</a>'
        return _e(section_id)

    def _checklist(self) -> str:
        parts = self.result.get("parts") or {}
        items = []
        for part, label in PART_NAMES.items():
            info = parts.get(part) or {}
            present = bool(info.get("present"))
            optional = part in OPTIONAL_PARTS
            mark = '<span class="ok">✓</span>' if present else '<span class="no">✗</span>'
            note = "（可选）" if optional else ""
            if present:
                links = "、".join(self._section_link(s) for s in info.get("sections") or [])
                detail = f'<span class="muted">{_e(info.get("chars", 0))} 字</span>'
                if links:
                    detail += f'<span class="muted">，见 </span>{links}'
            else:
                detail = '<span class="muted">未找到</span>'
            cls = ' class="optional"' if optional else ""
            items.append(f"<li{cls}>{mark} {_e(label)}{_e(note)}　{detail}</li>")
        return f'<ul class="checklist">{"".join(items)}</ul>'

    def _findings_table(self) -> str:
        if not self.findings:
            return '<p class="empty">未发现问题。</p>'
        rows = []
        for index, f in ordered_findings(self.findings):
            severity = str(f.get("severity"))
            if self._in_text(f):
                line, col = self.lines.line_col(f["start"])
                where = f'<a href="#{self.finding_anchor(index)}">{line}:{col}</a>'
            else:
                where = '<span class="muted">全文</span>'
            section = f.get("section")
            sec = self._section_link(section) if section else ""
            rows.append(
                "<tr>"
                f"<td>{where}</td>"
                f'<td><span class="sev sev-{_id(severity)}">'
                f"{_e(severity_name(severity))}</span></td>"
                f"<td>{_e(rule_name(str(f.get('rule'))))}"
                f'<div class="rule-slug">{_e(f.get("rule"))}</div></td>'
                f"<td>{_e(f.get('message') or '')}{self._copy_group(f)}</td>"
                f"<td>{sec}</td>"
                "</tr>"
            )
        return (
            f'<p class="muted">{_e(summary_line(self.findings))}</p>'
            '<table class="wide findings"><thead><tr>'
            "<th>位置</th><th>级别</th><th>规则</th><th>说明</th><th>所在章节</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _copy_group(self, finding: Mapping[str, Any]) -> str:
        """Every other report with the passage, linked to it when it is on the page."""
        group, others = copy_group(finding)
        if not others:
            return ""
        items = []
        for other in others:
            label = _e(other_report_label(other))
            prefix = self.others.get(str(other.get("name")))
            line = other.get("line")
            if prefix and prefix != self.prefix and isinstance(line, int):
                label = f'<a href="#{prefix}-L{line}">{label}</a>'
            items.append(f"<li>{label}</li>")
        return (
            f'<details class="copy-group"><summary>{_e(copy_group_title(group, len(others)))}'
            f"</summary><ul>{''.join(items)}</ul></details>"
        )

    def _outline(self) -> str:
        if not self.sections:
            return '<p class="empty">未识别出章节标题。</p>'
        children: dict[str | None, list[Mapping[str, Any]]] = {}
        for s in self.sections:
            parent = s.get("parent")
            # An unknown parent would hide the section; show it at the top instead.
            key = str(parent) if parent is not None and str(parent) in self.section_ids else None
            children.setdefault(key, []).append(s)

        def tree(parent: str | None, seen: frozenset[str]) -> str:
            items = []
            for s in children.get(parent, []):
                sid = str(s.get("id"))
                if sid in seen:  # a cycle in bad data must not recurse forever
                    continue
                badge = ""
                part = s.get("part")
                if part:
                    badge = (
                        f'<span class="badge" title="{_e(PART_NAMES.get(part, part))}">'
                        f"{_e(PART_BADGES.get(part, part))}</span>"
                    )
                label = f"{s.get('marker') or ''}{s.get('title') or ''}"
                sub = tree(sid, seen | {sid})
                items.append(
                    f'<li><a href="#{self.section_anchor(sid)}">{_e(label)}</a>{badge}{sub}</li>'
                )
            return f"<ul>{''.join(items)}</ul>" if items else ""

        return f'<nav class="outline">{tree(None, frozenset())}</nav>'

    def _indicators(self) -> str:
        indicators: Mapping[str, Mapping[str, Any]] = self.result.get("indicators") or {}
        if not indicators:
            return '<p class="empty">未提取到主要指标。</p>'
        order = {key: i for i, key in enumerate(indicator_names())}
        rows = []
        for key in sorted(indicators, key=lambda k: (order.get(k, len(order)), k)):
            entry = indicators[key]
            fact = entry.get("fact")
            source = ""
            if isinstance(fact, int) and 0 <= fact < len(self.facts):
                source = (
                    f'<a href="#{self.fact_anchor(fact)}">{_e(self.facts[fact].get("text"))}</a>'
                )
            rows.append(
                "<tr>"
                f"<td>{_e(indicator_name(key))}</td>"
                f'<td class="num">{_e(format_number(entry.get("value")))}</td>'
                f"<td>{_e(entry.get('unit') or '')}</td>"
                f"<td>{source}</td>"
                "</tr>"
            )
        return (
            '<table class="indicators"><thead><tr>'
            "<th>指标</th><th>数值</th><th>单位</th><th>原文</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def _facts_table(self) -> str:
        if not self.facts:
            return '<p class="empty">未提取到数据。</p>'
        rows = []
        for index, fact in enumerate(self.facts):
            text = _e(fact.get("text"))
            if self._in_text(fact):
                line = self.lines.line_of(fact["start"])
                text = f'<a href="#{self.fact_anchor(index)}">{text}</a>'
                where = f'<a href="#{self.line_anchor(line)}">{line}</a>'
            else:
                where = ""
            rows.append(
                "<tr>"
                f'<td class="num">{where}</td>'
                f"<td>{text}</td>"
                f'<td class="num">{_e(format_number(fact.get("value")))}</td>'
                f"<td>{_e(fact.get('unit') or '')}</td>"
                f"<td>{_e(fact.get('qualifier') or '')}</td>"
                f"<td>{_e(fact.get('subject') or '')}</td>"
                f"<td>{_e(indicator_name(fact.get('indicator')))}</td>"
                "</tr>"
            )
        return (
            '<table class="wide facts"><thead><tr>'
            "<th>行</th><th>原文</th><th>数值</th><th>单位</th><th>限定词</th><th>主体</th><th>指标</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    # -- the text with highlights -----------------------------------------
    def _spans(self) -> list[_Span]:
        spans = []
        for index, f in enumerate(self.findings):
            if self._in_text(f):
                severity = str(f.get("severity"))
                title = f"{severity_name(severity)}：{f.get('message') or ''}"
                spans.append(_Span(f["start"], f["end"], "finding", index, severity, title))
        for index, fact in enumerate(self.facts):
            if self._in_text(fact) and fact["end"] > fact["start"]:
                title = f"数据：{fact.get('text') or ''}"
                name = indicator_name(fact.get("indicator"))
                if name:
                    title += f"（{name}）"
                spans.append(_Span(fact["start"], fact["end"], "fact", index, "", title))
        return spans

    def _depths(self) -> dict[str, int]:
        parents = {str(s.get("id")): s.get("parent") for s in self.sections}
        depths: dict[str, int] = {}
        for sid in parents:
            depth, cur, seen = 0, parents[sid], {sid}
            while cur is not None and str(cur) in parents and str(cur) not in seen:
                seen.add(str(cur))
                depth += 1
                cur = parents[str(cur)]
            depths[sid] = depth
        return depths

    def _text(self) -> str:
        spans = self._spans()
        depths = self._depths()
        # Section anchors: at a line start they label the paragraph, elsewhere inline.
        line_heads: dict[int, tuple[str, int]] = {}
        inline_anchors: dict[int, list[str]] = {}
        for s in self.sections:
            start = s.get("start")
            if not isinstance(start, int) or not 0 <= start <= len(self.text):
                continue
            sid = str(s.get("id"))
            line = self.lines.line_of(start)
            line_start, _ = self.lines.line_span(line)
            if not self.text[line_start:start].strip() and line not in line_heads:
                line_heads[line] = (self.section_anchor(sid), depths.get(sid, 0))
            else:
                inline_anchors.setdefault(start, []).append(self.section_anchor(sid))

        out = ['<div class="text">']
        for line in range(1, len(self.lines.starts) + 1):
            line_start, line_end = self.lines.line_span(line)
            overlapping = [
                sp
                for sp in spans
                if (sp.start < line_end and sp.end > line_start)
                or (sp.start == sp.end and line_start <= sp.start <= line_end)
            ]
            anchors = {k: v for k, v in inline_anchors.items() if line_start <= k < line_end}
            if not self.text[line_start:line_end].strip() and not overlapping and not anchors:
                continue
            content = self._line(line_start, line_end, overlapping, anchors)
            attrs = f'id="{self.line_anchor(line)}" data-line="{line}"'
            if line in line_heads:
                anchor, depth = line_heads[line]
                # The paragraph keeps its line id through an inline anchor.
                content = f'<span class="anchor" id="{self.line_anchor(line)}"></span>' + content
                attrs = f'id="{anchor}" data-line="{line}" class="heading depth-{min(depth, 3)}"'
            out.append(f"<p {attrs}>{content}</p>")
        out.append("</div>")
        return "\n".join(out)

    def _line(
        self,
        line_start: int,
        line_end: int,
        spans: Sequence[_Span],
        anchors: Mapping[int, list[str]],
    ) -> str:
        """One line as non-overlapping segments, each wrapped once for all spans over it."""
        points = {line_start, line_end, *anchors}
        for sp in spans:
            points.add(min(max(sp.start, line_start), line_end))
            points.add(min(max(sp.end, line_start), line_end))
        bounds = sorted(points)
        pins = [sp for sp in spans if sp.start == sp.end]
        ranged = [sp for sp in spans if sp.end > sp.start]
        started: set[tuple[str, int]] = set()
        out: list[str] = []
        for i, x in enumerate(bounds):
            out.extend(f'<span class="anchor" id="{a}"></span>' for a in anchors.get(x, []))
            out.extend(self._pin(sp) for sp in pins if sp.start == x)
            if i + 1 == len(bounds):
                break
            y = bounds[i + 1]
            if y <= x:
                continue
            active = [sp for sp in ranged if sp.start <= x and sp.end >= y]
            out.append(self._segment(self.text[x:y], active, started))
        return "".join(out)

    def _pin(self, sp: _Span) -> str:
        # A zero-width finding (e.g. a missing enumerator) still needs a visible mark.
        return (
            f'<mark class="pin f-{_id(sp.severity)}" id="{self.finding_anchor(sp.index)}"'
            f' title="{_e(sp.title)}"></mark>'
        )

    def _segment(self, chunk: str, active: Sequence[_Span], started: set[tuple[str, int]]) -> str:
        if not active:
            return _e(chunk)
        findings = [sp for sp in active if sp.kind == "finding"]
        facts = [sp for sp in active if sp.kind == "fact"]
        classes = []
        if findings:
            worst = min(findings, key=lambda sp: SEVERITY_ORDER.get(sp.severity, 9))
            classes.append(f"f-{_id(worst.severity)}")
        if facts:
            classes.append("fact")
        # The first segment of each span carries its id, so lists can link to it.
        ids = []
        for sp in active:
            key = (sp.kind, sp.index)
            if key not in started:
                started.add(key)
                ids.append(
                    self.finding_anchor(sp.index)
                    if sp.kind == "finding"
                    else self.fact_anchor(sp.index)
                )
        extra = "".join(f'<span class="anchor" id="{a}"></span>' for a in ids[1:])
        id_attr = f' id="{ids[0]}"' if ids else ""
        title = "\n".join(_unique(sp.title for sp in findings + facts))
        return (
            f'{extra}<mark class="{" ".join(classes)}"{id_attr} title="{_e(title)}">'
            f"{_e(chunk)}</mark>"
        )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
