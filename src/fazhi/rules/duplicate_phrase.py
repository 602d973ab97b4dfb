"""Flags a phrase written twice back to back (建立政府法律顾问团,建立政府法律顾问团).

## What it finds
A stretch of text of at least 4 characters, 3 of them Chinese, followed at once
by the same stretch again, either directly or after one separator (“,” or
“、”). The second copy is reported. Only exact repeats count: parallel phrasing
such as 同部署、同落实 repeats a pattern, not a phrase. Neither copy may cross a
sentence end (。!?; or a line break), so a whole sentence written twice is left
to `duplicate-sentence`. A two-character word typed twice (复议复议) counts
too, when the segmenter reads it as the same word twice.

Across a comma, one copy must be a whole clause: in “…三支队伍,三支队伍各尽其责”
the first copy ends a clause and the second starts the next one, a deliberate
figure (顶真), not a slip.

## Why it matters
A phrase repeated back to back is a copy-and-paste or editing slip that
readers notice at once; it suggests the report was not proofread.

## Example
    通过政府购买服务方式建立政府法律顾问团,建立政府法律顾问团,全程列席
      ->  the second “建立政府法律顾问团”
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text
from fazhi.words import Words

SLUG = "duplicate-phrase"
TEXT = rule_text(SLUG)

_STOP = "\n。!?;！？；"
_SEP = ",、，"
# A copy neither starts nor ends with a separator or space, so that the
# reported span is the phrase itself.
_EDGE = rf"[^{_STOP}{_SEP}:： ]"
# Longer repeats are clauses, which `duplicate-sentence` finds; the cap keeps
# the backreference search linear in practice.
REPEAT = re.compile(rf"(?P<x>{_EDGE}[^{_STOP}]{{2,58}}{_EDGE})[{_SEP}]?(?P=x)")  # <= MAX_PHRASE
CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_CJK = 3
SNIPPET = 30


def _boundary(text: str, at: int) -> bool:
    """Whether the character at `at` separates words (or lies outside the text)."""
    return not 0 <= at < len(text) or not text[at].isalnum()


def _chained(body: str, m: re.Match[str]) -> bool:
    """Whether the repeat is a chain (…X,X…): neither copy is a whole clause."""
    if body[m.end("x") : m.end("x") + 1] not in (",", "，"):
        return False
    return not _boundary(body, m.start("x") - 1) and not _boundary(body, m.end())


MAX_PHRASE = 60
# A two-character word typed twice (复议复议决定书) is found with numpy, as two
# CJK characters (U+4E00..U+9FFF) equal to the two after them. Numeral-led
# pairs are idioms (一步一步, 一点一点).
_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF
_NUMERAL_START = "一二三四五六七八九十两几"


# The comparison below holds one row of booleans per distance for the text it
# is given; texts are fed to it in windows so that a huge upload stays small.
_WINDOW = 100_000


def _window_regions(text: str) -> list[tuple[int, int]]:
    """Unmerged stretches of `text` that can hold a back-to-back repeat.

    X followed by X (or X, X) at distance d means that characters d apart are
    equal over a run of at least d - 1 positions; numpy finds such runs for all
    d at once, and the exact regex then runs only there.
    """
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    n = len(codes)
    distances = np.arange(4, min(MAX_PHRASE + 2, n))
    if not len(distances):
        return []
    # Row k compares each character with the one distances[k] later; a False
    # column on either side makes every run start and end inside its row.
    equal = np.zeros((len(distances), n + 2), dtype=bool)
    for row, distance in enumerate(distances):
        np.equal(codes[:-distance], codes[distance:], out=equal[row, 1 : n - distance + 1])
    # Boolean edges: flatnonzero over a numeric diff is several times slower.
    edges = np.flatnonzero(equal[:, 1:] != equal[:, :-1])
    rows, starts = np.divmod(edges[::2], n + 1)
    ends = edges[1::2] % (n + 1)
    d = distances[rows]
    long_enough = ends - starts >= d - 1
    return list(
        zip(
            starts[long_enough].tolist(),
            (ends[long_enough] + d[long_enough]).tolist(),
            strict=True,
        )
    )


def _regions(body: str) -> list[tuple[int, int]]:
    """Merged stretches that can hold a back-to-back repeat, found without regex backtracking."""
    # Windows overlap by more than the longest repeat, so none is cut in two.
    overlap = 2 * MAX_PHRASE + 2
    regions = sorted(
        (a + offset, b + offset)
        for offset in range(0, max(len(body) - overlap, 1), _WINDOW)
        for a, b in _window_regions(body[offset : offset + _WINDOW + overlap])
    )
    merged: list[tuple[int, int]] = []
    for a, b in regions:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _repeats(body: str) -> Iterator[re.Match[str]]:
    for a, b in _regions(body):
        yield from REPEAT.finditer(body, a, min(b, len(body)))


def _doubled_word_offsets(body: str) -> list[int]:
    """Offsets of two CJK characters that the same two follow, in ascending order."""
    import numpy as np

    codes = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32)
    cjk = (codes >= _CJK_FIRST) & (codes <= _CJK_LAST)
    two_on = codes[:-2] == codes[2:]
    doubled = two_on[:-1] & two_on[1:] & cjk[:-3] & cjk[1:-2]
    offsets: list[int] = np.flatnonzero(doubled).tolist()
    return offsets


def _doubled_words(body: str) -> Iterator[tuple[int, str]]:
    """(offset of the second copy, word) where the segmenter reads word + word."""
    import rjieba  # loads its dictionary on import; many reports have no doubled word

    words = Words(body)
    for at in _doubled_word_offsets(body):
        word = body[at : at + 2]
        if word[0] == word[1] or word[0] in _NUMERAL_START or not rjieba.has_word(word):
            continue
        # “研究研究” in quotes cites the saying; it is not a slip.
        before, after = body[max(0, at - 1) : at], body[at + 4 : at + 5]
        if (before and before in '“‘"') or (after and after in '”’"'):
            continue
        starts = words.around(at)
        if starts.get(at) == at + 2 and starts.get(at + 2) == at + 4:
            yield at + 2, word


def check(doc: Document) -> Iterator[Finding]:
    body = doc.text[: doc.body_end]
    for at, word in _doubled_words(body):
        yield TEXT.finding(at, at + 2, snippet=word)
    for m in _repeats(body):
        phrase = m["x"]
        if len(CJK.findall(phrase)) < MIN_CJK or _chained(body, m):
            continue
        start = m.end() - len(phrase)
        snippet = phrase if len(phrase) <= SNIPPET else phrase[:SNIPPET] + "…"
        yield TEXT.finding(start, m.end(), snippet=snippet)
