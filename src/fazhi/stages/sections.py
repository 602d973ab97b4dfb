"""Stage: the heading tree.

Official documents number their headings by a fixed ladder (GB/T 9704 usage):
一、 > (一) > 1. > (1) > ①. A heading starts a line, or, in reports pasted as
one paragraph, follows the end of a sentence. Its title runs to the first 。
(a "run-in" heading: "(一)加强组织领导。坚持…") or to the end of a short line.
docx heading styles and bold paragraphs arrive as `heading_hints`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fazhi.document import Document, Section
from fazhi.stages.parts import names_a_part

CN_NUMERAL = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (rank, pattern) — rank is the depth on the numbering ladder.
MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"第[{CN_NUMERAL}]{{1,3}}部分[、:.]?")),
    # "一." is a sloppy but common "一、".
    (1, re.compile(rf"[{CN_NUMERAL}]{{1,3}}(?:、|\.(?!\.))")),
    (2, re.compile(rf"\([{CN_NUMERAL}]{{1,3}}\)")),
    (3, re.compile(r"\d{1,2}[.、](?!\d)")),
    (4, re.compile(r"\(\d{1,2}\)")),
    (5, re.compile(f"[{CIRCLED}]")),
)
# Inline headings are only trusted for the two top ranks: deeper markers inside
# running text are usually list items, not headings.
# The two top ranks (一、 and (一)), as a regex fragment other stages share.
TOP_MARKER = rf"(?:[{CN_NUMERAL}]{{1,3}}、|\([{CN_NUMERAL}]{{1,3}}\))"
# A sentence end and the top marker after it; an inline heading starts at the
# match end. (Opening with the character class, not a lookbehind, lets the
# search skip ahead instead of trying every offset.)
_STOP_BEFORE_MARKER = re.compile(rf"[。:;!?](?={TOP_MARKER})")
_TITLE_END = re.compile(r"[。!?;]")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NOT_CN_NUMERAL = re.compile(f"[^{CN_NUMERAL}]")
MAX_TITLE = 60
# A heading line longer than this without an end mark is a paragraph that
# happens to start with a number ("1.5万…" is excluded by the pattern already).
MAX_HEADING_LINE = 80


@dataclass
class _Heading:
    rank: int
    marker: str
    start: int
    title_start: int
    title_end: int
    number: int | None


def numeral_value(marker: str) -> int | None:
    """The number a marker counts: 一、 -> 1, (十二) -> 12, 3. -> 3, ③ -> 3."""
    digits = _NOT_DIGIT.sub("", marker)
    if digits:
        return int(digits)
    if len(marker) == 1 and marker in CIRCLED:
        return CIRCLED.index(marker) + 1
    chinese = _NOT_CN_NUMERAL.sub("", marker)
    if not chinese:
        return None
    if "十" not in chinese:
        return CN_NUMERAL.index(chinese) + 1 if len(chinese) == 1 else None
    tens, _, ones = chinese.partition("十")
    # Only 十, 十N, N十 and N十M are numerals; "十十" or "二三十" are slips.
    if len(tens) > 1 or len(ones) > 1 or "十" in tens + ones:
        return None
    return (CN_NUMERAL.index(tens) + 1 if tens else 1) * 10 + (
        CN_NUMERAL.index(ones) + 1 if ones else 0
    )


# All markers as one alternation: the first rank whose pattern matches wins, as
# in MARKERS order, with one match call instead of one per rank.
_ANY_MARKER = re.compile("|".join(f"(?P<rank{rank}>{p.pattern})" for rank, p in MARKERS))


def match_marker(text: str, pos: int) -> tuple[int, str] | None:
    m = _ANY_MARKER.match(text, pos)
    if m is None or m.lastgroup is None:
        return None
    return int(m.lastgroup.removeprefix("rank")), m[0]


def _title_end(text: str, title_start: int, line_end: int) -> int | None:
    """Where a heading's title ends, or None if this is no heading."""
    m = _TITLE_END.search(text, title_start, line_end)
    if m and m.start() - title_start <= MAX_TITLE:
        return m.start()
    if m is None and line_end - title_start <= MAX_HEADING_LINE:
        return line_end
    return None


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line between the offsets."""
    pos = start
    while pos < end:
        line_end = text.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        yield pos, line_end
        pos = line_end + 1


def _line_headings(doc: Document, body_start: int, body_end: int) -> list[_Heading]:
    text = doc.text
    hints = {h.text: h.level for h in doc.heading_hints if h.level > 0}
    headings: list[_Heading] = []
    for pos, line_end in _lines(text, body_start, body_end):
        found = match_marker(text, pos)
        if found:
            rank, marker = found
            title_start = pos + len(marker)
            end = _title_end(text, title_start, line_end)
            if end is not None and end > title_start:
                headings.append(
                    _Heading(rank, marker, pos, title_start, end, numeral_value(marker))
                )
        elif hints and line_end - pos <= MAX_HEADING_LINE:
            line = text[pos:line_end].strip()
            if line in hints:
                headings.append(_Heading(hints[line], "", pos, pos, line_end, None))
    return headings


def _inline_headings(doc: Document, body_start: int, body_end: int) -> list[_Heading]:
    """Headings run into a paragraph after a sentence end, accepted only in sequence."""
    text = doc.text
    found: list[_Heading] = []
    expected = {1: 1, 2: 1}
    for m in _STOP_BEFORE_MARKER.finditer(text, max(body_start - 1, 0), body_end):
        start = m.end()
        hit = match_marker(text, start)
        if hit is None:
            continue
        rank, marker = hit
        number = numeral_value(marker)
        if number not in (expected[rank], 1):
            continue
        line_end = text.find("\n", start, body_end)
        line_end = body_end if line_end < 0 else line_end
        title_start = start + len(marker)
        # An inline title stops at the next inline marker too.
        nxt = _STOP_BEFORE_MARKER.search(text, title_start - 1, line_end)
        end = _title_end(text, title_start, nxt.end() if nxt else line_end)
        if end is None or end == title_start:
            continue
        found.append(_Heading(rank, marker, start, title_start, end, number))
        expected[rank] = (number or 0) + 1
        if rank == 1:
            expected[2] = 1
    return found


# A bare line this short, with no sentence punctuation, that names a part
# ("存在的不足和原因") is a heading whose number or bold face was lost in copying.
_BARE_HEADING_MAX = 40
_SENTENCE_MARKS = re.compile(r"[。;!?,:]")


def _bare_part_headings(doc: Document, body_start: int, body_end: int) -> list[_Heading]:
    """Unnumbered part headings of a text without any top-level heading.

    Accepted only when at least two lines name a part, so that one short line
    of body text is not taken for the report's structure.
    """
    found = []
    for pos, line_end in _lines(doc.text, body_start, body_end):
        line = doc.text[pos:line_end]
        if (
            4 <= len(line) <= _BARE_HEADING_MAX
            and line_end < body_end
            and not _SENTENCE_MARKS.search(line)
            and names_a_part(line, doc.meta.year)
        ):
            found.append(_Heading(1, "", pos, pos, line_end, None))
    return found if len(found) >= 2 else []


def run(doc: Document) -> None:
    body_start = doc.meta.title_span[1] + 1 if doc.meta.title_span else 0
    body_end = doc.body_end
    headings = _line_headings(doc, body_start, body_end)
    if not doc.heading_hints and not any(h.rank <= 1 for h in headings):
        headings += _bare_part_headings(doc, body_start, body_end)
    line_starts = {h.start for h in headings}
    headings += [
        h for h in _inline_headings(doc, body_start, body_end) if h.start not in line_starts
    ]
    headings.sort(key=lambda h: h.start)

    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []
    for i, h in enumerate(headings, 1):
        # A section ends where the next heading of the same or a higher rank starts.
        while stack and stack[-1][0] >= h.rank:
            stack.pop()[1].end = h.start
        parent = stack[-1][1] if stack else None
        section = Section(
            id=f"s{i}",
            parent=parent.id if parent else None,
            marker=h.marker,
            title=doc.text[h.title_start : h.title_end].strip(),
            start=h.start,
            end=body_end,
            level=len(stack) + 1,
            title_end=h.title_end,
        )
        sections.append(section)
        stack.append((h.rank, section))
    doc.sections = sections
