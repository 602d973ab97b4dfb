"""Indicators from the 建议提案 ledger (see ledgers.figures for the shape).

按时办复率: of the suggestions and proposals assigned in the year, those replied to
within the `proposal_reply` limit of the unit's region.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fazhi_web.ledgers import deadlines
from fazhi_web.ledgers.figures import of_unit
from fazhi_web.petitions.models import SATISFIED
from fazhi_web.proposals.ledger import on_time
from fazhi_web.proposals.models import Proposal, ProposalKind
from fazhi_web.units.models import Unit

INDICATORS = ("npc_suggestions", "cppcc_proposals", "proposal_on_time_rate")
LISTS = dict.fromkeys(INDICATORS, "proposals:proposals")


def records(code: str, unit: Unit, year: int, *, below: bool = False) -> QuerySet[Any]:
    qs = Proposal.objects.filter(of_unit("unit", unit, below), hidden_reason="",
                                 assigned_on__year=year)  # fmt: skip
    if code == "npc_suggestions":
        return qs.filter(kind=ProposalKind.NPC)
    if code == "cppcc_proposals":
        return qs.filter(kind=ProposalKind.CPPCC)
    if code == "proposal_on_time_rate":
        return qs
    raise KeyError(code)


def value(code: str, qs: QuerySet[Any], year: int) -> tuple[float | None, str]:
    if code != "proposal_on_time_rate":
        return float(qs.count()), ""
    items = list(qs.select_related("unit"))
    if not items:
        return None, "本年没有交办的建议提案"
    calendars = deadlines.Calendars()
    good = sum(1 for p in items if on_time(p, calendars))
    return round(100 * good / len(items), 1), f"按时办复{good}件 / 交办{len(items)}件"


def keeps(unit: Unit) -> bool:
    return Proposal.objects.filter(unit=unit).exists()


def rates(unit: Unit, year: int, *, below: bool = False) -> dict[str, tuple[float | None, str]]:
    rated = Proposal.objects.filter(
        of_unit("unit", unit, below), hidden_reason="", replied_on__year=year
    ).exclude(satisfaction="")
    total = rated.count()
    good = rated.filter(satisfaction__in=SATISFIED).count()
    if not total:
        return {"建议提案满意率": (None, "本年没有评价")}
    return {
        "建议提案满意率": (round(100 * good / total, 1), f"满意和基本满意{good}件 / 评价{total}件")
    }
