"""Indicators from the 行政复议 and 行政应诉 ledgers (see ledgers.figures for the shape).

纠错率 and 败诉率 have no indicator id (a report's rate is not compared), but the ledger
computes them for the unit's own pages: `rates`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from fazhi_web.disputes.models import CORRECTING, LOSING, Hearing, Litigation, Reconsideration
from fazhi_web.ledgers.figures import of_unit
from fazhi_web.units.models import Unit

INDICATORS = (
    "reconsideration_received",
    "reconsideration_accepted",
    "administrative_litigation",
    "head_appearance_rate",
)
LISTS = {
    "reconsideration_received": "disputes:reconsiderations",
    "reconsideration_accepted": "disputes:reconsiderations",
    "administrative_litigation": "disputes:litigations",
    "head_appearance_rate": "disputes:litigations",
}


def _hearings_in(year: int, **more: Any) -> Exists:
    return Exists(Hearing.objects.filter(litigation=OuterRef("pk"), held_on__year=year, **more))


def records(code: str, unit: Unit, year: int, *, below: bool = False) -> QuerySet[Any]:
    own = of_unit("unit", unit, below)
    cases = Reconsideration.objects.filter(own, hidden_reason="")
    suits = Litigation.objects.filter(own, hidden_reason="")
    if code == "reconsideration_received":
        return cases.filter(received_on__year=year)
    if code == "reconsideration_accepted":
        return cases.filter(accepted_on__year=year)
    if code == "administrative_litigation":
        return suits.filter(filed_on__year=year)
    if code == "head_appearance_rate":
        # 负责人出庭应诉率: of the lawsuits heard in the year, those where a head appeared.
        return suits.filter(_hearings_in(year))
    raise KeyError(code)


def value(code: str, qs: QuerySet[Any], year: int) -> tuple[float | None, str]:
    count = qs.count()
    if code == "head_appearance_rate":
        if not count:
            return None, "本年没有开庭审理的案件"
        appeared = qs.filter(_hearings_in(year, head_appeared=True)).count()
        return round(100 * appeared / count, 1), f"负责人出庭{appeared}件 / 开庭{count}件"
    return float(count), ""


def keeps(unit: Unit) -> bool:
    return (
        Reconsideration.objects.filter(unit=unit).exists()
        or Litigation.objects.filter(unit=unit).exists()
    )


def rates(unit: Unit, year: int, *, below: bool = False) -> dict[str, tuple[float | None, str]]:
    """纠错率 (corrected / decided, src/fazhi/data/ledgers.toml) and 败诉率 (lost / concluded)."""
    own = of_unit("unit", unit, below)
    decided = Reconsideration.objects.filter(own, hidden_reason="", decided_on__year=year)
    concluded = Litigation.objects.filter(own, hidden_reason="", concluded_on__year=year)
    out: dict[str, tuple[float | None, str]] = {}
    for label, qs, bad, what in (
        ("行政复议纠错率", decided, CORRECTING, "纠错"),
        ("行政应诉败诉率", concluded, LOSING, "败诉"),
    ):
        total = qs.count()
        hits = qs.filter(outcome__in=bad).count()
        out[label] = (
            (round(100 * hits / total, 1), f"{what}{hits}件 / 审结{total}件")
            if total
            else (None, "本年没有审结的案件")
        )
    return out
