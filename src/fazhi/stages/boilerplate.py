"""Stage: take web-page furniture out of the text, keep what it said.

Reports are often copied from a portal page, bringing "本站已启用无障碍浏览系统",
font-size switches, breadcrumbs, share buttons and "扫一扫在手机打开当前页" with
them. They are not part of the report, so they leave the text (the
`boilerplate` rule reports each one). Publication dates and publishers on those
lines are kept in `doc.page_info` because the metadata stage needs them.
"""

from __future__ import annotations

import re
from functools import cache

from fazhi import data
from fazhi.document import Document, Removed

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@cache
def _patterns() -> tuple[int, list[re.Pattern[str]], dict[str, list[str]]]:
    spec = data.load("boilerplate")
    return (
        int(spec["max_line"]),
        [re.compile(p) for p in spec["line_patterns"]],
        spec["info_labels"],
    )


# Values that name no one: "来源: 本网".
_UNINFORMATIVE = {"本网", "本站", "本单位", "网站"}


def _keep_info(line: str, page_info: dict[str, str], ranks: dict[str, int]) -> None:
    """Record labelled metadata; an earlier label in the data file wins."""
    _, _, labels = _patterns()
    for key, names in labels.items():
        for rank, name in enumerate(names):
            m = re.search(rf"{name}\s*[:]\s*(.+?)(?=\s+\S{{2,6}}\s*[:]|$)", line)
            if not m or rank >= ranks.get(key, len(names)):
                continue
            value = m.group(1).strip()
            if key == "published":
                d = _DATE.search(value)
                if not d:
                    continue
                value = f"{int(d[1]):04d}-{int(d[2]):02d}-{int(d[3]):02d}"
            elif value in _UNINFORMATIVE:
                continue
            page_info[key] = value
            ranks[key] = rank
    bare = re.fullmatch(r"-?\s*(\d{4})-(\d{1,2})-(\d{1,2}).*", line)
    if bare and "published" not in page_info:
        page_info["published"] = f"{int(bare[1]):04d}-{int(bare[2]):02d}-{int(bare[3]):02d}"


def is_furniture(line: str) -> bool:
    max_line, patterns, _ = _patterns()
    # Portals often render furniture as list items: "- 来源: 本网".
    bare = line.lstrip("-·•* ")
    return len(line) <= max_line and any(p.match(bare) for p in patterns)


def run(doc: Document) -> None:
    kept = []
    ranks: dict[str, int] = {}
    for line in doc.text.split("\n"):
        if is_furniture(line):
            _keep_info(line, doc.page_info, ranks)
            doc.removed.append(Removed(line, "furniture"))
        else:
            kept.append(line)
    doc.text = "\n".join(kept)
