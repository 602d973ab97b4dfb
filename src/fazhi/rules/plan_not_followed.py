"""Flags an item of last year's plan that this year's report does not report on.

## What it finds
Each item of the `next_year` part of the unit's report for the year before
(the engine's `plan_items`: a numbered heading, an 一是…, or a committing
sentence) is looked for in this year's account of what was done (the
`measures` and `first_responsible` parts). An item none of whose wording comes
back there is flagged, once per item, as a note (`info`): the unit may have
done the work and described it differently, so the reviewer reads it as a
question, not a fault.

The check needs two reports of one unit, so it runs in the platform
(`fazhi_web.followup`), not on one file; the finding's `data` holds the item
(`summary`, `year`, and `start`/`end` in last year's text).

## Why it matters
The annual report is the unit's account of what it did against what it
planned: 《法治政府建设与责任落实督察工作规定》 makes 下一年度推进法治政府建设
的主要安排 one of its required contents. A plan that is never reported on again is either not done or
not accounted for; either way the reviewer should ask.

## Example
    2020年度报告: (六)建设法治文化阵地。新建镇法治文化公园1个……
    2021年度报告: (nothing on 法治文化公园 or 法治文化阵地)
      ->  2020年度报告安排的“建设法治文化阵地”，本年度报告未见落实情况。
"""

from __future__ import annotations

from fazhi.document import Finding
from fazhi.rules.base import rule_text

SLUG = "plan-not-followed"
TEXT = rule_text(SLUG)


def finding(summary: str, year: int, start: int, end: int) -> Finding:
    """The finding for one item of `year`'s plan, at `start`/`end` in that year's text."""
    found = TEXT.finding(summary=summary, year=year)
    found.data = {"summary": summary, "year": year, "start": start, "end": end}
    return found
