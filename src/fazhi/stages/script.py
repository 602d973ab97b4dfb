"""Stages: analyse a traditional-script (繁體) report as its simplified form.

Government portals serve a 繁體 copy of every page and officials save reports
from either. Every word list, measure word and indicator keyword of the engine
is simplified (项 个 条 万, 学法, 网办), so a traditional report would lose
almost all of its facts and indicators. `run` (right after normalize) tells the
script and, for a traditional report, lets every later stage read a simplified
view of the text; `restore` (the last stage) puts the text as written back.

The view has exactly the same length as the text, character for character, so
no offset needs to move: OpenCC converts each run of Han characters with its
phrase tables (乾淨 → 干净 but 乾隆 stays), and a run whose phrase conversion
changes its length is converted character by character instead. Page
furniture lines are taken out of the view by the boilerplate stage; `restore`
drops the same lines from the text as written.

What the report writes is given back as written: `text`, fact `text`,
section titles, and the title, unit and region it names. Labels the engine
assigns stay canonical (fact units as the spec allows, level, year, date), and
messages stay simplified, as every message a user reads is.

Example: "全年開展學法12次，辦理行政復議案件3件" is analysed as
"全年开展学法12次，办理行政复议案件3件" and yields `study_sessions` = 12 with
its fact text "12次" at the same offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import TYPE_CHECKING

from fazhi.document import AsWritten, Document

if TYPE_CHECKING:
    from opencc import OpenCC

SIMPLIFIED = "simplified"
TRADITIONAL = "traditional"

# Han characters, including the extension blocks and compatibility forms.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HAN_RUN = re.compile(rf"{_HAN.pattern}+")
# A simplified text is written in GB2312's characters but for a rare name or
# symbol; a traditional one has a character outside it every few characters.
# Only a text with more than this share outside GB2312 is looked at with
# OpenCC, so simplified reports never load it.
_OUTSIDE_GB2312_SHARE = 0.02
# Corner brackets are the traditional script's quotation marks; the simplified
# form of the report quotes with “” ‘’ (and the rules check those).
_QUOTES = str.maketrans("「」『』", "“”‘’")


@cache
def _converter(config: str) -> OpenCC:
    # OpenCC and its dictionaries take tens of milliseconds to load: only a
    # report that may be traditional pays for it.
    from opencc import OpenCC

    return OpenCC(config)


def _per_char(config: str, chars: list[str]) -> list[str]:
    """Each character converted alone (no phrase tables): one character each."""
    # A line break ends every phrase match, so the characters convert one by one.
    out = _converter(config).convert("\n".join(chars)).split("\n")
    if len(out) != len(chars) or any(len(c) != 1 for c in out):
        # Not expected from OpenCC's character tables; keep the text unchanged
        # rather than let one odd entry shift every offset after it.
        return chars
    return out


def detect(text: str) -> str:
    """The script a text is written in: `simplified` or `traditional`.

    Counts the characters that OpenCC's character tables would change in each
    direction: a traditional text has many characters t2s changes and almost
    none s2t changes, a simplified one the reverse. The majority decides, so a
    simplified report quoting a traditional name, or a traditional one with a
    few simplified characters typed in, keeps its own script.
    """
    outside = len(text) - len(text.encode("gb2312", "ignore").decode("gb2312"))
    if outside <= _OUTSIDE_GB2312_SHARE * len(text):
        return SIMPLIFIED
    counts = Counter(_HAN.findall(text))
    chars = list(counts)
    to_simplified = _per_char("t2s", chars)
    to_traditional = _per_char("s2t", chars)
    traditional = sum(counts[c] for c, s in zip(chars, to_simplified, strict=True) if s != c)
    simplified = sum(counts[c] for c, t in zip(chars, to_traditional, strict=True) if t != c)
    return TRADITIONAL if traditional > simplified else SIMPLIFIED


def to_simplified(text: str) -> str:
    """The simplified form of a text, of the same length character for character."""
    runs = [m.span() for m in _HAN_RUN.finditer(text)]
    if not runs:
        return text.translate(_QUOTES)
    words = [text[a:b] for a, b in runs]
    # One OpenCC call for the whole text: a line break between runs keeps each
    # run's phrases inside it.
    converted = _converter("t2s").convert("\n".join(words)).split("\n")
    if len(converted) != len(words):
        converted = [_converter("t2s").convert(w) for w in words]
    out: list[str] = []
    pos = 0
    for (a, b), word, simple in zip(runs, words, converted, strict=True):
        if len(simple) != len(word):
            # A phrase entry of another length (rare): give up the phrase
            # choice for this run and keep every offset.
            simple = "".join(_per_char("t2s", list(word)))
        out.append(text[pos:a].translate(_QUOTES))
        out.append(simple)
        pos = b
    out.append(text[pos:].translate(_QUOTES))
    return "".join(out)


def run(doc: Document) -> None:
    """Tell the script; for a traditional report, analyse a simplified view."""
    doc.meta.script = detect(doc.text)
    if doc.meta.script == SIMPLIFIED:
        return
    view = to_simplified(doc.text)
    doc.as_written = AsWritten(doc.text, view, dict(doc.page_info))
    doc.text = view
    for hint in doc.heading_hints:
        hint.text = to_simplified(hint.text)
    doc.page_info = {key: to_simplified(value) for key, value in doc.page_info.items()}


def _written_lines(written: str, view: str, final: str) -> list[str]:
    """The lines of `final` as written: `final` is `view` less some lines."""
    written_lines = written.split("\n")
    view_lines = view.split("\n")
    out: list[str] = []
    j = 0
    for line in final.split("\n"):
        k = j
        while k < len(view_lines) and view_lines[k] != line:
            k += 1
        if k < len(view_lines):
            out.append(written_lines[k])
            j = k + 1
            continue
        # A line a stage trimmed rather than dropped: the same characters of
        # the next line as written; else the simplified line, which still
        # keeps every offset.
        at = view_lines[j].find(line) if j < len(view_lines) else -1
        if at >= 0:
            out.append(written_lines[j][at : at + len(line)])
            j += 1
        else:
            out.append(line)
    return out


class _Writer:
    """Turns a string the stages took from the simplified view back as written."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        # (view, as written) pairs of the same length: the text before page
        # furniture left it, and each page metadata value.
        self.pairs = pairs
        # A string composed from several places (a region from a province and
        # a county) is written character by character, each character as the
        # report writes it most often.
        seen: Counter[tuple[str, str]] = Counter()
        for view, written in pairs:
            seen.update((v, w) for v, w in zip(view, written, strict=True) if v != w)
        self.chars: dict[str, str] = {}
        for (v, w), _ in seen.most_common():
            self.chars.setdefault(v, w)

    def __call__(self, value: str | None) -> str | None:
        if not value:
            return value
        for view, written in self.pairs:
            at = view.find(value)
            if at >= 0:
                return written[at : at + len(value)]
        # A title the report breaks over two lines and the stages joined.
        view, written = self.pairs[0]
        m = re.search("\n?".join(map(re.escape, value)), view)
        if m:
            return written[m.start() : m.end()].replace("\n", "")
        return "".join(self.chars.get(c, c) for c in value)


def restore(doc: Document) -> None:
    """Give back the text as written; offsets are unchanged by construction.

    What the stages took from the text is given back as written too: fact
    text, section titles, and the title, unit and region (names the report
    writes; the development corpus and every reader quote them so). Labels
    the engine assigns stay canonical: fact units, level, year, date.
    """
    original = doc.as_written
    if original is None:
        return
    doc.as_written = None
    final = doc.text
    if final == original.view:
        text = original.text
    else:
        text = "\n".join(_written_lines(original.text, original.view, final))

    def at_offsets(value: str, start: int, end: int) -> str:
        # Where a stage took `value` from the view, the same characters as written.
        at = final.find(value, start, end) if value else -1
        return text[at : at + len(value)] if at >= 0 else value

    for fact in doc.facts:
        fact.text = at_offsets(fact.text, fact.start, fact.end)
    for section in doc.sections:
        section.marker = at_offsets(section.marker, section.start, section.title_end)
        section.title = at_offsets(section.title, section.start, section.title_end)
    pairs = [(original.view, original.text)]
    pairs += [(to_simplified(v), v) for v in original.page_info.values()]
    written = _Writer(pairs)
    doc.meta.title = written(doc.meta.title)
    doc.meta.unit = written(doc.meta.unit)
    doc.meta.region = written(doc.meta.region)
    doc.text = text
