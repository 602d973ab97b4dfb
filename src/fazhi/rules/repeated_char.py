"""Flags a character typed twice by accident (为为).

## What it finds
Two identical Chinese characters side by side that do not form a word: the
segmenter (rjieba, dictionary only) reads them as two one-character words and
its dictionary has no such doubled word. Doubled function words (的的, 了了,
是是, 在在, 和和…) are flagged even where the dictionary lists the pair, because
in running text they are slips. A character that belongs to a longer word on
either side is left alone (以以案释法 is 以 + 以案释法, 目的的 is 目的 + 的).

Not flagged: reduplications that are words (人人, 常常, 件件, 看看; the list is
`data/repeated_char.toml`), AABB forms (家家户户, 扎扎实实), Chinese numerals
(二〇二二年), and doubled digits, letters or punctuation.

## Why it matters
A doubled character is the most visible kind of typing slip in a published
report and costs nothing to fix once it is pointed at; it is easy to read past
when proofreading one's own text.

## Example
    建立以法制科工作人员为为主体  ->  “为为”
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from fazhi import data
from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text
from fazhi.words import Words

SLUG = "repeated-char"
TEXT = rule_text(SLUG)

# Particles, prepositions and conjunctions: doubling one is never idiomatic.
FUNCTION_CHARS = frozenset("的地得了着是在和与及并或把被将从向于为以由就都也还又要而其之对")
# Numerals double legitimately in dates and numbers (二〇二二年, 一九九九).
NUMERALS = frozenset("〇零一二三四五六七八九十百千万亿两")
CONTEXT = 8


@cache
def _allowed() -> tuple[frozenset[str], tuple[str, ...]]:
    table = data.load("repeated_char")
    return frozenset(table["doubles"]), tuple(table["words"])


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _accepted(text: str, at: int) -> bool:
    """Whether the pair at `at` is a legitimate doubling in its context."""
    doubles, words = _allowed()
    pair = text[at : at + 2]
    if pair in doubles:
        return True
    # AABB: a second doubled pair right before or after (清清楚楚, 家家户户).
    for other in (at - 2, at + 2):
        neighbour = text[other : other + 2] if other >= 0 else ""
        if (
            len(neighbour) == 2
            and neighbour[0] == neighbour[1] != pair[0]
            and _is_cjk(neighbour[0])
        ):
            return True
    return any(
        at >= i and text.startswith(word, at - i)
        for word in words
        for i in range(len(word) - 1)
        if word[i : i + 2] == pair
    )


def _doubled(body: str) -> list[int]:
    """Offsets of CJK characters other than numerals that the same character follows.

    Every slip is such a doubling, so only these offsets are worth a look;
    为为为 gives both overlapping pairs. Offsets come in ascending order.
    """
    import numpy as np

    codes = np.frombuffer(body.encode("utf-32-le"), dtype=np.uint32)
    cjk = ((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF))
    doubled: list[int] = np.flatnonzero((codes[:-1] == codes[1:]) & cjk[:-1]).tolist()
    return [at for at in doubled if body[at] not in NUMERALS]


def _slips(text: str, body: str, doubled: list[int]) -> Iterator[int]:
    """The offsets in `doubled` of slips: doublings the segmenter does not join into a word.

    `body` is the start of `text` that is segmented. A tripled character is
    one slip, not two. A doubling accepted in its context, or a dictionary
    word (人人) other than a function word, is never a slip; only the others
    are segmented.
    """
    import rjieba  # loads its dictionary on import: only once a report has a doubling

    words = Words(body)
    reported_end = 0
    for at in doubled:
        char = body[at]
        if at < reported_end:
            continue
        if _accepted(text, at) or (char not in FUNCTION_CHARS and rjieba.has_word(char * 2)):
            continue
        token_end = words.around(at)
        # The dictionary knows some doubled function words (了了); as a token
        # they are still a slip.
        joined = token_end.get(at) == at + 2 and char in FUNCTION_CHARS
        apart = token_end.get(at) == at + 1 and token_end.get(at + 1) == at + 2
        if joined or apart:
            yield at
            reported_end = at + 2


def check(doc: Document) -> Iterator[Finding]:
    body = doc.text[: doc.body_end]
    for at in _slips(doc.text, body, _doubled(body)):
        line_start, line_end = doc.line_span(at)
        context = body[max(line_start, at - CONTEXT) : min(at + 2 + CONTEXT, line_end)]
        yield TEXT.finding(at, at + 2, chars=body[at] * 2, context=context)
