"""Cutting a report's text into highlighted segments.

Findings may overlap (a duplicated sentence that also holds a doubled
character), so the text is cut at every span boundary and each piece carries
the spans that cover it. Pure functions: the template escapes the text.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    classes: str
    title: str
    # Where spans overlap, the look of the highest priority wins; every title is kept.
    priority: int = 0
    # What the span marks (a finding's index), so that a click can open it.
    ref: int | None = None


class Segment(NamedTuple):
    text: str
    classes: str  # "" for plain text
    title: str
    start: int
    # The refs of every span covering the segment, highest priority first.
    refs: tuple[int, ...] = ()


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """`text` cut into consecutive segments that together are exactly `text`."""
    valid = [
        s._replace(start=max(0, s.start), end=min(len(text), s.end))
        for s in spans
        if s.end > s.start and s.start < len(text) and s.end > 0
    ]
    cuts = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    # One sweep: every start and end is a cut, so a span covers the piece a..b
    # exactly when it started at or before a and ends after a. Spans are taken
    # in their given order (stable sort), as the look of equal ones depends on it.
    by_start = sorted(valid, key=lambda s: s.start)
    covering: list[Span] = []
    taken = 0
    out: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        while taken < len(by_start) and by_start[taken].start <= a:
            covering.append(by_start[taken])
            taken += 1
        covering = [s for s in covering if s.end > a]
        active = sorted(covering, key=lambda s: (-s.priority, s.start))
        if active:
            titles = list(dict.fromkeys(s.title for s in active if s.title))
            refs = tuple(s.ref for s in active if s.ref is not None)
            out.append(Segment(text[a:b], active[0].classes, "\n".join(titles), a, refs))
        else:
            out.append(Segment(text[a:b], "", "", a))
    return out


class Line(NamedTuple):
    start: int
    end: int
    segments: list[Segment]


def lines(text: str, spans: list[Span]) -> list[Line]:
    """The segments grouped into the text's lines (paragraphs), newlines dropped.

    A span running over a line break is split in two, one piece per paragraph.
    """
    out: list[Line] = []
    current: list[Segment] = []
    line_start = 0
    for seg in segments(text, spans):
        pieces = seg.text.split("\n")
        offset = seg.start
        for i, piece in enumerate(pieces):
            if i > 0:
                out.append(Line(line_start, offset - 1, current))
                current = []
                line_start = offset
            if piece:
                current.append(seg._replace(text=piece, start=offset))
            offset += len(piece) + 1
    out.append(Line(line_start, len(text), current))
    return out
