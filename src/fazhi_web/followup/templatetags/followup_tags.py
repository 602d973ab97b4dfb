"""`{% plan_followup obligation version %}`: last year's plan against this report.

For the review and self-check pages; the caller has already checked that the user
may read the obligation. Paragraph numbers link to the review page's `#p-N`.
"""

from __future__ import annotations

from typing import Any

from django import template

from fazhi_web.followup.matching import NOT_MENTIONED, PARTLY, REPORTED
from fazhi_web.followup.services import plan_followup

register = template.Library()

BADGES = {REPORTED: "state-filed", PARTLY: "state-returned", NOT_MENTIONED: "state-pending"}


@register.inclusion_tag("followup/_plan_table.html", takes_context=True)
def plan_followup_table(
    context: template.Context, obligation: Any, version: Any, links: bool = False
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    found = plan_followup(user, obligation, version) if user and version else None
    if found is None:
        return {"found": None, "year": obligation.year - 1}
    text = version.analysis.get("text", "")
    rows = []
    for r in found.rows:
        quote = text[r.passage[0] : r.passage[1]] if r.passage else ""
        para = text.count("\n", 0, r.passage[0]) + 1 if r.passage else None
        rows.append({"row": r, "badge": BADGES[r.status], "quote": quote, "para": para})
    return {
        "found": found,
        "year": found.year,
        "rows": rows,
        "links": links,
        "counts": {s: found.count(s) for s in (REPORTED, PARTLY, NOT_MENTIONED)},
    }
