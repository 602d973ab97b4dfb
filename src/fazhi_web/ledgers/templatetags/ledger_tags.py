"""`{% ledger_comparison obligation %}`: the report's stated indicators beside the ledgers';
`{% ledger_mismatches obligation version %}`: the `ledger-mismatch` findings among them.

Self-contained for the review and self-check pages: the caller has already checked that
the user may read the obligation, and the figures are of the same unit and year.
"""

from __future__ import annotations

from typing import Any

from django import template

from fazhi_web.ledgers import figures

register = template.Library()


def stated_values(obligation: Any, version: Any = None) -> dict[str, float]:
    """What the report states: the obligation's values (the submitted version with the
    reviewers' corrections), or for another version (a draft on the self-check page)
    what its analysis read."""
    if version is None or version.pk == obligation.current_version_id:
        return {v.indicator: v.value for v in obligation.values.all()}
    indicators = (version.analysis or {}).get("indicators", {})
    return {key: entry["value"] for key, entry in indicators.items()}


@register.inclusion_tag("ledgers/_indicator_comparison.html")
def ledger_comparison(obligation: Any) -> dict[str, Any]:
    unit, year = obligation.unit, obligation.reporting_year.year
    return {
        "unit": unit,
        "year": year,
        "keeps_ledgers": figures.keeps_ledgers(unit),
        "rows": figures.compare(stated_values(obligation), unit, year),
    }


@register.inclusion_tag("ledgers/_mismatches.html")
def ledger_mismatches(obligation: Any, version: Any = None) -> dict[str, Any]:
    unit, year = obligation.unit, obligation.reporting_year.year
    found = figures.mismatches(stated_values(obligation, version), unit, year)
    return {"mismatches": found, "year": year}
