"""Reading and exporting the audit log. There is deliberately no view that changes an entry."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from fazhi_web.audit import export, wording
from fazhi_web.audit.log import record
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


def _reader(request: HttpRequest) -> Access:
    access = access_for(request.user)
    if not (access.is_superuser or access.is_reviewer or access.is_admin or access.is_reporter):
        raise PermissionDenied
    return access


def _filtered(request: HttpRequest, visible: QuerySet[AuditEntry], units: QuerySet[Unit]) -> Any:
    """The entries the filters in the query string ask for, and the chosen unit."""
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
    return entries, action, unit, below


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    access = _reader(request)
    visible = visible_entries(access)
    actions = sorted(visible.order_by().values_list("action", flat=True).distinct())
    units = Unit.objects.filter(pk__in=visible.order_by().values("unit")).order_by("name")
    entries, action, unit, below = _filtered(request, visible, units)

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


@login_required
@require_GET
def export_log(request: HttpRequest) -> HttpResponse:
    """The entries the page's filters select, as CSV or JSON Lines; the export is logged."""
    access = _reader(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in export.FORMATS:
        return HttpResponse(
            "导出格式应为 csv 或 jsonl。", status=400, content_type="text/plain; charset=utf-8"
        )
    visible = visible_entries(access)
    units = Unit.objects.filter(pk__in=visible.order_by().values("unit"))
    entries, action, unit, below = _filtered(request, visible, units)
    after_id = request.GET.get("after_id", "")
    rows = export.entries(entries, int(after_id) if after_id.isdigit() else None)
    record(
        request.user,
        "audit.export",
        f"导出审计日志（{fmt}）" + (f"：{unit.name}" if unit else ""),
        unit=unit,
        after={
            "format": fmt,
            "action": action,
            "unit": unit.name if unit else None,
            "below": below,
        },
    )
    response = StreamingHttpResponse(
        export.lines(rows.iterator(), fmt), content_type=export.FORMATS[fmt]
    )
    name = f"审计日志-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
