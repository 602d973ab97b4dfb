"""Whether a report says anything about a rectification item.

The item's 问题 and 整改措施 are looked for in the report's `shortcomings` and `measures`
parts (the whole text when the analysis found neither). Reports rephrase, so two
measures are taken, each on the text with punctuation and spaces removed:

- `partial`: rapidfuzz's partial ratio, the best alignment of the item's text with
  any stretch of the report of the same length (0–100): high when a phrase is
  quoted nearly as the office wrote it;
- `overlap`: the largest share of the item's character bigrams found within one
  stretch of the report three times the item's length (0–100): high when a passage
  names the same things in other words and order. Counting bigrams over the whole
  part instead would find most of any item's bigrams somewhere in a long report.

An item counts as mentioned when either reaches its threshold. The thresholds were
set on the hand-made cases in tests/test_matching.py (mentions quoted, paraphrased
and abridged; reports on the same subject that do not mention the item), where every
mentioned case reaches 61 or more on one of the two and no other case passes 45 on either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

PARTIAL_THRESHOLD = 75.0
OVERLAP_THRESHOLD = 55.0
PARTS = ("shortcomings", "measures")
# Item texts shorter than this say too little to be looked for by bigrams alone.
MIN_CHARS = 4
# The stretch of report text the bigrams are counted in, in multiples of the item's length.
WINDOW = 3
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)
# Words every item and every report shares; they would make any two texts look alike.
_COMMON = re.compile(r"法治政府建设|年度报告|整改|问题|存在|进一步|加强|落实|工作|情况|推进|完善")


def _clean(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class Match:
    partial: float
    overlap: float

    @property
    def mentioned(self) -> bool:
        return self.partial >= PARTIAL_THRESHOLD or self.overlap >= OVERLAP_THRESHOLD

    @property
    def score(self) -> float:
        return max(self.partial, self.overlap)


def _most_in_one_window(grams: set[str], haystack: str, width: int) -> int:
    """The most distinct `grams` that occur within `width` characters of each other:
    one pass over where they occur, not over every window."""
    where = sorted(
        (m.start(), g) for g in grams for m in re.finditer(f"(?={re.escape(g)})", haystack)
    )
    inside: Counter[str] = Counter()
    best_count, left = 0, 0
    for position, gram in where:
        inside[gram] += 1
        while position - where[left][0] + 2 > width:
            old = where[left][1]
            inside[old] -= 1
            if not inside[old]:
                del inside[old]
            left += 1
        best_count = max(best_count, len(inside))
    return best_count


def measure(needle: str, haystack: str) -> Match:
    """How much of `needle` (an item's text) `haystack` (a report's part) contains."""
    needle = _clean(_COMMON.sub("", needle))
    haystack = _clean(haystack)
    if len(needle) < MIN_CHARS or not haystack:
        return Match(0.0, 0.0)
    partial = fuzz.partial_ratio(needle, haystack)
    grams = _bigrams(needle)
    found = _most_in_one_window(grams, haystack, WINDOW * len(needle))
    return Match(float(partial), 100.0 * found / len(grams))


def report_parts_text(text: str, analysis: dict[str, Any]) -> str:
    """The report's 不足 and 举措 parts, by the analysis' sections; the whole text if neither."""
    sections = {s.get("id"): s for s in analysis.get("sections", [])}
    pieces = []
    for part in PARTS:
        for section_id in analysis.get("parts", {}).get(part, {}).get("sections", []):
            s = sections.get(section_id)
            if s is not None and isinstance(s.get("start"), int) and isinstance(s.get("end"), int):
                pieces.append(text[s["start"] : s["end"]])
    return "\n".join(pieces) if pieces else text


def best(problem: str, measures: str, part_text: str) -> Match:
    """The better of the item's 问题 and 整改措施 against the report's parts."""
    candidates = [measure(problem, part_text)]
    if measures.strip():
        candidates.append(measure(measures, part_text))
    return max(candidates, key=lambda m: m.score)
