"""Flags a report that has no title.

## What it finds
A report whose first lines hold no line naming it as a report on 法治政府建设
(or 依法行政): the body starts at once, as when a report is pasted from a page
whose title was left behind.

## Why it matters
A published report must say what it is and whose it is; the title is also how
the office files and finds it. A missing title usually means the text was cut
when it was copied, so the reviewer should check the rest too.

## Example
    2020年,我局坚持以习近平新时代中国特色社会主义思想为指导……
flags: 报告没有标题。
"""

from __future__ import annotations

from collections.abc import Iterator

from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "missing-title"
TEXT = rule_text(SLUG)


def check(doc: Document) -> Iterator[Finding]:
    if doc.meta.title is None:
        yield TEXT.finding(year=doc.meta.year or "××")
