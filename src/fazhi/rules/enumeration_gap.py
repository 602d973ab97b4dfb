"""Flags numbering that skips, repeats, runs backwards or loses its numeral.

## What it finds
- Sibling headings (一、二、…, (一)(二)…, 1. 2. …) under one parent whose
  numbers skip ("一、" then "三、"), repeat, or go backwards.
- Inline enumerations 一是…二是…三是 inside one section that skip
  (一是, 三是), repeat (五是, 五是) or lose the numeral ("。是发挥…" where
  "五是" was meant).
- A heading line that starts with a bare "、" or "()", its numeral gone.

## Why it matters
A broken sequence is the most visible sign of careless editing, and usually
marks a place where a paragraph was cut or pasted: the reviewer should read
there closely. It is also returned for correction before publication.

## Example
    一是落实《重大行政决策程序暂行条例》……三是完善重大行政决策责任追究制度
flags "三是": 序号“一是”之后是“三是”，缺少“二是”。
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from fazhi.document import Document, Finding, Section
from fazhi.rules.base import rule_text
from fazhi.stages.sections import match_marker, numeral_value

SLUG = "enumeration-gap"
TEXT = rule_text(SLUG)

_DIGITS = "一二三四五六七八九"
# "X{0,2}" after one X rather than "X{1,3}": a pattern that opens with a plain
# character class lets the search skip ahead.
_INLINE = re.compile(
    r"([一二三四五六七八九十][一二三四五六七八九十]{0,2})是(?=[\u4e00-\u9fa5“《0-9])"
)
# 是 after 。 or ;: the lookbehind follows the literal, so that the search
# skips ahead to each 是 instead of testing the lookbehind at every offset.
_LOST = re.compile(r"是(?<=[。;]是)(?=[\u4e00-\u9fa5“《]{2})")
# A heading marker that lost its numeral, at the start of a line: the line
# break is matched rather than anchored to, so that the search skips ahead.
_LOST_NUMERAL = r"(?:、|\(\)|\(、)"
_BARE_AT_START = re.compile(_LOST_NUMERAL)
_BARE_AFTER_BREAK = re.compile(rf"\n{_LOST_NUMERAL}")
_AFTER_PUNCT = "。;,:!?\n"


def chinese_numeral(n: int) -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens - 1] + "十")
    return head + (_DIGITS[ones - 1] if ones else "")


def _sequence_problem(prev: int, cur: int) -> str | None:
    if cur == prev + 1 or cur == 1:
        return None
    if cur == prev:
        return "repeat"
    if cur > prev + 1:
        return "skip"
    return "regress"


def _detail(problem: str, prev: str, cur: str, missing: str) -> str:
    return {
        "repeat": f"序号“{cur}”重复出现。",
        "skip": f"序号“{prev}”之后是“{cur}”，缺少“{missing}”。",
        "regress": f"序号“{cur}”出现在“{prev}”之后，顺序有误。",
    }[problem]


def _heading_gaps(doc: Document) -> Iterator[Finding]:
    groups: dict[tuple[str | None, int], list[Section]] = {}
    for s in doc.sections:
        hit = match_marker(s.marker, 0) if s.marker else None
        if hit is not None:
            groups.setdefault((s.parent, hit[0]), []).append(s)
    for (_, rank), siblings in groups.items():
        numbers = [numeral_value(s.marker) for s in siblings]
        first = numbers[0]
        if rank <= 2 and first is not None and first > 1:
            expected = siblings[0].marker.replace(chinese_numeral(first), "一", 1)
            yield TEXT.finding(
                siblings[0].start,
                siblings[0].start + len(siblings[0].marker),
                detail=f"“{siblings[0].marker}”之前缺少“{expected}”。",
            )
        for prev_s, cur_s, prev, cur in zip(
            siblings, siblings[1:], numbers, numbers[1:], strict=False
        ):
            if prev is None or cur is None:
                continue
            problem = _sequence_problem(prev, cur)
            if problem:
                missing = prev_s.marker.replace(
                    _numeral_text(prev_s.marker), _numeral_as(prev_s.marker, prev + 1), 1
                )
                yield TEXT.finding(
                    cur_s.start,
                    cur_s.start + len(cur_s.marker),
                    detail=_detail(problem, prev_s.marker, cur_s.marker, missing),
                )


def _numeral_text(marker: str) -> str:
    return re.sub(r"[^0-9一二三四五六七八九十]", "", marker)


def _numeral_as(marker: str, n: int) -> str:
    return str(n) if any(c.isdigit() for c in marker) else chinese_numeral(n)


def _scopes(doc: Document) -> list[tuple[int, int]]:
    """Each section's own text (without its children), and the preamble."""
    end = doc.body_end
    starts = sorted(s.start for s in doc.sections)
    scopes = []
    first = starts[0] if starts else end
    lo = doc.meta.title_span[1] if doc.meta.title_span else 0
    scopes.append((lo, first))
    for s in doc.sections:
        # The next heading of any rank ends the section's own text.
        following = bisect.bisect_right(starts, s.start)
        next_start = starts[following] if following < len(starts) else s.end
        scopes.append((s.title_end, min(s.end, next_start)))
    return [(a, b) for a, b in scopes if b > a]


def _inline_gaps(doc: Document) -> Iterator[Finding]:
    text = doc.text
    for lo, hi in _scopes(doc):
        prev: int | None = None
        prev_pos = lo
        for m in _INLINE.finditer(text, lo, hi):
            value = numeral_value(m[1])
            if value is None:
                continue
            before = text[m.start() - 1] if m.start() > lo else "\n"
            # "要求四是打造" lost its 。 but is still the next item.
            if before not in _AFTER_PUNCT and value != (prev or 0) + 1:
                continue
            if prev is not None:
                for lost in _LOST.finditer(text, prev_pos, m.start()):
                    yield TEXT.finding(
                        lost.start(),
                        lost.end(),
                        detail=f"此处疑似缺少序号（前文已到“{chinese_numeral(prev)}是”，"
                        f"此处应为“{chinese_numeral(prev + 1)}是”）。",
                    )
                    prev += 1
                problem = _sequence_problem(prev, value)
                if problem:
                    yield TEXT.finding(
                        m.start(),
                        m.end(),
                        detail=_detail(
                            problem,
                            f"{chinese_numeral(prev)}是",
                            m[0],
                            f"{chinese_numeral(prev + 1)}是",
                        ),
                    )
            prev, prev_pos = value, m.end()
        if prev is not None and prev >= 2:
            for lost in _LOST.finditer(text, prev_pos, hi):
                yield TEXT.finding(
                    lost.start(),
                    lost.end(),
                    detail=f"此处疑似缺少序号（前文已到“{chinese_numeral(prev)}是”，"
                    f"此处应为“{chinese_numeral(prev + 1)}是”）。",
                )
                break


def _bare_markers(doc: Document) -> Iterator[Finding]:
    first = _BARE_AT_START.match(doc.text, 0, doc.body_end)
    spans = [first.span()] if first else []
    spans += [
        (m.start() + 1, m.end()) for m in _BARE_AFTER_BREAK.finditer(doc.text, 0, doc.body_end)
    ]
    for start, end in spans:
        yield TEXT.finding(start, end, detail="标题序号缺失。")


def check(doc: Document) -> Iterator[Finding]:
    yield from _heading_gaps(doc)
    yield from _inline_gaps(doc)
    yield from _bare_markers(doc)
