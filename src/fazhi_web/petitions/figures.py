"""Indicators from the 信访 and 12345 ledgers (see ledgers.figures for the shape).

办结率 is of the items received (受理) in the year, those concluded; 满意率 (no indicator
id) of those evaluated, 满意 and 基本满意: `rates`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fazhi_web.ledgers.figures import of_unit
from fazhi_web.petitions.models import SATISFIED, HotlineOrder, Petition
from fazhi_web.units.models import Unit

INDICATORS = (
    "petitions_received",
    "petitions_resolved",
    "petitions_resolution_rate",
    "hotline_received",
    "hotline_closed",
    "hotline_close_rate",
)
LISTS = {code: f"petitions:{'hotline' if code.startswith('hotline') else 'petitions'}"
         for code in INDICATORS}  # fmt: skip


def records(code: str, unit: Unit, year: int, *, below: bool = False) -> QuerySet[Any]:
    own = of_unit("unit", unit, below)
    petitions = Petition.objects.filter(own, hidden_reason="")
    orders = HotlineOrder.objects.filter(own, hidden_reason="")
    if code == "petitions_received":
        return petitions.filter(received_on__year=year)
    if code == "petitions_resolved":
        return petitions.filter(concluded_on__year=year)
    if code == "petitions_resolution_rate":
        return petitions.filter(accepted_on__year=year)
    if code in ("hotline_received", "hotline_close_rate"):
        return orders.filter(dispatched_on__year=year)
    if code == "hotline_closed":
        return orders.filter(closed_on__year=year)
    raise KeyError(code)


def value(code: str, qs: QuerySet[Any], year: int) -> tuple[float | None, str]:
    count = qs.count()
    if code == "petitions_resolution_rate":
        if not count:
            return None, "本年没有受理的信访事项"
        done = qs.filter(concluded_on__isnull=False).count()
        return round(100 * done / count, 1), f"已办结{done}件 / 本年受理{count}件"
    if code == "hotline_close_rate":
        if not count:
            return None, "本年没有派单"
        done = qs.filter(closed_on__isnull=False).count()
        return round(100 * done / count, 1), f"已办结{done}件 / 本年派单{count}件"
    return float(count), ""


def keeps(unit: Unit) -> bool:
    return (
        Petition.objects.filter(unit=unit).exists()
        or HotlineOrder.objects.filter(unit=unit).exists()
    )


def rates(unit: Unit, year: int, *, below: bool = False) -> dict[str, tuple[float | None, str]]:
    own = of_unit("unit", unit, below)
    out: dict[str, tuple[float | None, str]] = {}
    for label, qs in (
        ("信访事项满意率", Petition.objects.filter(own, hidden_reason="", concluded_on__year=year)),
        (
            "12345工单满意率",
            HotlineOrder.objects.filter(own, hidden_reason="", closed_on__year=year),
        ),
    ):
        rated = qs.exclude(satisfaction="")
        total = rated.count()
        good = rated.filter(satisfaction__in=SATISFIED).count()
        out[label] = (
            (round(100 * good / total, 1), f"满意和基本满意{good}件 / 评价{total}件")
            if total
            else (None, "本年没有评价")
        )
    return out
