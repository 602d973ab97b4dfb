"""The draft of a unit's next report: what the platform already knows, as a 公文 .docx.

`generate` gathers this year's ledger figures, last year's plan items and the open
rectification items of the obligation's unit, composes the draft (content.py), lays it
out (gongwen.py) and writes the audit log. Last year's report is read through
units.access (followup.services), as the requesting user may: the view has already
checked that they may see the obligation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.rules.late_report import deadline as engine_deadline
from fazhi_web.audit.log import record
from fazhi_web.drafting import gongwen
from fazhi_web.drafting.content import compose
from fazhi_web.followup.services import last_years_report
from fazhi_web.ledgers.figures import keeps_ledgers, ledger_indicators
from fazhi_web.reports.models import Obligation
from fazhi_web.units.models import Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Draft:
    filename: str
    content: bytes


def open_rectification_items(unit: Unit, year: int) -> list[str]:
    """The unit's rectification items still open in `year`, one sentence each."""
    from fazhi_web.rectification.services import open_items

    return [item.problem for item in open_items(unit, year).order_by("id")]


def plan_items(analysis: dict[str, Any] | None) -> list[str]:
    """What a report planned for the next year, item by item (the engine's `plan_items`).

    An analysis stored before the engine listed plan items falls back to the titles of the
    numbered headings of its next_year part (`manage.py reanalyze` gives it the items;
    followup.services re-runs the engine for its table, which a draft need not wait for).
    """
    if not analysis:
        return []
    if "plan_items" in analysis:
        return [i.get("heading") or i["summary"] for i in analysis["plan_items"]]
    part = set(analysis.get("parts", {}).get("next_year", {}).get("sections", []))
    sections = analysis.get("sections", [])
    tops = {s["id"] for s in sections if s["id"] in part and s.get("parent") not in part}
    return [s["title"] for s in sections if s.get("parent") in tops]


def signing_date(obligation: Obligation, today: dt.date) -> dt.date:
    """The 落款 date the draft proposes: today, within the window the report may be signed in.

    After the report year has ended (the engine's date-mismatch) and no later than the
    deadline, the obligation's own or the statutory one for the unit's level
    (late-report), whichever is earlier. The 法制员 puts the real date when it is signed.
    """
    year = obligation.year
    latest = min(
        obligation.effective_deadline, engine_deadline(obligation.unit.level, year, "submit")
    )
    return min(max(today, dt.date(year + 1, 1, 1)), latest)


@transaction.atomic
def generate(actor: Any, obligation: Obligation) -> Draft:
    unit, year = obligation.unit, obligation.year
    figures: dict[str, float | None] = {}
    # A unit that keeps no ledger on the platform has no figures here, not zeros.
    if keeps_ledgers(unit):
        figures = {code: f.value for code, f in ledger_indicators(unit, year).items()}
    last = last_years_report(actor, obligation)
    items = plan_items(last.analysis if last else None)
    open_items = open_rectification_items(unit, year)
    signed_on = signing_date(obligation, timezone.localdate())
    blocks = compose(unit.name, year, figures, items, open_items, signed_on)
    content = gongwen.write(blocks)
    stated = {code: value for code, value in figures.items() if value is not None}
    record(
        actor,
        "draft.generate",
        f"生成{unit.name}{year}年度报告初稿（台账数据{len(stated)}项、"
        f"上年度安排{len(items)}项、待整改问题{len(open_items)}项）",
        unit=unit,
        obj=obligation,
        after={"figures": stated, "plan_items": len(items), "open_items": len(open_items)},
    )
    return Draft(f"{unit.name}{year}年法治政府建设年度报告（初稿）.docx", content)
