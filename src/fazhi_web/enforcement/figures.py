"""The report's enforcement indicators as the enforcement ledger gives them.

Same shape as `fazhi_web.ledgers.figures`: `INDICATORS`, `records(code, unit, year)`
(the records a figure counts, each a QuerySet) and `value(code, unit, year)`;
`enforcement_indicators(unit, year)` gives them as `ledgers.figures.Figure`s, each
linking to the records behind it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse

from fazhi_web.enforcement.models import Case, Certificate, DrawnEntity
from fazhi_web.ledgers.figures import Figure, indicator_label
from fazhi_web.units.models import Unit

INDICATORS = (
    "enforcement_inspections",
    "enforcement_penalties",
    "enforcement_coercive",
    "enforcement_legal_reviews",
    "enforcement_publicized",
    "enforcement_certificates",
    "random_inspections",
)
# The event whose date puts a case of each kind in a year: an inspection when it was
# made, a penalty or a coercive measure when it was decided.
_COUNTED_EVENT = {
    "enforcement_inspections": ("inspection", "investigated"),
    "enforcement_penalties": ("penalty", "decided"),
    "enforcement_coercive": ("coercive", "decided"),
}


def counted(code: str, units: QuerySet[Unit], year: int) -> QuerySet[Any]:
    """The records a figure counts over `units`: cases, certificates or drawn entities."""
    cases = Case.objects.filter(unit__in=units, hidden_reason="")
    if code in _COUNTED_EVENT:
        kind, event = _COUNTED_EVENT[code]
        return cases.filter(kind=kind, events__kind=event, events__on__year=year)
    if code == "enforcement_legal_reviews":
        return cases.filter(legal_review__reviewed_on__year=year)
    if code == "enforcement_publicized":
        return cases.filter(publication__published_on__year=year)
    if code == "enforcement_certificates":
        return Certificate.objects.filter(
            officer__unit__in=units, officer__hidden_reason="", issued_on__year=year
        )
    if code == "random_inspections":
        return DrawnEntity.objects.filter(
            inspection__unit__in=units, inspection__hidden_reason="", inspected_on__year=year
        )
    raise KeyError(code)


def records(code: str, unit: Unit, year: int) -> QuerySet[Any]:
    """The records a figure of `unit` counts."""
    return counted(code, Unit.objects.filter(pk=unit.pk), year)


def value(code: str, unit: Unit, year: int) -> float:
    return float(records(code, unit, year).count())


def records_url(code: str, unit: Unit, year: int) -> str:
    page = {
        "enforcement_certificates": "enforcement:staff",
        "random_inspections": "enforcement:inspections",
    }.get(code, "enforcement:cases")
    return f"{reverse(page)}?{urlencode({'unit': unit.pk, 'year': year, 'figure': code})}"


def enforcement_indicators(unit: Unit, year: int) -> dict[str, Figure]:
    return {
        code: Figure(
            code, indicator_label(code), value(code, unit, year), records_url(code, unit, year)
        )
        for code in INDICATORS
    }


def keeps_ledger(unit: Unit) -> bool:
    return Case.objects.filter(unit=unit).exists() or unit.officers.exists()
