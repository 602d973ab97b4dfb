"""Flags a report dated after the deadline for its level.

## What it finds
A report whose closing signature is dated after its submission deadline in
the year after the report year (departments: 3月1日; governments: the end of
the first quarter, 3月31日), or whose only date is a publication date after
4月1日. Deadlines per level live in `data/deadlines.toml`.

## Why it matters
On-time submission and publication are scored in the annual assessment and
late units are named in the office's 通报. Offices check dates by hand today.

## Example
A department report for 2021 signed 2022年3月15日 gets:
报告落款日期为2022-03-15，晚于政府部门报送截止日期2022-03-01。
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from fazhi import data
from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "late-report"
TEXT = rule_text(SLUG)


def deadline(level: str | None, year: int, kind: str) -> date:
    """The deadline of `kind` ("submit" or "publish") for a report on `year`."""
    table = data.load("deadlines")[kind]
    month_day = table.get("all") or table.get(level or "unknown") or table["unknown"]
    month, day = (int(x) for x in month_day.split("-"))
    return date(year + 1, month, day)


def check(doc: Document) -> Iterator[Finding]:
    meta = doc.meta
    if meta.year is None:
        return
    names = data.load("deadlines")["level_names"]
    dated: list[tuple[str, str]] = []
    if meta.date and meta.date_source == "signature":
        dated.append(("submit", meta.date))
    published = doc.page_info.get("published") or (
        meta.date if meta.date_source == "published" else None
    )
    if published:
        dated.append(("publish", published))
    for kind, stated in dated:
        try:
            when = date.fromisoformat(stated)
        except ValueError:
            continue
        limit = deadline(meta.level, meta.year, kind)
        if when > limit:
            start = meta.closing_start if kind == "submit" else None
            end = len(doc.text) if start is not None else None
            yield TEXT.finding(
                start,
                end,
                date=stated,
                level_name=names.get(meta.level or "unknown", names["unknown"]),
                what="报送" if kind == "submit" else "公开",
                deadline=limit.isoformat(),
            )
