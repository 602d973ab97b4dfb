"""Flags an indicator whose stated value differs from the unit's own ledger.

## What it finds
A unit that keeps its ledgers (台账) on the platform states, in its report, a figure
that its records give differently: "共收到行政复议申请12件" while the 行政复议 ledger
holds 14 applications received that year. Counts must agree exactly; a rate within
`rate_tolerance` percentage points (a report rounds).

## Why it matters
The report's numbers are what the office totals and publishes. When the ledger and
the report disagree, one of them is wrong, and the reviewer opens the records behind
the ledger's figure to see which.

## Where it runs
Not on a report alone: the platform compares the indicators the engine read from the
report with the figures it computes from the unit's ledgers, on the self-check and
review pages. `fazhi analyze` never reports it; `compare` holds the rule itself.

## Example
    报告：“全年受理信访事项56件” — 信访台账：本年受理58件
flags: 报告所述“信访事项接收、受理数”为56，台账记录为58（相差2）。
"""

from __future__ import annotations

from fazhi import data
from fazhi.document import Finding
from fazhi.rules.base import rule_text

SLUG = "ledger-mismatch"
TEXT = rule_text(SLUG)
PLATFORM_ONLY = True


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def agrees(code: str, stated: float, ledger: float) -> bool:
    """A count agrees exactly; a rate (its id ends in _rate) within the tolerance."""
    tolerance = float(data.load("rules")[SLUG]["rate_tolerance"]) if code.endswith("_rate") else 0
    return abs(stated - ledger) <= tolerance


def finding(label: str, stated: float, ledger: float) -> Finding:
    return TEXT.finding(
        indicator=label,
        stated=_number(stated),
        ledger=_number(ledger),
        difference=_number(round(abs(ledger - stated), 1)),
    )
