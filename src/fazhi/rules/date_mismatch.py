"""Flags a report whose report year and dates cannot all be right.

## What it finds
- A report dated before its report year has ended: a 2025 report whose
  落款, 成文日期 or page publication date is 2022-01-21. An annual report is
  written after the year it reports on.
- A title year and a body year that disagree: "XX县2025年法治政府建设年度报告"
  whose opening reads "现将2021年法治政府建设情况报告如下". One of them, or the
  date, was left over from another year's report.
- A 落款 or 成文日期 in the second year after the report year or later
  (a 2021 report signed 2023-02-10): no report is signed that late, so the
  year or the date is wrong.

## Why it matters
Such a report is usually last year's text with the title changed, or a date
typed wrongly. Either way the on-time check cannot trust the date, so the
score gives no 按时报送 points for it, and the office has to ask the unit.

## Example
"XX县2025年法治政府建设年度报告", signed 2022年1月21日, gets:
报告日期2022-01-21早于2025年度结束，年度报告应在报告年度结束后形成，年份或日期有误。
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from fazhi import data
from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text
from fazhi.stages.meta import opening_subject

SLUG = "date-mismatch"
TEXT = rule_text(SLUG)
_MESSAGES = data.load("rules")[SLUG]

_YEAR = re.compile(r"(20\d{2})\s*年")
# How a report states the year it reports on in its opening.
_STATED = re.compile(r"现将[^。\n]{0,20}?(20\d{2})\s*年")
_OPENING_REACH = 600
# The date sources that are the document's own (not the page's upload).
_OWN_DATES = ("signature", "written")


def body_year(doc: Document) -> int | None:
    """The report year the opening states: "现将2021年…报告如下", "2021年,我局…"."""
    start = doc.meta.title_span[1] if doc.meta.title_span else 0
    opening = doc.text[start : start + _OPENING_REACH]
    stated = _STATED.search(opening)
    if stated:
        return int(stated[1])
    subject = opening_subject(opening)
    return int(subject["year"]) if subject and subject["year"] else None


def _parse(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def check(doc: Document) -> Iterator[Finding]:
    meta = doc.meta
    title_year = None
    if meta.title:
        m = _YEAR.search(meta.title)
        title_year = int(m[1]) if m else None
    stated = body_year(doc)
    if title_year and stated and title_year != stated:
        span = meta.title_span or (None, None)
        yield TEXT.finding(
            span[0],
            span[1],
            detail=_MESSAGES["message_years"].format(title_year=title_year, body_year=stated),
        )
    # The year the text states; a year guessed from the date itself cannot
    # contradict the date.
    year = title_year or stated
    if year is None:
        return
    dates = [(meta.date, meta.date_source)]
    if doc.page_info.get("published") != meta.date:
        dates.append((doc.page_info.get("published"), "published"))
    for value, source in dates:
        when = _parse(value)
        if when is None:
            continue
        start = meta.closing_start if source == "signature" else None
        end = len(doc.text) if start is not None else None
        if when < date(year + 1, 1, 1):
            yield TEXT.finding(
                start, end, detail=_MESSAGES["message_early"].format(date=value, year=year)
            )
            # The page's date repeating the same contradiction adds nothing.
            return
        elif source in _OWN_DATES and when.year >= year + 2:
            yield TEXT.finding(
                start, end, detail=_MESSAGES["message_far"].format(date=value, year=year)
            )
