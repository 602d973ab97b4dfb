"""The rectification screens: the 整改台账, one item and its answer, 督察, and raising items
from a review finding or a 通报. Plain views; every read goes through services (which ask
units.access), every change through a service that writes the audit log."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi_web.ledgers.sheets import DATE, INT, TEXT, Column, Ledger, write_sheet
from fazhi_web.rectification import forms, services
from fazhi_web.rectification.models import Item, ItemState
from fazhi_web.reports.models import ReportingYear, ReportVersion
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import services as review_services
from fazhi_web.units.access import access_for, get_unit
from fazhi_web.units.models import Unit

PAGE = 50
# The 整改台账's columns, on the screen and in the .xlsx alike.
COLUMNS = (
    Column("unit_name", "责任单位", TEXT),
    Column("year", "整改年度", INT),
    Column("source_label", "来源", TEXT),
    Column("problem", "问题", TEXT),
    Column("person", "责任人", TEXT),
    Column("measures", "整改措施", TEXT),
    Column("due", "时限", DATE),
    Column("state_label", "状态", TEXT),
    Column("overdue_label", "是否逾期", TEXT),
    Column("escalated_label", "挂牌督办", TEXT),
    Column("evidence_count", "佐证材料", INT),
)
# A 时限 proposed on the forms; the office changes it as it sees fit.
DEFAULT_LIMIT_DAYS = 20
SHEET = Ledger("rectification", "整改台账", Item, COLUMNS, ())


def _staff(request: HttpRequest) -> Any:
    access = access_for(request.user)
    if not (access.is_reviewer or access.is_reporter):
        raise PermissionDenied("您没有查看整改台账的权限。")
    return access


# -- the 整改台账 -----------------------------------------------------------------------


def _ledger_rows(request: HttpRequest) -> tuple[list[SimpleNamespace], dict[str, Any]]:
    _staff(request)
    form = forms.LedgerFilterForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    items = services.readable(request.user).prefetch_related("evidence")
    unit = None
    if chosen.get("unit"):
        unit = get_unit(request.user, chosen["unit"])
        items = items.filter(unit=unit)
    if chosen.get("year"):
        items = items.filter(year=chosen["year"])
    state = chosen.get("state")
    if state == forms.UNCLOSED:
        items = items.exclude(state=ItemState.CLOSED)
    elif state:
        items = items.filter(state=state)
    if chosen.get("escalated"):
        items = items.filter(escalated=True)
    today = timezone.localdate()
    rows = []
    for item in services.with_due(items.order_by("unit__path", "-year", "id"), today):
        if chosen.get("overdue") and not item.overdue:
            continue
        row = SimpleNamespace(
            item=item,
            unit_name=item.unit.name,
            year=item.year,
            source_label=item.get_source_display(),
            problem=item.problem,
            person=item.person,
            measures=item.measures,
            due=item.due,
            state_label=item.get_state_display(),
            overdue_label="已逾期" if item.overdue else "",
            escalated_label="挂牌督办" if item.escalated else "",
            evidence_count=len(item.evidence.all()),
        )
        row.cells = [getattr(row, c.key) for c in COLUMNS]
        rows.append(row)
    return rows, {**chosen, "unit": unit}


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    rows, chosen = _ledger_rows(request)
    access = access_for(request.user)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "rows": page.object_list,
        "page": page,
        "columns": COLUMNS,
        "chosen": chosen,
        "units": access.units().order_by("path"),
        "states": [(forms.UNCLOSED, "未销号"), *ItemState.choices],
        "is_office": access.is_reviewer,
        "query": params.urlencode(),
        "offices": access.offices() if access.is_reviewer else [],
    }
    return render(request, "rectification/ledger.html", context)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    rows, _ = _ledger_rows(request)
    response = HttpResponse(
        write_sheet(SHEET, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"整改台账_{timezone.localdate().isoformat()}.xlsx"
    )
    return response


# -- one item ---------------------------------------------------------------------------


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.get_item(request.user, pk)
    access = access_for(request.user)
    (shown,) = services.with_due([found], timezone.localdate())
    context = {
        "item": shown,
        "evidence": list(found.evidence.select_related("uploaded_by")),
        "is_unit": access.can_report(found.unit),
        "is_office": access.can_review(found.unit),
        "states": ItemState,
    }
    return render(request, "rectification/item.html", context)


def _act(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    found = services.get_item(request.user, pk)
    try:
        act(found)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("rectification:item", pk=found.pk)


def _invalid(request: HttpRequest, pk: int, form: Any) -> HttpResponse:
    services.get_item(request.user, pk)
    messages.error(request, forms.errors_text(form))
    return redirect("rectification:item", pk=pk)


@login_required
@require_POST
def upload_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, pk, form)
    upload = form.cleaned_data["file"]
    if upload.size > settings.UPLOAD_MAX_BYTES:
        services.get_item(request.user, pk)
        messages.error(request, "文件超过大小限制。")
        return redirect("rectification:item", pk=pk)
    return _act(
        request,
        pk,
        lambda i: services.add_evidence(request.user, i, upload.name, upload.read()),
        "佐证材料已上传。",
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _act(
        request,
        pk,
        lambda i: services.submit(request.user, i, form.cleaned_data["measures"]),
        "已提交，等待审查机关核验。",
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda i: services.close(request.user, i), "已销号。")


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _act(
        request,
        pk,
        lambda i: services.send_back(request.user, i, form.cleaned_data["reason"]),
        "已退回责任单位继续整改。",
    )


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.EscalateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, form)
    return _act(
        request,
        pk,
        lambda i: services.escalate(request.user, i, form.cleaned_data["reason"]),
        "已更新挂牌督办。",
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    return services.download_evidence(request.user, pk)


# -- raising items -------------------------------------------------------------------------


@login_required
@require_POST
def raise_from_finding(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    version = get_object_or_404(ReportVersion.objects.select_related("obligation"), pk=pk)
    if not access_for(request.user).can_review(version.obligation.unit):
        raise Http404("报告不存在或无权访问。")
    back = reverse("review:report", args=[version.obligation_id]) + f"#card-{index}"
    form = forms.ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.errors_text(form))
        return redirect(back)
    try:
        raised = services.raise_from_finding(request.user, version, index, **form.item_fields())
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"已列入{version.obligation.unit.name}的整改事项。")
    return redirect("rectification:item", pk=raised.pk)


def _office(request: HttpRequest, raw: Any) -> Unit:
    offices = access_for(request.user).offices()
    try:
        return offices.get(pk=int(raw))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise Http404("单位不存在或无权访问。") from None


@login_required
def inspections(request: HttpRequest) -> HttpResponse:
    """The office's 督察 records, and a form to record one."""
    access = access_for(request.user)
    if not access.is_reviewer:
        raise PermissionDenied("只有审查机关可以记录督察。")
    units = access.reviewable_units().order_by("path")
    form = forms.InspectionForm(request.POST or None, units=units)
    if request.method == "POST":
        office = _office(request, request.POST.get("office") or access.offices().first().pk)
        if form.is_valid():
            d = form.cleaned_data
            chosen = list(units.filter(pk__in=d["units"]))
            try:
                recorded = services.record_inspection(
                    request.user, office, held_on=d["held_on"], team=d["team"], units=chosen
                )
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "督察已记录，请逐项登记发现的问题。")
                return redirect("rectification:inspection", pk=recorded.pk)
        else:
            messages.error(request, forms.errors_text(form))
        return redirect("rectification:inspections")
    context = {
        "inspections": services.access_inspections(request.user).prefetch_related("units"),
        "form": form,
        "offices": access.offices(),
    }
    return render(request, "rectification/inspections.html", context)


@login_required
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """One 督察 and its problems; a POST registers one more problem as an item."""
    found = services.get_inspection(request.user, pk)
    inspected = list(found.units.order_by("path"))
    if request.method == "POST":
        form = forms.UnitItemForm(request.POST)
        if form.is_valid():
            unit = next((u for u in inspected if u.pk == form.cleaned_data["unit"]), None)
            if unit is None:
                raise Http404("单位不存在或无权访问。")
            try:
                services.raise_from_inspection(request.user, found, unit, **form.item_fields())
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已列入{unit.name}的整改事项。")
        else:
            messages.error(request, forms.errors_text(form))
        return redirect("rectification:inspection", pk=found.pk)
    items = services.with_due(found.items.select_related("unit"), timezone.localdate())
    context = {"inspection": found, "units": inspected, "items": items}
    return render(request, "rectification/inspection.html", context)


def _notice_problems(request: HttpRequest, cycle: ReportingYear) -> list[tuple[Unit, str]]:
    """The problems the 通报 on `cycle` lists, each with the unit it names."""
    access = access_for(request.user)
    today = timezone.localdate()
    summary = review_services.notice_summary(access, cycle, today)
    quality = review_services.notice_quality(access, cycle)
    # The 通报 names units; within one office's reach a name is one unit.
    by_name = {
        u.name: u for u in access.reviewable_units().filter(path__startswith=cycle.office.path)
    }
    year = cycle.year
    listed: list[tuple[str, str]] = []
    listed += [(e.unit, f"{year}年度法治政府建设年度报告逾期报送") for e in summary.late]
    listed += [(e.unit, f"{year}年度法治政府建设年度报告逾期未报送") for e in summary.missing]
    listed += [(e.unit, f"{year}年度法治政府建设年度报告被退回修改") for e in summary.returned]
    listed += [
        (unit, f"{year}年度报告缺少法定内容：{'、'.join(f'“{p}”' for p in parts)}")
        for unit, parts in quality.missing_parts
    ]
    listed += [
        (unit, f"{year}年度报告尚有{count}处未处理的错误问题")
        for unit, count in quality.open_errors
    ]
    for copy in quality.copies:
        for unit in copy.units:
            others = "、".join(u for u in copy.units if u != unit)
            listed.append((unit, f"{year}年度报告与{others}的报告存在雷同段落“{copy.snippet}”"))
    return [(by_name[name], problem) for name, problem in listed if name in by_name]


@login_required
def notice(request: HttpRequest, office: int, year: int) -> HttpResponse:
    """The problems the 通报 lists; the office ticks one into an item (POST)."""
    office_unit = _office(request, office)
    cycle = get_object_or_404(ReportingYear, office=office_unit, year=year)
    problems = _notice_problems(request, cycle)
    if request.method == "POST":
        form = forms.UnitItemForm(request.POST)
        if form.is_valid():
            unit = next((u for u, _ in problems if u.pk == form.cleaned_data["unit"]), None)
            if unit is None:
                raise Http404("单位不存在或无权访问。")
            try:
                raised = services.raise_from_notice(request.user, cycle, unit, **form.item_fields())
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已列入{unit.name}的整改事项。")
                return redirect("rectification:item", pk=raised.pk)
        else:
            messages.error(request, forms.errors_text(form))
        return redirect("rectification:notice", office=office_unit.pk, year=year)
    raised = set(Item.objects.filter(notice_cycle=cycle).values_list("unit_id", "problem"))
    rows = [{"unit": u, "problem": p, "raised": (u.pk, p) in raised} for u, p in problems]
    context = {
        "office": office_unit,
        "cycle": cycle,
        "rows": rows,
        "default_days": DEFAULT_LIMIT_DAYS,
    }
    return render(request, "rectification/notice.html", context)
