"""`{% rectification_followup obligation %}`: the unit's rectification items its report on
that year must account for, and whether the report mentions each (on the review page
and the unit's self-check). The caller has already checked that the user may read the
obligation; the items are the same unit's."""

from __future__ import annotations

from typing import Any

from django import template

from fazhi_web.rectification import services

register = template.Library()


@register.inclusion_tag("rectification/_followup.html")
def rectification_followup(obligation: Any, version: Any = None) -> dict[str, Any]:
    rows = services.followup(obligation, version)
    return {
        "obligation": obligation,
        "rows": rows,
        "unreported": sum(1 for r in rows if r.finding is not None),
    }
