"""Flags a title that is not in the prescribed form.

## What it finds
A title that does not read `<单位><年份>年(度)法治政府建设(工作)(年度)(情况)报告`
(the unit may also follow the year) or `<单位>关于<年份>年(度)法治政府建设(工作)情况的报告`:
a missing year, a stray 的 ("法治政府建设的年度报告"), or another name such as 工作总结.

## Why it matters
Offices file and publish the reports under one naming scheme; a title out of
form is usually returned for correction before 备案 and publication.

## Example
    松山湖2020年法治政府建设的年度报告
should read 松山湖2020年法治政府建设年度报告.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "nonstandard-title"
TEXT = rule_text(SLUG)

_YEAR = r"(?:\d{4}|[〇零○一二三四五六七八九]{4})\s*年(?:度)?"
_TOPIC = r"(?:推进)?法治政府建设(?:工作)?"
# The unit may stand before or after the year: "2021年度XX县法治政府建设情况报告".
STANDARD = (
    re.compile(rf"^.{{0,40}}?{_YEAR}.{{0,20}}?{_TOPIC}(?:年度)?(?:情况|工作情况)?报告$"),
    re.compile(rf"^.{{0,40}}?关于{_YEAR}.{{0,20}}?{_TOPIC}(?:年度)?(?:情况|工作情况)的报告$"),
)


def check(doc: Document) -> Iterator[Finding]:
    title = doc.meta.title
    if title is None or doc.meta.title_span is None:
        return
    compact = re.sub(r"\s+", "", title)
    if not any(p.match(compact) for p in STANDARD):
        start, end = doc.meta.title_span
        yield TEXT.finding(start, end, title=title, year=doc.meta.year or "××")
