"""Stage: map sections and passages to the five contents (spec PART).

A part is present when a section is about it (its title says so, or it sits
under such a section) or when sentences inside another section state it: a
town often closes its last section with "…但仍存在…。2022年将重点做好…".
A report of the first responsible person's duties counts where it reports
what was done, not where the next year's plan promises it.
"""

from __future__ import annotations

import re
from functools import cache

from fazhi import data
from fazhi.document import PARTS, Document, PartInfo, Section

# Parts whose title keywords decide a section before the generic "measures".
_SPECIFIC = ("shortcomings", "next_year", "first_responsible", "other")
# Where a passage of each part may stand: a promise to do it next year or a
# complaint that it was not done is not a report that it was done.
_PASSAGE_NOT_IN = {
    "first_responsible": {"next_year", "shortcomings"},
    "shortcomings": {"next_year"},
    "next_year": set(),
    "other": set(),
}


@cache
def _compiled(kind: str, year: int | None) -> dict[str, list[re.Pattern[str]]]:
    next_year = str(year + 1) if year else "下一"
    spec = data.load("parts")[kind]
    return {
        part: [re.compile(p.replace("{next_year}", next_year)) for p in patterns]
        for part, patterns in spec.items()
    }


@cache
def _title_patterns(year: int | None) -> dict[str, re.Pattern[str]]:
    """Each part's title patterns as one alternation.

    Its leftmost match starts where the earliest of the patterns' matches
    does, so one search per part does the work of one per pattern.
    """
    return {
        part: re.compile("|".join(f"(?:{p.pattern})" for p in patterns))
        for part, patterns in _compiled("title", year).items()
        if patterns
    }


def part_names() -> dict[str, str]:
    return dict(data.load("parts")["names"])


def title_parts(title: str, year: int | None) -> list[str]:
    """Parts a section title names, in the order they appear in it."""
    patterns = _title_patterns(year)
    hits = []
    for part in _SPECIFIC:
        if part in patterns and (m := patterns[part].search(title)):
            hits.append((m.start(), part))
    return [part for _, part in sorted(hits)]


def names_a_part(title: str, year: int | None) -> bool:
    """Whether a title names any of the five parts, the measures included."""
    measures = _compiled("title", year)["measures"]
    return bool(title_parts(title, year)) or any(p.search(title) for p in measures)


def _assign_sections(doc: Document) -> dict[str, list[str]]:
    """Set each section's part; return every part each section belongs to."""
    by_id = {s.id: s for s in doc.sections}
    belongs: dict[str, list[str]] = {}
    for section in doc.sections:
        own = title_parts(section.title, doc.meta.year)
        parent = by_id.get(section.parent) if section.parent else None
        if own:
            belongs[section.id] = own
        elif parent is not None:
            belongs[section.id] = [_child_part(doc, parent, section, belongs[parent.id])]
        else:
            belongs[section.id] = ["measures"]
        section.part = belongs[section.id][0]
    return belongs


def _child_part(doc: Document, parent: Section, child: Section, parent_parts: list[str]) -> str:
    """Under "问题及下一步打算", a child belongs to the part last announced before it."""
    if len(parent_parts) == 1:
        return parent_parts[0]
    patterns = _compiled("passage", doc.meta.year)
    latest = (-1, parent_parts[0])
    for part in parent_parts:
        for pattern in patterns.get(part, []):
            for m in pattern.finditer(doc.text, parent.title_end, child.start):
                latest = max(latest, (m.start(), part))
    return latest[1]


def _sentence_span(doc: Document, offset: int) -> tuple[int, int]:
    return doc.sentence_at(offset) or (offset, offset)


def _passages(doc: Document, part: str, body: tuple[int, int]) -> list[tuple[int, int]]:
    patterns = _compiled("passage", doc.meta.year).get(part, [])
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        for m in pattern.finditer(doc.text, *body):
            section = doc.section_at(m.start())
            if section is not None and section.part in _PASSAGE_NOT_IN[part]:
                continue
            start, end = _sentence_span(doc, m.start())
            if part in ("shortcomings", "next_year", "other"):
                # These run on to the end of their paragraph.
                _, end = doc.line_span(m.start())
            if not any(s <= start < e for s, e in found):
                found.append((start, min(end, body[1])))
    return sorted(found)


def _split_overlaps(parts: dict[str, PartInfo]) -> None:
    """A shortcomings passage stops where the next year's plan begins."""
    plans = parts["next_year"].passages
    trimmed = []
    for start, end in parts["shortcomings"].passages:
        cut = min((s for s, _ in plans if start < s < end), default=end)
        trimmed.append((start, cut))
    parts["shortcomings"].passages = trimmed


def _plan_start(doc: Document, section: Section) -> int | None:
    """Where the plan begins in a "问题及下一步打算" section without subsections."""
    passages = _passages(doc, "next_year", (section.title_end, section.end))
    if passages:
        return passages[0][0]
    # "2021年是…,我局将…": a paragraph opening with the next year.
    if doc.meta.year is not None:
        opening = f"\n{doc.meta.year + 1}年"
        at = doc.text.find(opening, section.title_end, section.end)
        if at >= 0:
            return at + 1
    return None


def _split_combined(
    doc: Document, belongs: dict[str, list[str]]
) -> dict[tuple[str, str], tuple[int, int]]:
    """{(part, section id): span} for sections that state 不足 and then the plan."""
    parents = {s.parent for s in doc.sections if s.parent}
    spans = {}
    for section in doc.sections:
        own = belongs[section.id]
        if section.id in parents or own[:2] != ["shortcomings", "next_year"]:
            continue
        cut = _plan_start(doc, section)
        if cut is not None and section.title_end < cut < section.end:
            spans[("shortcomings", section.id)] = (section.start, cut)
            spans[("next_year", section.id)] = (cut, section.end)
    return spans


def run(doc: Document) -> None:
    belongs = _assign_sections(doc)
    parts = {p: PartInfo() for p in PARTS}
    by_id = {s.id: s for s in doc.sections}
    for section in doc.sections:
        for part in belongs[section.id]:
            parts[part].sections.append(section.id)

    body_start = doc.meta.title_span[1] + 1 if doc.meta.title_span else 0
    body = (body_start, doc.body_end)
    for part in _SPECIFIC:
        for start, end in _passages(doc, part, body):
            inside = doc.section_at(start)
            if inside is not None and part in belongs[inside.id]:
                continue
            parts[part].passages.append((start, end))
            if inside is not None and inside.id not in parts[part].sections:
                parts[part].sections.append(inside.id)
    _split_overlaps(parts)

    if not doc.sections:
        # No headings: what precedes the first other part is the account of measures.
        first_other = min((s for p in _SPECIFIC for s, _ in parts[p].passages), default=body[1])
        if first_other - body[0] >= 200:
            parts["measures"].passages.append((body[0], first_other))

    split = _split_combined(doc, belongs)
    for part, info in parts.items():
        # Count each stretch of text once: outermost sections of the part only.
        outermost = [
            by_id[i]
            for i in info.sections
            if part in belongs[i]
            and not (by_id[i].parent and part in belongs.get(by_id[i].parent or "", []))
        ]
        info.spans = sorted(
            [split.get((part, s.id), (s.start, s.end)) for s in outermost] + info.passages
        )
        info.chars = sum(end - start for start, end in info.spans)
        info.present = bool(info.spans)
        info.sections.sort(key=lambda i: int(i[1:]))
    doc.parts = parts
