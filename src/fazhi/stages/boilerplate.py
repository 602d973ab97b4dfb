"""Stage: take web-page furniture out of the text, keep what it said.

Reports are often copied from a portal page, bringing "本站已启用无障碍浏览系统",
font-size switches, breadcrumbs, share buttons and "扫一扫在手机打开当前页" with
them. They are not part of the report, so they leave the text (the
`boilerplate` rule reports each one). What the page says about the report is
kept in `doc.page_info` because the metadata stage needs it: the publisher,
the document's own date (成文日期), the publication date and a title field.
It is read from furniture lines anywhere and from the page's metadata block
above the report (索引号 tables, pipe tables, "[ 发布机构 ] XX" rows, a label
and its value on separate lines).
"""

from __future__ import annotations

import re
from functools import cache

from fazhi import data
from fazhi.document import Document, Removed

_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
# Keys whose value is a date; their label may stand without a colon
# ("发布时间 2025年09月05日").
_DATED = ("published", "written")
_BULLETS = "-·•* "
# "[2023-02-15]": a date in brackets, as some portals print it under the title.
_BRACKETED_DATE = re.compile(
    r"[\[【(（]\s*(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*[\]】)）]"
)
# A line of running text ends the page's head: the metadata block, the title
# and what stands under it come before it.
_BODY_LINE = 60
_HEAD_LINES = 40
# A cell that is a label with no value: "[ 发文字号 ]", "有效性:".
_LABEL_CELL = re.compile(r"[\[【].{1,10}[\]】]|[^:]{1,8}:")
# Where an unknown label begins inside a cell: " 浏览次数:", " 作者:".
_NEXT_LABEL = re.compile(r"\s+[^\s:\d]{2,6}\s*:")


@cache
def _patterns() -> tuple[int, re.Pattern[str], dict[str, list[str]]]:
    """The longest furniture line, all line patterns as one, and the info labels."""
    spec = data.load("boilerplate")
    return (
        int(spec["max_line"]),
        # One match of the alternation instead of one per pattern.
        re.compile("|".join(f"(?:{p})" for p in spec["line_patterns"])),
        spec["info_labels"],
    )


@cache
def _labels() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, tuple[str, int]]]:
    """The label pattern, a bracketed-label pattern, and label -> (key, rank).

    Portals space the characters of a label out ("索 引 号"), so spaces between
    them are allowed.
    """
    _, _, labels = _patterns()
    ranked = {name: (key, rank) for key, names in labels.items() for rank, name in enumerate(names)}
    spaced = "|".join(
        r"\s*".join(map(re.escape, name)) for name in sorted(ranked, key=len, reverse=True)
    )
    label = re.compile(rf"(?<![\u4e00-\u9fa5])(?P<label>{spaced})\s*(?P<colon>:)?\s*")
    bracketed = re.compile(rf"[\[【]\s*({spaced})\s*[\]】]")
    return label, bracketed, ranked


@cache
def unit_name() -> re.Pattern[str]:
    """A unit's name as names are formed (data/units.toml), not a medium like 本网."""
    spec = data.load("units")
    ends = "|".join(sorted(spec["suffixes"], key=len, reverse=True))
    return re.compile(rf"[\u4e00-\u9fa5]{{1,{spec['max_length']}}}?(?:{ends})")


def iso_date(value: str) -> str | None:
    """The date a value opens with, as YYYY-MM-DD."""
    d = _DATE.match(value)
    if not d or not (1 <= int(d[2]) <= 12 and 1 <= int(d[3]) <= 31):
        return None
    return f"{int(d[1]):04d}-{int(d[2]):02d}-{int(d[3]):02d}"


def _cells(lines: list[str]) -> list[str]:
    """The cells of a metadata block: table columns, list items, bracketed labels."""
    _, bracketed, _ = _labels()
    cells: list[str] = []
    for line in lines:
        line = bracketed.sub(lambda m: m[1] + ":", line.strip().lstrip(_BULLETS))
        line = _BRACKETED_DATE.sub(r"\1", line)
        cells.extend(c.strip() for c in line.split("|") if c.strip())
    return cells


class _Info:
    """Collects labelled page metadata; an earlier label in the data file wins."""

    def __init__(self, page_info: dict[str, str]) -> None:
        self.page_info = page_info
        self.ranks: dict[str, int] = {}

    def offer(self, key: str, rank: int, value: str) -> None:
        value = value.strip()
        if key in _DATED:
            value = iso_date(value) or ""
        elif key == "publisher":
            # "来源: 本网", "来源: XX日报" name a medium, not a unit.
            value = value if unit_name().fullmatch(value) else ""
        elif len(value) > 80:
            value = ""
        if value and rank < self.ranks.get(key, 1 << 16):
            self.page_info[key] = value
            self.ranks[key] = rank

    def read(self, cells: list[str]) -> None:
        """Labelled values in the cells; a label with no value takes the next cell.

        A cell that opens with a date before any label ("2019-09-06 15:46
        来源:…") is the page's publication date, below any labelled one.
        """
        label, _, ranked = _labels()
        pending: tuple[str, int] | None = None
        for cell in cells:
            found = list(label.finditer(cell))
            if pending and not found and not _LABEL_CELL.fullmatch(cell):
                self.offer(*pending, cell)
                pending = None
                continue
            pending = None
            if iso_date(cell) and (not found or found[0].start() > 0):
                self.offer("published", len(ranked), cell)
            for i, m in enumerate(found):
                key, rank = ranked[re.sub(r"\s", "", m["label"])]
                if not m["colon"] and (key not in _DATED or not iso_date(cell[m.end() :])):
                    if m.end() == len(cell):
                        pending = (key, rank)
                    continue
                stop = found[i + 1].start() if i + 1 < len(found) else len(cell)
                other = _NEXT_LABEL.search(cell, m.end(), stop)
                value = cell[m.end() : other.start() if other else stop]
                if value.strip():
                    self.offer(key, rank, value)
                elif i + 1 == len(found):
                    pending = (key, rank)


def head_end(lines: list[str]) -> int:
    """Index of the first line of running text, or 0 when none is near the top."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        # A long line of labels ("索引号: … 发布机构: …") is still the head.
        if "。" in line or (len(line) >= _BODY_LINE and ":" not in line):
            return i
    return 0


def is_furniture(line: str) -> bool:
    max_line, furniture, _ = _patterns()
    # Portals often render furniture as list items: "- 来源: 本网".
    return len(line) <= max_line and furniture.match(line.lstrip(_BULLETS)) is not None


def run(doc: Document) -> None:
    lines = doc.text.split("\n")
    head = head_end(lines)
    info = _Info(doc.page_info)
    # The head is read as a whole, before furniture leaves it: a label and its
    # value often sit in separate cells or lines ("[ 成文日期 ]" / "2022-01-24").
    info.read(_cells(lines[:head]))
    kept = []
    for i, line in enumerate(lines):
        if is_furniture(line):
            if i >= head:
                info.read(_cells([line]))
            doc.removed.append(Removed(line, "furniture"))
        else:
            kept.append(line)
    doc.text = "\n".join(kept)
