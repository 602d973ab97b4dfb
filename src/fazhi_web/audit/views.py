"""Reading the audit log. There is deliberately no view that changes an entry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi_web.audit import wording
from fazhi_web.audit.models import AuditEntry
from fazhi_web.units.access import Access, access_for
from fazhi_web.units.models import Unit

PER_PAGE = 50

# Actions taken on the office unit itself that its reviewers work under.
OFFICE_ACTIONS = ("year.open", "deadline.set")


def visible_entries(access: Access) -> QuerySet[AuditEntry]:
    """Entries about units the user may view: own unit for reporters, scope for reviewers/admins."""
    if access.is_superuser:
        return AuditEntry.objects.all()
    scope = (
        Q(unit__in=access.units())
        | Q(unit__in=access.administrable_units())
        | Q(unit__in=access.offices(), action__in=OFFICE_ACTIONS)
    )
    return AuditEntry.objects.filter(scope)


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    if not (access.is_superuser or access.is_reviewer or access.is_admin or access.is_reporter):
        raise PermissionDenied
    visible = visible_entries(access)
    actions = sorted(visible.order_by().values_list("action", flat=True).distinct())
    units = Unit.objects.filter(pk__in=visible.order_by().values("unit")).order_by("name")

    entries = visible.select_related("unit")
    action = request.GET.get("action", "")
    if action:
        entries = entries.filter(action=action)
    unit = None
    raw_unit = request.GET.get("unit", "")
    if raw_unit.isdigit():
        # Only a unit the user can already see entries of; anything else matches nothing.
        unit = units.filter(pk=int(raw_unit)).first()
        if unit is None:
            entries = entries.none()
    below = request.GET.get("below") == "1"
    if unit is not None:
        entries = (
            entries.filter(unit__path__startswith=unit.path) if below else entries.filter(unit=unit)
        )

    page = Paginator(entries.order_by("-at", "-id"), PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": e,
            "label": wording.action_label(e.action),
            "sentence": wording.sentence(e),
            "changes": wording.changes(e),
            "has_before": e.before is not None,
        }
        for e in page.object_list
    ]
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "rows": rows,
            "actions": [(a, wording.action_label(a)) for a in actions],
            "units": units,
            "action": action,
            "unit": unit,
            "below": below,
        },
    )
