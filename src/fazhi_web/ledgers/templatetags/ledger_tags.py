"""`{% ledger_comparison obligation %}`: the report's stated indicators beside the ledgers'.

Self-contained for the review page: the caller has already checked that the user may
review the obligation, and the figures are of the same unit and year.
"""

from __future__ import annotations

from typing import Any

from django import template

from fazhi_web.ledgers import figures

register = template.Library()


@register.inclusion_tag("ledgers/_indicator_comparison.html")
def ledger_comparison(obligation: Any) -> dict[str, Any]:
    stated = {v.indicator: v.value for v in obligation.values.all()}
    unit, year = obligation.unit, obligation.reporting_year.year
    return {
        "unit": unit,
        "year": year,
        "keeps_ledgers": figures.keeps_ledgers(unit),
        "rows": figures.compare(stated, unit, year),
    }
