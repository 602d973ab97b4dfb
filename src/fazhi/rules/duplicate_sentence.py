"""Flags a sentence, or a run of clauses, that a report states twice.

## What it finds
1. A sentence (split at 。!?; and line breaks) of at least 10 Chinese
   characters whose text, ignoring spaces and closing punctuation, equals an
   earlier sentence.
2. Inside longer sentences, a run of at least 2 consecutive clauses (split at
   “,” and “:”) of at least 20 characters that also occurs earlier, such as a
   list of figures pasted into a second paragraph.

The later copy is reported once, with the line of the first. Not reported:
headings (a sentence that opens with a numbering marker such as 一、 or (一),
or a short line without closing punctuation), since reports reuse headings in
their plan for next year; the title; clauses of political framing
(`data/duplicate_sentence.toml`), which reports restate on purpose; and a run
repeated back to back, which is `duplicate-phrase`'s finding.

## Why it matters
A repeated sentence or list of figures is a copy-and-paste slip: at best it
pads the report, at worst the figures belong to another item and the second
copy is wrong.

## Example
    完成食品抽检1166批次、食品快检36714批次,查处各类食品安全违法案件74宗
    (stated in two different sentences)  ->  the second copy
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from fazhi import data
from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "duplicate-sentence"
TEXT = rule_text(SLUG)

MIN_SENTENCE_CJK = 10
MIN_RUN_CLAUSES = 2
MIN_RUN_CHARS = 20
MIN_RUN_CJK = 10
# A line this short without closing punctuation is a heading, not a sentence.
MAX_HEADING = 40
SNIPPET = 30


def _at_least_cjk(count: int) -> re.Pattern[str]:
    # Only the threshold matters: the match stops at the count-th CJK character
    # instead of collecting every one of a long sentence's characters.
    return re.compile(rf"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){{{count}}}")


ENOUGH_SENTENCE_CJK = _at_least_cjk(MIN_SENTENCE_CJK)
ENOUGH_RUN_CJK = _at_least_cjk(MIN_RUN_CJK)

CLAUSE_END = re.compile(r"[,:，：]")
TRIM = " \t\n。!?;！？；,:，：、"
# 一是, 二是… number items in running text; the item is the same without it.
ORDINAL = re.compile(r"[一二三四五六七八九十]+是")
ORDINAL_START = frozenset("一二三四五六七八九十")
HEADING_MARKER = re.compile(
    r"\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|[①-⑳])"
)


# (index of a sentence, index of a clause in it)
Position = tuple[int, int]


@dataclass(slots=True)
class _Clause:
    key: str | None  # text without spaces; None for a formula clause
    start: int
    end: int


@dataclass(slots=True)
class _Sentence:
    key: str
    start: int
    end: int
    clauses: list[_Clause]


@cache
def _formula() -> re.Pattern[str] | None:
    """Any formula marker: one search per clause instead of one per marker."""
    markers = data.load("duplicate_sentence")["formula_markers"]
    return re.compile("|".join(map(re.escape, markers))) if markers else None


def _key(text: str) -> str:
    # str.split() drops exactly what the regex \s matches, several times faster.
    return "".join(text.split())


def _is_heading(doc: Document, start: int, sentence: str) -> bool:
    """Whether the sentence at `start` (its text, trimmed) is a heading."""
    if HEADING_MARKER.match(doc.text, start):
        return True
    sentence = sentence.strip()
    if len(sentence) > MAX_HEADING:
        return False  # too long to be a whole heading line, whatever the line is
    line_start, line_end = doc.line_span(start)
    return doc.text[line_start:line_end].strip() == sentence


def _clauses(sentence: str, start: int, key: str) -> list[_Clause]:
    """The clauses of `sentence`, which starts at offset `start` and has `key`."""
    formula_marker = _formula()
    # A clause's key is part of its sentence's key: most sentences hold no
    # formula marker, and then none of their clauses needs the search.
    if formula_marker is not None and not formula_marker.search(key):
        formula_marker = None
    # Nor, in a sentence without spaces, does a clause's key need building.
    spaced = len(key) != len(sentence)
    clauses = []
    pos = start
    # Working on the pieces as strings saves a slice and a scan per clause;
    # CLAUSE_END matches one character, so a piece starts one past the last.
    for piece in CLAUSE_END.split(sentence):
        head = piece.lstrip(TRIM)
        core = head.rstrip(TRIM)
        c_start = pos + len(piece) - len(head)
        c_end = c_start + len(core)
        pos += len(piece) + 1
        if core[:1] in ORDINAL_START and (ordinal := ORDINAL.match(core)):
            c_start += ordinal.end()
            core = core[ordinal.end() :]
        clause_key = _key(core) if spaced else core
        if clause_key:
            formula = formula_marker is not None and formula_marker.search(clause_key)
            clauses.append(_Clause(None if formula else clause_key, c_start, c_end))
    return clauses


def _sentences(doc: Document) -> Iterator[_Sentence]:
    text = doc.text
    body_end = doc.body_end
    title = doc.meta.title_span
    for raw_start, raw_end in doc.sentences:
        if raw_start >= body_end:
            break  # sentences come in text order
        stretch = text[raw_start : min(raw_end, body_end)]
        head = stretch.lstrip(TRIM)
        sentence = head.rstrip(TRIM)
        if not sentence:
            continue
        start = raw_start + len(stretch) - len(head)
        end = start + len(sentence)
        if title and start < title[1] and end > title[0]:
            continue
        if _is_heading(doc, start, sentence):
            continue
        key = _key(sentence)
        yield _Sentence(key, start, end, _clauses(sentence, start, key))


def _finding(doc: Document, start: int, end: int, first: int) -> Finding:
    text = _key(doc.text[start:end])
    snippet = text if len(text) <= SNIPPET else text[:SNIPPET] + "…"
    return TEXT.finding(start, end, snippet=snippet, other_line=doc.line_col(first)[0])


def _is_formula(sentence: _Sentence) -> bool:
    return all(clause.key is None for clause in sentence.clauses)


def _whole_repeats(doc: Document, sentences: list[_Sentence]) -> Iterator[tuple[int, Finding]]:
    """(index of the later sentence, finding) for sentences stated twice."""
    # Only a key stated more than once can be a repeat.
    counts = Counter(sentence.key for sentence in sentences)
    first: dict[str, int] = {}
    for index, sentence in enumerate(sentences):
        if counts[sentence.key] < 2:
            continue
        if not ENOUGH_SENTENCE_CJK.match(sentence.key) or _is_formula(sentence):
            continue
        if sentence.key in first:
            yield index, _finding(doc, sentence.start, sentence.end, first[sentence.key])
        else:
            first[sentence.key] = sentence.start


def _run_length(a: list[_Clause], a_at: int, b: list[_Clause], b_at: int, limit: int) -> int:
    """How many clauses from `a[a_at]` and `b[b_at]` on are equal (formulas never are)."""
    length = 0
    while (
        length < limit
        and a_at + length < len(a)
        and b_at + length < len(b)
        and a[a_at + length].key is not None
        and a[a_at + length].key == b[b_at + length].key
    ):
        length += 1
    return length


def _comma_between(doc: Document, left: _Clause, right: _Clause) -> bool:
    return doc.text[left.end : right.start].strip() in (",", "，")


def _qualifies(run: list[_Clause]) -> bool:
    keys = "".join(clause.key or "" for clause in run)
    return (
        len(run) >= MIN_RUN_CLAUSES
        and len(keys) >= MIN_RUN_CHARS
        and ENOUGH_RUN_CJK.match(keys) is not None
    )


def _longest_earlier(
    doc: Document, sentences: list[_Sentence], earlier: list[Position], t: int, i: int
) -> tuple[int, int]:
    """Longest run at clause `i` of sentence `t` that starts at an earlier position too.

    Returns its length in clauses and the offset of the earlier copy.
    """
    clauses = sentences[t].clauses
    best, best_at = 0, 0
    for s, j in earlier:
        other = sentences[s].clauses
        # Within one sentence the copies must not overlap.
        limit = i - j if s == t else len(clauses)
        length = _run_length(other, j, clauses, i, limit)
        if s == t and j + length == i and _comma_between(doc, clauses[i - 1], clauses[i]):
            continue  # back to back: duplicate-phrase reports it
        if length > best:
            best, best_at = length, other[j].start
    return best, best_at


def _run_repeats(doc: Document, sentences: list[_Sentence], skip: set[int]) -> Iterator[Finding]:
    """Runs of clauses stated earlier; the later copy, once per run."""
    # A pair of clauses can only repeat if each of its clauses does.
    counts = Counter(
        clause.key
        for t, sentence in enumerate(sentences)
        if t not in skip
        for clause in sentence.clauses
    )
    seen: dict[tuple[str, str], list[Position]] = defaultdict(list)
    for t, sentence in enumerate(sentences):
        if t in skip:
            continue
        covered = 0
        for i, (left, right) in enumerate(pairwise(sentence.clauses)):
            if (
                left.key is None
                or right.key is None
                or counts[left.key] < 2
                or counts[right.key] < 2
            ):
                continue
            pair = (left.key, right.key)
            if i >= covered and pair in seen:
                length, first = _longest_earlier(doc, sentences, seen[pair], t, i)
                run = sentence.clauses[i : i + length]
                if run and _qualifies(run):
                    yield _finding(doc, run[0].start, run[-1].end, first)
                    covered = i + length
            seen[pair].append((t, i))


def check(doc: Document) -> Iterator[Finding]:
    sentences = list(_sentences(doc))
    repeated: set[int] = set()
    for index, finding in _whole_repeats(doc, sentences):
        repeated.add(index)
        yield finding
    yield from _run_repeats(doc, sentences, repeated)
