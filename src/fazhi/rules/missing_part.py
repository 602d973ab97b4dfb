"""Flags each required content of the annual report that is absent.

## What it finds
One finding per required PART (主要举措和成效, 存在的不足和原因,
党政主要负责人履行推进法治建设第一责任人职责情况, 下一年度主要安排) that is
neither a section of its own nor stated in another section's text.
其他需要报告的情况 is optional and never flagged. For a report year before a
part was prescribed (`required_from` in `data/parts.toml`: the first-responsible
part from 2019) its absence is a warning, not an error.

## Why it matters
The five contents are prescribed by 《法治政府建设与责任落实督察工作规定》.
A report without 不足 or without the first responsible person's duties is
returned by the reviewing office; finding that takes a careful read today.

## Example
A report whose headings are 一、主要做法 二、下一步打算 and which states no
problem anywhere gets: 未找到“存在的不足和原因”部分。
"""

from __future__ import annotations

from collections.abc import Iterator

from fazhi import data
from fazhi.document import REQUIRED_PARTS, Document, Finding
from fazhi.rules.base import rule_text
from fazhi.stages.parts import part_names

SLUG = "missing-part"
TEXT = rule_text(SLUG)
BEFORE_REQUIRED = data.load("rules")[SLUG]["message_before_required"]


def check(doc: Document) -> Iterator[Finding]:
    names = part_names()
    required_from = data.load("parts")["required_from"]
    for part in REQUIRED_PARTS:
        if doc.parts[part].present:
            continue
        since = required_from.get(part)
        if since and doc.meta.year is not None and doc.meta.year < since:
            yield Finding(
                rule=SLUG,
                severity="warning",
                message=BEFORE_REQUIRED.format(
                    part_name=names[part], since=since, year=doc.meta.year
                ),
            )
        else:
            yield TEXT.finding(part_name=names[part])
