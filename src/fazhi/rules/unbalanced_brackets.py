"""Flags a book-title mark, quotation mark or bracket left without its partner.

## What it finds
《》, 〈〉, “”, ‘’, 【】 and round brackets — full-width （） and half-width ()
count as one kind, so （2021-2025年) is balanced — that are not closed, or
closed without being opened, within one paragraph. Marks may nest
(《关于贯彻落实〈法治韶关建设规划(2021-2025年)〉实施意见》). Each unmatched mark
is reported at its own position. A “)” that ends a list number (“1)”, “二)”) is
not a bracket.

## Why it matters
An unclosed 《 leaves the reader guessing where a document's title ends, and a
stray ” usually means a word was cut while editing; either reads as careless in
a published report.

## Example
    制定《法治政府建设示范创建工作实施方案等文件将…  ->  “《”
    依托互联网+政务”交流平台                      ->  “””
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "unbalanced-brackets"
TEXT = rule_text(SLUG)

# opener -> (closer, name of opener, name of closer)
PAIRS = {
    "《": ("》", "左书名号", "右书名号"),
    "〈": ("〉", "左单书名号", "右单书名号"),
    "“": ("”", "左双引号", "右双引号"),
    "‘": ("’", "左单引号", "右单引号"),
    "【": ("】", "左方头括号", "右方头括号"),
    "(": (")", "左括号", "右括号"),
}
# Full-width round brackets pair with half-width ones.
FOLD = str.maketrans("（）", "()")
UNFOLD = str.maketrans("()", "（）")
CLOSERS = {closer: opener for opener, (closer, _, _) in PAIRS.items()}
MARKS = re.compile(f"[{re.escape(''.join(PAIRS) + ''.join(CLOSERS))}]")
# A “)” without an opener after a short number at a line or clause start
# numbers a list item (1) 二) a)), it does not close anything.
LIST_NUMBER = re.compile(r"(?:^|(?<=[\s。;:,、；：，]))[\da-zA-Z一二三四五六七八九十]{1,3}$")


def _fold(line: str) -> str:
    # Same as translate(FOLD), but str.translate is slow on CJK text.
    return line.replace("（", "(").replace("）", ")")


# An opener and its closer side by side.
_ADJACENT_PAIR = re.compile("|".join(re.escape(o + c) for o, (c, _, _) in PAIRS.items()))
_MARKS_AND_BREAKS = re.compile(f"{MARKS.pattern}|\n")


# Pairs nest this deep at most in the lines passed without a walk; deeper
# nesting is walked, so that a pathological text costs no more than a walk.
_MAX_NESTING = 8


def _lines_to_walk(folded: str) -> set[int]:
    """Indices of the lines of `folded` whose marks may not all close in order.

    Removing adjacent pairs from the marks, level by level, takes a few
    searches for the whole text, where walking the marks takes a step per
    mark; a line whose marks are all removed has no unmatched mark.
    """
    marks = "".join(_MARKS_AND_BREAKS.findall(folded))
    for _ in range(_MAX_NESTING):
        marks, removed = _ADJACENT_PAIR.subn("", marks)
        if not removed:
            break
    return {index for index, left in enumerate(marks.split("\n")) if left}


def _unmatched(line: str) -> Iterator[int]:
    """Offsets in `line` of marks without a partner, in order."""
    folded = _fold(line)
    stack: list[tuple[int, str]] = []  # open marks: offset, mark
    for m in MARKS.finditer(folded):
        at, char = m.start(), m[0]
        if char in PAIRS:
            stack.append((at, char))
            continue
        opener = CLOSERS[char]
        if stack and stack[-1][1] == opener:
            stack.pop()  # the usual case, closing the innermost open mark
            continue
        match = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][1] == opener), None)
        if match is None:
            if not (char == ")" and LIST_NUMBER.search(folded, 0, at)):
                yield at
            continue
        # Openers left inside the matched pair were never closed.
        yield from (offset for offset, _ in stack[match + 1 :])
        del stack[match:]
    yield from (offset for offset, _ in stack)


def _line_findings(line: str, line_start: int) -> Iterator[Finding]:
    for offset in sorted(_unmatched(line)):
        at = line_start + offset
        char = line[offset].translate(FOLD)
        if char in PAIRS:
            expected, name, expected_name = PAIRS[char]
        else:
            expected = CLOSERS[char]
            _, expected_name, name = PAIRS[expected]
        if line[offset] in "（）":
            expected = expected.translate(UNFOLD)
        yield TEXT.finding(
            at,
            at + 1,
            bracket=line[offset],
            bracket_name=name,
            expected=expected,
            expected_name=expected_name,
        )


def check(doc: Document) -> Iterator[Finding]:
    body = doc.text[: doc.body_end]
    to_walk = _lines_to_walk(_fold(body))
    line_start = 0
    for index, line in enumerate(body.split("\n")):
        if index in to_walk:
            yield from _line_findings(line, line_start)
        line_start += len(line) + 1
