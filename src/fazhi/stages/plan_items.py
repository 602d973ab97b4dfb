"""Stage: the items of the next year's plan (spec `plan_items`).

Next year's report says what became of them, so each item is kept with its
offsets. A plan laid out as numbered items gives those items: the (一)(二)…,
1. 2. … headings under the plan's heading, or the 一是、二是… of a paragraph.
A plan written as running text gives each sentence that commits to something
(将、要、推进、健全…, `data/plan_items.toml`). A paragraph of numbered items
gives the items only: its lead-in ("重点做好以下工作:") and closing words are
not tasks.

When the plan shares a section with the shortcomings ("存在的问题及2021年工作
设想"), it begins where the parts stage's next-year wording does, so the
一是、二是 of the problems are not taken for tasks.
"""

from __future__ import annotations

import bisect
import re
from functools import cache

from fazhi import data
from fazhi.document import Document, PlanItem, Section

PART = "next_year"
# 一是、二是…; the lookahead keeps 一是 a marker only before a word (not 一是一).
_ENUMERATOR = re.compile(
    r"([一二三四五六七八九十][一二三四五六七八九十]{0,2})是(?=[\u4e00-\u9fa5“《0-9])"
)
# A marker only where a clause may begin: at a paragraph start or after punctuation.
_CLAUSE_START = "。;,:!?\n"
_CLAUSE_END = re.compile(r"[。;,:!?]")
# Left off an item's end: the separators between items, and white space.
_TRAILING = " \n;,、:"


@cache
def _patterns(year: int | None) -> tuple[re.Pattern[str], list[re.Pattern[str]], int]:
    spec = data.load("plan_items")
    commitment = re.compile("|".join(f"(?:{p})" for p in spec["commitment"]))
    next_year = str(year + 1) if year else "下一"
    opening = [
        re.compile(p.replace("{next_year}", next_year)) for p in data.load("parts")["passage"][PART]
    ]
    return commitment, opening, int(spec["max_summary"])


def _trimmed(doc: Document, start: int, end: int) -> tuple[int, int]:
    while end > start and doc.text[end - 1] in _TRAILING:
        end -= 1
    while start < end and doc.text[start].isspace():
        start += 1
    return start, end


def _plan_start(doc: Document, start: int, end: int) -> int | None:
    """Where the plan begins in a stretch that opens with the shortcomings."""
    _, opening, _ = _patterns(doc.meta.year)
    hits = [m.start() for p in opening if (m := p.search(doc.text, start, end))]
    if hits:
        sentence = doc.sentence_at(min(hits))
        return max(start, sentence[0]) if sentence else min(hits)
    if doc.meta.year is not None:
        at = doc.text.find(f"\n{doc.meta.year + 1}年", start, end)
        if at >= 0:
            return at + 1
    return None


def _item(
    doc: Document, start: int, end: int, kind: str, marker: str | None, gist_from: int
) -> PlanItem | None:
    start, end = _trimmed(doc, start, end)
    if end <= gist_from:
        return None
    _, _, max_summary = _patterns(doc.meta.year)
    gist_end = min(end, gist_from + max_summary)
    if kind == "enumerated":
        stop = _CLAUSE_END.search(doc.text, gist_from, gist_end)
        gist_end = stop.start() if stop else gist_end
    section = doc.section_at(start)
    return PlanItem(
        start, end, kind, marker, section.id if section else None, None, (gist_from, gist_end)
    )


def _heading_item(doc: Document, section: Section) -> PlanItem | None:
    title_start = doc.text.find(section.title, section.start, section.title_end)
    if not section.title or title_start < 0:
        return None
    start, end = _trimmed(doc, section.start, section.end)
    title = (title_start, title_start + len(section.title))
    return PlanItem(start, end, "heading", section.marker, section.id, title, title)


def _paragraphs(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    while start < end:
        stop = doc.text.find("\n", start, end)
        stop = end if stop < 0 else stop
        if stop > start:
            spans.append((start, stop))
        start = stop + 1
    return spans


def _enumerated(doc: Document, start: int, end: int) -> list[PlanItem]:
    """The 一是、二是… of one paragraph, each running to the next."""
    markers = [
        m
        for m in _ENUMERATOR.finditer(doc.text, start, end)
        if m.start() == start or doc.text[m.start() - 1] in _CLAUSE_START
    ]
    items = []
    for i, m in enumerate(markers):
        stop = markers[i + 1].start() if i + 1 < len(markers) else end
        item = _item(doc, m.start(), stop, "enumerated", m.group(), m.end())
        if item is not None:
            items.append(item)
    return items


def _sentences(doc: Document, start: int, end: int) -> list[PlanItem]:
    commitment, _, _ = _patterns(doc.meta.year)
    items = []
    sentences = doc.sentences
    # From the last sentence that starts at or before `start`.
    first = max(0, bisect.bisect_right(sentences, (start, len(doc.text) + 1)) - 1)
    for s, e in sentences[first:]:
        if s >= end:
            break
        s, e = max(s, start), min(e, end)
        s, e = _trimmed(doc, s, e)
        # A lead-in announcing a list ("做好以下工作:") is not a task itself.
        if e <= s or doc.text[e - 1] == ":" or not commitment.search(doc.text, s, e):
            continue
        item = _item(doc, s, e, "sentence", None, s)
        if item is not None:
            items.append(item)
    return items


def _items_of_stretch(doc: Document, start: int, end: int) -> list[PlanItem]:
    """Items of plan text without headings: numbered paragraphs, else sentences."""
    items = []
    for p_start, p_end in _paragraphs(doc, start, end):
        items.extend(_enumerated(doc, p_start, p_end) or _sentences(doc, p_start, p_end))
    return items


def _items_of_span(doc: Document, start: int, end: int) -> list[PlanItem]:
    enclosing = doc.section_at(start)
    if enclosing is not None and enclosing.start == start:
        start = enclosing.title_end
        if enclosing.part != PART:
            plan = _plan_start(doc, start, end)
            if plan is None:
                return []
            start = plan
    inside = [s for s in doc.sections if start <= s.start < end]
    # Sections of another part under a combined heading hold no tasks.
    excluded = [(s.start, s.end) for s in inside if s.part != PART]
    headings: list[Section] = []
    for s in inside:
        nested = any(h.start <= s.start < h.end for h in headings)
        if s.part == PART and not nested and not any(a <= s.start < b for a, b in excluded):
            headings.append(s)
    items = [item for s in headings if (item := _heading_item(doc, s))]
    if items:
        # Numbered headings are the plan; the words around them lead in or close.
        return items
    for a, b in sorted(excluded):
        if a > start:
            items.extend(_items_of_stretch(doc, start, min(a, end)))
        start = max(start, b)
    if start < end:
        items.extend(_items_of_stretch(doc, start, end))
    return items


def run(doc: Document) -> None:
    items: list[PlanItem] = []
    for start, end in doc.parts[PART].spans:
        items.extend(_items_of_span(doc, start, min(end, doc.body_end)))
    doc.plan_items = sorted(items, key=lambda item: item.start)
