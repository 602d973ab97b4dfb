"""Last year's plan items read against this year's account of the work done.

Pure functions over two analyses (the engine's JSON). An item is compared, by
its characters, with every passage of one to three sentences of this year's
`measures` and `first_responsible` parts: what a report says was done, not
what it plans again.

Similarity is the share of the item's character bigrams that the passage
holds, each bigram weighted by its inverse document frequency over this
year's sentences, so that 法治, 建设 and 工作, in every sentence, count for
little and 法治文化公园 counts for much. The task words of the plan
(推进、加强、健全…, `fazhi/data/plan_items.toml`) are left out: they say that
something will be done, not what.

An item is judged by its gist (the heading or first clause) and by the
weighted share of its clauses that come back nearly whole. The thresholds are
measured on `bench/followup/` (`bench/followup.py` prints the numbers).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from fazhi import data
from fazhi.document import SENTENCE
from fazhi.stages.script import to_simplified

REPORTED, PARTLY, NOT_MENTIONED = "reported", "partly", "not_mentioned"
STATUS_NAMES = {REPORTED: "已报告", PARTLY: "部分", NOT_MENTIONED: "未提及"}
# The parts that report what was done.
DONE_PARTS = ("measures", "first_responsible")
# 已报告: the gist found at REPORTED_AT, or COVERED_AT of the item's clauses found;
# 部分: the gist at PARTLY_AT, or any clause found; else 未提及 (bench/followup.py).
REPORTED_AT = 0.5
PARTLY_AT = 0.3
COVERED_AT = 0.5
# A clause counts as found at this share of its bigrams in one passage.
CLAUSE_FOUND_AT = 0.5
# A passage is one to this many consecutive sentences of one paragraph.
WINDOW = 3
# Clauses shorter than this (in bigrams) are too short to say anything alone.
MIN_CLAUSE_GRAMS = 3

_CLAUSE = re.compile(r"[^,;。:!?、\n]+")
_WORD = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]+")


@cache
def _task_words() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in data.load("plan_items")["commitment"]))


def grams(text: str) -> set[str]:
    """Character bigrams of the text's words, with the plan's task words taken out."""
    out: set[str] = set()
    for run in _WORD.findall(_task_words().sub(" ", text)):
        if len(run) == 1:
            continue
        out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass
class Passage:
    start: int
    end: int


@dataclass
class Followed:
    """One item of last year's plan and what this year's report says of it."""

    item: dict[str, Any]
    text: str
    status: str
    # The gist's best share, and the share of the item's clauses found nearly whole.
    gist: float
    coverage: float
    # The best passage of this year's text: (start, end), if any was close.
    passage: tuple[int, int] | None

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


def read_as_simplified(text: str, analysis: dict[str, Any]) -> str:
    """A traditional-script report's words in simplified form, the same length, so that
    a 繁體 report and a simplified one share their bigrams."""
    if analysis.get("meta", {}).get("script") == "traditional":
        return to_simplified(text)
    return text


def readable(analysis: dict[str, Any]) -> str:
    return read_as_simplified(analysis.get("text", ""), analysis)


def _done_spans(analysis: dict[str, Any]) -> list[tuple[int, int]]:
    """This year's text of the parts that report the work done, outermost sections only."""
    sections = analysis.get("sections", [])
    done = {s["id"] for s in sections if s.get("part") in DONE_PARTS}
    spans = [
        (s["start"], s["end"]) for s in sections if s["id"] in done and s.get("parent") not in done
    ]
    if spans:
        return spans
    # No section says what was done (a town's report in running text): all of it.
    return [(0, len(analysis.get("text", "")))]


class Passages:
    """Windows of one to WINDOW sentences, each within one paragraph of the done parts,
    indexed by bigram; bigrams weighted by inverse document frequency over the sentences.

    An item is scored against every window at once through the index: the work
    is the item's bigrams' postings, not windows times bigrams.
    """

    def __init__(self, analysis: dict[str, Any]) -> None:
        text = readable(analysis)
        self.windows: list[Passage] = []
        self.postings: dict[str, list[int]] = {}
        df: Counter[str] = Counter()
        sentences = 0
        for start, end in _done_spans(analysis):
            for para in re.finditer(r"[^\n]+", text[start:end]):
                at = start + para.start()
                spans = [(at + m.start(), at + m.end()) for m in SENTENCE.finditer(para.group())]
                own = [grams(text[s:e]) for s, e in spans]
                df.update(g for sentence in own for g in sentence)
                sentences += len(own)
                for i in range(len(spans)):
                    window: set[str] = set()
                    for j in range(i, min(i + WINDOW, len(spans))):
                        window |= own[j]
                        for g in window:
                            self.postings.setdefault(g, []).append(len(self.windows))
                        self.windows.append(Passage(spans[i][0], spans[j][1]))
        self.absent = math.log(sentences + 1) + 1.0
        self.weights = {g: math.log((sentences + 1) / (n + 1)) + 1.0 for g, n in df.items()}

    def mass(self, item: set[str]) -> float:
        return sum(self.weights.get(g, self.absent) for g in item)

    def best(self, item: set[str]) -> tuple[float, Passage | None]:
        """The largest weighted share of the item's bigrams one window holds, and that window."""
        total = self.mass(item)
        if not total:
            return 0.0, None
        held: Counter[int] = Counter()
        for g in item:
            weight = self.weights.get(g)
            if weight is not None:
                for index in self.postings.get(g, ()):
                    held[index] += weight
        if not held:
            return 0.0, None
        # The earliest window of the best share: the shortest, as windows grow from each start.
        index, mass = max(held.items(), key=lambda kv: (kv[1], -kv[0]))
        return mass / total, self.windows[index]


def _clauses(text: str) -> list[set[str]]:
    return [g for c in _CLAUSE.findall(text) if len(g := grams(c)) >= MIN_CLAUSE_GRAMS]


def status_of(gist: float, coverage: float) -> str:
    if gist >= REPORTED_AT or coverage >= COVERED_AT:
        return REPORTED
    if gist >= PARTLY_AT or coverage > 0:
        return PARTLY
    return NOT_MENTIONED


def follow_up(last_year: dict[str, Any], this_year: dict[str, Any]) -> list[Followed]:
    """Each of last year's plan items with its status in this year's report."""
    written, read = last_year.get("text", ""), readable(last_year)
    found = Passages(this_year)
    out = []
    for item in last_year.get("plan_items", []):
        text = read[item["start"] : item["end"]]
        summary = item.get("summary") or ""
        gist, where = found.best(grams(read_as_simplified(summary, last_year) or text))
        # The share of the item's clauses, by weight, that come back nearly whole.
        clauses = [(c, *found.best(c)) for c in _clauses(text)]
        total = sum(found.mass(c) for c, _, _ in clauses)
        covered = sum(found.mass(c) for c, share, _ in clauses if share >= CLAUSE_FOUND_AT)
        coverage = covered / total if total else 0.0
        if coverage > gist:
            where = max(clauses, key=lambda c: c[1])[2] or where
        status = status_of(gist, coverage)
        passage = (where.start, where.end) if where and status != NOT_MENTIONED else None
        as_written = written[item["start"] : item["end"]]
        out.append(Followed(item, as_written, status, round(gist, 3), round(coverage, 3), passage))
    return out
