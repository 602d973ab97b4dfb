"""Stage: fold width forms and whitespace, restore paragraphs of one-line reports.

Every later offset points into the text this stage leaves, so it runs first.
Only forms a reader would not notice change: full-width ASCII becomes
half-width, odd spaces become plain ones, blank lines go. Chinese punctuation
(。、“”《》) is left alone. Mirror sites that serve a 繁體 copy of a report may
write the pinyin of a converted character after it, "建設(shè)", "發(fā)布日期",
which splits the words and dates the later stages read: it goes too.
"""

from __future__ import annotations

import re

from fazhi.document import Document
from fazhi.stages.sections import TOP_MARKER

# U+FF01..U+FF5E are full-width forms of ASCII 0x21..0x7E.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2028: 0x0A, 0x2029: 0x0A, 0x09: 0x20})
# str.translate looks up every character of CJK text one by one; only runs of
# characters the table changes go through it. A run is written "XX*", not
# "X+": a pattern that opens with a plain character class lets the search skip
# ahead to the next candidate instead of trying every offset.
_WIDE_CHAR = f"[{re.escape(''.join(map(chr, sorted(_WIDTH))))}]"
_WIDE = re.compile(f"{_WIDE_CHAR}{_WIDE_CHAR}*")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"  +")  # not " {2,}", which is tried at every offset
# Pinyin with a tone mark in brackets right after a Han character; the
# pattern opens with the bracket so that the search skips to each one.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"\((?<=[\u4e00-\u9fff]\()[a-zü]{{0,5}}[{_TONED}][a-zü{_TONED}]{{0,5}}\)")

# A line this long, or one where two numbered headings follow a space, holds a
# whole report whose paragraphs were joined by spaces (copied from a web page
# or a PDF): the spaces between Chinese text are the old paragraph breaks.
_JOINED_LINE = 1000
# These patterns open with the space and look behind it from there: a search
# then skips ahead to each space instead of trying the lookbehind everywhere.
_SPACED_HEADING = re.compile(rf" (?<=[^\x00-\x7f] ){TOP_MARKER}")
# One such heading right after a full stop is enough ("…149份。 (四)规范执法行为").
_HEADING_AFTER_STOP = re.compile(rf" (?<=[。;:!?] ){TOP_MARKER}")
_JOIN_SPACE = re.compile(r" (?:(?<=[^\x00-\x7f] )(?=\S)|(?<=[:;!?] )(?=[^\x00-\x7f]))")


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _WIDE.sub(lambda m: m[0].translate(_WIDTH), _INVISIBLE.sub("", text))
    text = _PINYIN.sub("", text)
    lines: list[str] = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line.strip())
        if not line:
            continue
        spaced = " " in line and (
            _HEADING_AFTER_STOP.search(line) is not None or len(_SPACED_HEADING.findall(line)) >= 2
        )
        if len(line) >= _JOINED_LINE or spaced:
            lines.extend(part.strip() for part in _JOIN_SPACE.split(line) if part.strip())
        else:
            lines.append(line)
    return "\n".join(lines)


def run(doc: Document) -> None:
    doc.text = clean(doc.text)
    for hint in doc.heading_hints:
        hint.text = clean(hint.text)
