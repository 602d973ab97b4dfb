"""The reviewer's screens: the submission board and the notice (one report: report_views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, ReportingYear, State
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import notice as notice_doc
from fazhi_web.review import services
from fazhi_web.review.forms import (
    BoardFilterForm,
    ExtendForm,
    OpenYearForm,
    errors_text,
)
from fazhi_web.review.models import Comment, FindingDecision
from fazhi_web.units.access import access_for, get_obligation
from fazhi_web.units.models import Level, Unit

OPEN_STATES = (State.PENDING, State.RETURNED)
# A page of the board renders in well under a second; counts cover the whole year.
BOARD_PAGE_SIZE = 100


# -- the board ------------------------------------------------------------

# What the board and the notice read of an obligation: never the report itself.
OBLIGATION_FIELDS = (
    "id",
    "state",
    "deadline",
    "extended_to",
    "extension_reason",
    "submitted_at",
    "reporting_year_id",
    "unit__id",
    "unit__name",
    "unit__level",
    "unit__path",
)


def _office(offices: QuerySet[Unit], raw: Any) -> Unit:
    """The office asked for, or the first one; anything out of reach is a 404."""
    if raw in (None, ""):
        office = offices.first()
    else:
        try:
            office = offices.filter(pk=int(raw)).first()
        except (TypeError, ValueError):
            office = None
    if office is None:
        raise Http404("单位不存在或无权访问。")
    return office


@login_required
def board(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    office = _office(access.offices(), request.GET.get("office"))
    offices = list(access.offices())
    years = list(ReportingYear.objects.filter(office=office).order_by("-year"))
    cycle = years[0] if years else None
    asked_year = request.GET.get("year", "")[:4]
    if asked_year.isdigit():
        cycle = next((y for y in years if str(y.year) == asked_year), None)
        if cycle is None:
            messages.info(request, f"{office.name}尚未开启{asked_year}年度报告。")
            cycle = years[0] if years else None

    today = timezone.localdate()
    filters = BoardFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    context: dict[str, Any] = {
        "office": office,
        "offices": offices,
        "years": years,
        "cycle": cycle,
        "today": today,
        "open_form": OpenYearForm(initial={"office": office.pk, "year": today.year - 1}),
        "states": State.choices,
        "levels": Level.choices,
        "chosen": chosen,
    }
    if cycle is not None:
        context.update(_board_rows(access, cycle, today, chosen, request.GET.get("page")))
    return render(request, "review/board.html", context)


def _board_rows(
    access: Any, cycle: ReportingYear, today: Any, chosen: dict[str, Any], page_number: Any
) -> dict:
    """The counts and one page of rows, in a fixed number of queries however many units."""
    base = (
        Obligation.objects.filter(reporting_year=cycle)
        .filter(access.unit_filter("unit__"))
        .annotate(effective=Coalesce("extended_to", "deadline"))
    )
    overdue_q = Q(state__in=OPEN_STATES, effective__lt=today)
    counts = base.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=overdue_q),
        **{s: Count("id", filter=Q(state=s)) for s in State.values},
    )
    rows = base
    if chosen.get("state"):
        rows = rows.filter(state=chosen["state"])
    if chosen.get("level"):
        rows = rows.filter(unit__level=chosen["level"])
    if chosen.get("overdue"):
        rows = rows.filter(overdue_q)
    # The analysis holds the whole text again; only its findings list is fetched.
    rows = (
        rows.select_related("unit", "current_version")
        .only(
            *OBLIGATION_FIELDS,
            "unit__hidden_reason",
            "current_version__id",
            "current_version__number",
            "current_version__score",
        )
        .annotate(findings=KeyTransform("findings", F("current_version__analysis")))
        .order_by("unit__path")
    )
    page = Paginator(rows, BOARD_PAGE_SIZE).get_page(page_number)
    obligations = list(page.object_list)
    decided: dict[int, set[int]] = {}
    for version_id, index in FindingDecision.objects.filter(
        version_id__in=[ob.current_version_id for ob in obligations if ob.current_version_id]
    ).values_list("version_id", "finding_index"):
        decided.setdefault(version_id, set()).add(index)
    for ob in obligations:
        ob.overdue = ob.is_overdue(today)
        ob.late = ob.was_late()
        ob.open_errors = None
        if ob.current_version_id is not None:
            done = decided.get(ob.current_version_id, set())
            ob.open_errors = sum(
                1
                for i, f in enumerate(ob.findings or [])
                if f.get("severity") == "error" and i not in done
            )
    cards = [{"state": s, "label": label, "count": counts[s]} for s, label in State.choices]
    return {"obligations": obligations, "page": page, "counts": counts, "cards": cards}


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _board_url(office_pk: int, year: int) -> str:
    return f"{reverse('review:board')}?office={office_pk}&year={year}"


@login_required
@require_POST
def open_year(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    office = _office(access.offices(), request.POST.get("office") or "-")
    form = OpenYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(f"{reverse('review:board')}?office={office.pk}")
    year = form.cleaned_data["year"]
    try:
        cycle = report_services.open_year(request.user, office, year)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已开启{year}年度报告，共{cycle.obligations.count()}个单位应报送。"
        )
    return redirect(_board_url(office.pk, year))


@login_required
@require_POST
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    form = ExtendForm(request.POST)
    if form.is_valid():
        until = form.cleaned_data["until"]
        try:
            report_services.grant_extension(
                request.user, obligation, until, form.cleaned_data["reason"]
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"已同意{obligation.unit.name}延期至{until.year}年{until.month}月{until.day}日。",
            )
    else:
        messages.error(request, errors_text(form))
    return _back(request, _board_url(obligation.reporting_year.office_id, obligation.year))


# -- the notice -----------------------------------------------------------


@login_required
def notice(request: HttpRequest, office: int, year: int) -> HttpResponse:
    access = access_for(request.user)
    office_unit = get_object_or_404(access.offices(), pk=office)
    cycle = get_object_or_404(ReportingYear, office=office_unit, year=year)
    obligations = list(
        Obligation.objects.filter(reporting_year=cycle)
        .filter(access.unit_filter("unit__"))
        .select_related("unit")
        .only(*OBLIGATION_FIELDS)
        .order_by("unit__path")
    )
    returned_at = dict(
        Comment.objects.filter(obligation__reporting_year=cycle, kind=Comment.Kind.RETURN)
        .values("obligation_id")
        .annotate(last=Max("created_at"))
        .values_list("obligation_id", "last")
    )
    today = timezone.localdate()
    summary = notice_doc.summarize(obligations, today, returned_at)
    levels = {o.unit.level for o in obligations}
    content = notice_doc.build(office_unit.name, year, summary, today, levels)
    services.notice_generated(request.user, cycle, summary.counts())
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{office_unit.name}{year}年度报告报送情况通报.docx"
    )
    return response
