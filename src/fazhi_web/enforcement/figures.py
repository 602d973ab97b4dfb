"""The report's enforcement indicators as the enforcement ledger gives them.

One of `fazhi_web.ledgers.figures.FIGURE_MODULES`, in their shape: `INDICATORS`,
`records(code, unit, year, below=)`, `value(code, records, year)`, `keeps(unit)` and
`LISTS`; `enforcement_indicators(unit, year)` gives the figures, each linking to the
records behind it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from fazhi_web.enforcement.models import Case, Certificate, DrawnEntity
from fazhi_web.ledgers.figures import Figure, figure
from fazhi_web.units.models import Unit

# The pages that list the records behind each figure (they read unit, year and figure).
LISTS = {
    "enforcement_inspections": "enforcement:cases",
    "enforcement_penalties": "enforcement:cases",
    "enforcement_coercive": "enforcement:cases",
    "enforcement_legal_reviews": "enforcement:cases",
    "enforcement_publicized": "enforcement:cases",
    "enforcement_certificates": "enforcement:staff",
    "random_inspections": "enforcement:inspections",
}
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


def records(code: str, unit: Unit, year: int, *, below: bool = False) -> QuerySet[Any]:
    """The records a figure of `unit` counts (with `below`: of every unit under it too)."""
    units = (
        Unit.objects.filter(path__startswith=unit.path)
        if below
        else Unit.objects.filter(pk=unit.pk)
    )
    return counted(code, units, year)


def value(code: str, qs: QuerySet[Any], year: int) -> tuple[float | None, str]:
    # A case with several events of the counted kind is one case.
    return float(qs.distinct().count()), ""


def keeps(unit: Unit) -> bool:
    return Case.objects.filter(unit=unit).exists() or unit.officers.exists()


def enforcement_indicators(unit: Unit, year: int) -> dict[str, Figure]:
    return {code: figure(code, unit, year) for code in INDICATORS}
