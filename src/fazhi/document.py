"""The one object every pipeline stage reads and adds to.

A `Document` starts as loaded text plus its source; stages fill in the cleaned
text, metadata, sections, parts, plan items, facts, indicators, findings and
score. Its `to_json()` is the contract in `shared/spec/analysis.md`, with the
keys `docs/analysis-additions.md` adds.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

SCHEMA = "fazhi.analysis/1"

PARTS = ("measures", "shortcomings", "first_responsible", "next_year", "other")
REQUIRED_PARTS = ("measures", "shortcomings", "first_responsible", "next_year")
LEVELS = ("province", "city", "county", "town", "department", "zone")
RATE_UNITS = ("%", "‰")

# Sentence ends for splitting running text; a heading line break also ends one.
_ENDS = "。!?;！？；\n"
# A sentence with the end marks after it. It must hold a non-space character,
# so the regex itself drops blank stretches between end marks.
SENTENCE = re.compile(rf"[^{_ENDS}]*[^\s{_ENDS}][^{_ENDS}]*(?:[{_ENDS}]+|\Z)")


@dataclass
class Source:
    name: str
    sha256: str
    format: str
    encoding: str | None = None


@dataclass
class HeadingHint:
    """A paragraph the source marks as a heading (docx style or bold run)."""

    text: str
    level: int


@dataclass
class Removed:
    """Page furniture the boilerplate stage took out of the text."""

    text: str
    kind: str


@dataclass
class Meta:
    title: str | None = None
    unit: str | None = None
    level: str | None = None
    year: int | None = None
    date: str | None = None
    region: str | None = None
    # "simplified" or "traditional": the script the report was written in.
    script: str = "simplified"
    # Where the date came from: "signature" or "published"; not in the contract.
    date_source: str | None = None
    # Offsets of the title line and the closing signature block inside `text`.
    title_span: tuple[int, int] | None = None
    closing_start: int | None = None


@dataclass
class Section:
    id: str
    parent: str | None
    marker: str
    title: str
    start: int
    end: int
    level: int
    title_end: int
    part: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "parent": self.parent,
            "marker": self.marker,
            "title": self.title,
            "start": self.start,
            "end": self.end,
            "part": self.part,
        }


@dataclass
class PartInfo:
    present: bool = False
    sections: list[str] = field(default_factory=list)
    chars: int = 0
    # Passages found inside other sections' text: (start, end).
    passages: list[tuple[int, int]] = field(default_factory=list)
    # All text of the part, each stretch once: outermost sections and passages.
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"present": self.present, "sections": self.sections, "chars": self.chars}


@dataclass
class Fact:
    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    qualifier: str | None = None
    subject: str = ""
    indicator: str | None = None
    # Text around the number used to map it to an indicator; not in the contract.
    context: str = ""
    # Introduced by 其中/包括: a sub-item of a total stated just before.
    subordinate: bool = False
    # "number" for a written quantity, "zero" for a stated absence (无…案件),
    # "distributed" for one subject of "A率和B率均达100%".
    kind: str = "number"

    @property
    def is_rate(self) -> bool:
        return self.unit in RATE_UNITS

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": float(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "subject": self.subject,
            "indicator": self.indicator,
        }


@dataclass
class Finding:
    rule: str
    severity: str
    message: str
    start: int | None = None
    end: int | None = None
    section: str | None = None
    # Details a rule gives beyond its message (copy-paste: the other reports);
    # the key is left out of the JSON when there are none.
    data: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "start": self.start,
            "end": self.end,
            "section": self.section,
        }
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass
class PlanItem:
    """One item of the next year's plan: a numbered heading, an 一是…, or a sentence.

    Heading and summary are kept as spans, not strings, so that the JSON quotes
    the text as written (a traditional-script report included).
    """

    start: int
    end: int
    # "heading" ((一)、1. under the plan's heading), "enumerated" (一是…) or "sentence".
    kind: str
    marker: str | None
    section: str | None
    # The heading's title (kind "heading" only) and the item's gist, in `text`.
    heading: tuple[int, int] | None
    summary: tuple[int, int]

    def to_json(self, text: str) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "marker": self.marker,
            "heading": text[self.heading[0] : self.heading[1]] if self.heading else None,
            "summary": text[self.summary[0] : self.summary[1]],
            "section": self.section,
        }


@dataclass
class AsWritten:
    """A traditional-script report as written, beside the simplified view the stages read."""

    text: str
    # The simplified view of `text`: the same length, character for character.
    view: str
    page_info: dict[str, str] = field(default_factory=dict)


@dataclass
class Criterion:
    score: float
    max: float
    why: str
    label: str = ""


@dataclass
class Document:
    source: Source
    text: str
    heading_hints: list[HeadingHint] = field(default_factory=list)
    # Metadata the page furniture stated (发布日期, 发布机构…), kept before removal.
    page_info: dict[str, str] = field(default_factory=dict)
    removed: list[Removed] = field(default_factory=list)
    meta: Meta = field(default_factory=Meta)
    sections: list[Section] = field(default_factory=list)
    parts: dict[str, PartInfo] = field(default_factory=lambda: {p: PartInfo() for p in PARTS})
    facts: list[Fact] = field(default_factory=list)
    indicators: dict[str, int] = field(default_factory=dict)  # indicator id -> index in facts
    findings: list[Finding] = field(default_factory=list)
    plan_items: list[PlanItem] = field(default_factory=list)
    score: dict[str, Criterion] = field(default_factory=dict)
    # A traditional-script report while the stages run on its simplified view;
    # the last stage puts the text as written back. Not in the contract.
    as_written: AsWritten | None = None

    # -- positions -------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset in `text`."""
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_span(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        start = self._line_starts[line]
        end = self.text.find("\n", start)
        return start, len(self.text) if end < 0 else end

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        """Spans of sentences (split at 。!?; and line breaks), blank ones dropped."""
        return [m.span() for m in SENTENCE.finditer(self.text)]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def sentence_at(self, offset: int) -> tuple[int, int] | None:
        """The span of the sentence containing the offset, if any."""
        # Sentences are sorted and never overlap: only the last one starting at
        # or before the offset can contain it.
        i = bisect.bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and offset < self.sentences[i][1]:
            return self.sentences[i]
        return None

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing the offset."""
        best = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.start >= best.start):
                best = s
        return best

    @property
    def body_end(self) -> int:
        """End of the report body: the closing signature is not body text."""
        return self.meta.closing_start if self.meta.closing_start is not None else len(self.text)

    # -- contract --------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        indicators = {}
        for key, index in self.indicators.items():
            fact = self.facts[index]
            indicators[key] = {"value": float(fact.value), "unit": fact.unit, "fact": index}
        total = round(sum(c.score for c in self.score.values()), 1)
        return {
            "schema": SCHEMA,
            "source": {
                "name": self.source.name,
                "sha256": self.source.sha256,
                "format": self.source.format,
                "encoding": self.source.encoding,
            },
            "meta": {
                "title": self.meta.title,
                "unit": self.meta.unit,
                "level": self.meta.level,
                "year": self.meta.year,
                "date": self.meta.date,
                "region": self.meta.region,
                "script": self.meta.script,
            },
            "text": self.text,
            "sections": [s.to_json() for s in self.sections],
            "parts": {p: self.parts[p].to_json() for p in PARTS},
            "facts": [f.to_json() for f in self.facts],
            "indicators": indicators,
            "findings": [f.to_json() for f in self.findings],
            "plan_items": [item.to_json(self.text) for item in self.plan_items],
            "score": {
                "total": total,
                "criteria": {
                    name: {"score": c.score, "max": c.max, "why": c.why, "label": c.label}
                    for name, c in self.score.items()
                },
            },
        }
