"""Flags a plan or rule cited as in force after it was superseded.

## What it finds
A citation of a plan or rule that had been replaced by the report's year:
纲要(2015-2020年) in a 2022 report, 《信访条例》 after 《信访工作条例》, the
单行法律 repealed by the 民法典, the "七五" 普法 plan in the "八五" period; and
any cited plan whose own stated period (…规划(2016-2020年)) ended before the
report year. Sentences that look back on the old plan (收官, 总结, 验收) are
not flagged. The table lives in `data/superseded.toml`.

## Why it matters
Citing the superseded plan shows the report was copied from an earlier year
or that the unit is working to old requirements; either way the reviewer
returns it.

## Example
    2022年,我局深入贯彻《法治政府建设实施纲要(2015-2020年)》……
flags the citation: superseded by 《法治政府建设实施纲要(2021-2025年)》.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from fazhi import data
from fazhi.document import Document, Finding
from fazhi.rules.base import rule_text

SLUG = "outdated-reference"
TEXT = rule_text(SLUG)


@cache
def _table() -> tuple[list[tuple[re.Pattern[str], dict[str, Any]]], re.Pattern[str], list[str]]:
    spec = data.load("superseded")
    refs = [(re.compile(r["pattern"]), r) for r in spec["reference"]]
    return refs, re.compile(spec["expired_period"]["pattern"]), spec["retrospective"]


def _looks_back(doc: Document, offset: int, words: list[str]) -> bool:
    span = doc.sentence_at(offset)
    return span is not None and any(w in doc.text[span[0] : span[1]] for w in words)


def check(doc: Document) -> Iterator[Finding]:
    year = doc.meta.year
    if year is None:
        return
    refs, expired, retrospective = _table()
    body = doc.text[: doc.body_end]
    flagged: list[tuple[int, int]] = []
    for pattern, ref in refs:
        if year < ref["from_year"]:
            continue
        for m in pattern.finditer(body):
            if _looks_back(doc, m.start(), retrospective):
                continue
            flagged.append((m.start(), m.end()))
            yield TEXT.finding(
                m.start(), m.end(), year=year, cited=m[0], superseded_by=ref["superseded_by"]
            )
    superseded_by = data.load("superseded")["expired_period"]["superseded_by"]
    for m in expired.finditer(body):
        if int(m[4]) >= year or _looks_back(doc, m.start(), retrospective):
            continue
        if any(s < m.end() and m.start() < e for s, e in flagged):
            continue
        yield TEXT.finding(m.start(), m.end(), year=year, cited=m[0], superseded_by=superseded_by)
