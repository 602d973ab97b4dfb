"""The reviewer's screens: the submission board and the notice (one report: report_views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q, QuerySet
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fazhi_web.rectification import services as rectification
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, Reminder, ReportingYear, State
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import notice as notice_doc
from fazhi_web.review import services
from fazhi_web.review.forms import (
    BoardFilterForm,
    ExtendForm,
    NoticeForm,
    OpenYearForm,
    errors_text,
)
from fazhi_web.review.models import FindingDecision, NoticeHeading
from fazhi_web.units.access import access_for, get_obligation
from fazhi_web.units.models import Level, Unit

OPEN_STATES = report_services.OPEN_STATES
# A page a reviewer can read through; the counts above it cover the whole year.
BOARD_PAGE_SIZE = 50


# -- the board ------------------------------------------------------------

OBLIGATION_FIELDS = services.OBLIGATION_FIELDS


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
        "open_form": OpenYearForm(
            initial={"office": office.pk, "year": report_services.year_to_open(office, today)}
        ),
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
        .filter(access.obligation_filter())
        .annotate(effective=Coalesce("extended_to", "deadline"))
    )
    overdue_q = Q(state__in=OPEN_STATES, effective__lt=today)
    shown = Q()
    if chosen.get("state"):
        shown &= Q(state=chosen["state"])
    if chosen.get("overdue"):
        shown &= overdue_q
    # One pass over the year's obligations counts the cards and the rows shown.
    counts = base.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=overdue_q),
        shown=Count("id", filter=shown) if shown else Count("id"),
        **{s: Count("id", filter=Q(state=s)) for s in State.values},
    )
    shown_rows = base.filter(shown)
    if chosen.get("level"):
        # The level is the unit's: only this filter joins the units.
        shown_rows = shown_rows.filter(unit__level=chosen["level"])
        counts["shown"] = shown_rows.count()
    # The page's ids come from one index; only the page's rows are read,
    # joined, and their findings parsed.
    paginator = Paginator(
        shown_rows.order_by("unit_path", "pk").values_list("pk", flat=True), BOARD_PAGE_SIZE
    )
    paginator.count = counts["shown"]
    page = paginator.get_page(page_number)
    # The analysis holds the whole text again; only its findings list is fetched.
    rows = (
        Obligation.objects.filter(pk__in=list(page.object_list))
        .select_related("unit", "current_version")
        .only(
            *OBLIGATION_FIELDS,
            "unit__hidden_reason",
            "current_version__id",
            "current_version__number",
            "current_version__score",
        )
        .annotate(findings=KeyTransform("findings", F("current_version__analysis")))
        .order_by("unit_path", "pk")
    )
    obligations = list(rows)
    decided: dict[int, set[int]] = {}
    for version_id, index in FindingDecision.objects.filter(
        version_id__in=[ob.current_version_id for ob in obligations if ob.current_version_id]
    ).values_list("version_id", "finding_index"):
        decided.setdefault(version_id, set()).add(index)
    reminders = dict(
        Reminder.objects.filter(obligation__in=obligations)
        .values("obligation_id")
        .annotate(n=Count("id"))
        .values_list("obligation_id", "n")
    )
    rectifying = rectification.open_counts([ob.unit_id for ob in obligations], today)
    for ob in obligations:
        ob.rectification = rectifying.get(ob.unit_id)
        ob.reminders_sent = reminders.get(ob.pk, 0)
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


BATCH_MAX = BOARD_PAGE_SIZE


@login_required
@require_POST
def batch(request: HttpRequest) -> HttpResponse:
    """催报 or 延期 for the rows ticked on the board; one unit out of reach makes it a 404."""
    raw = request.POST.getlist("ids")
    if not all(value.isdigit() for value in raw) or len(raw) > BATCH_MAX:
        raise Http404("单位不存在或无权访问。")
    obligations = [get_obligation(request.user, int(pk), "review") for pk in dict.fromkeys(raw)]
    fallback = reverse("review:board")
    if not obligations:
        messages.error(request, "请先勾选要处理的单位。")
        return _back(request, fallback)
    fallback = _board_url(obligations[0].reporting_year.office_id, obligations[0].year)
    action = request.POST.get("action")
    if action == "remind":
        try:
            reminded = report_services.send_reminders(request.user, obligations)
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            skipped = len(obligations) - len(reminded)
            text = f"已向{len(reminded)}个单位催报。"
            if skipped:
                text += f"另有{skipped}个单位已报送，未催报。"
            messages.success(request, text)
    elif action == "extend":
        form = ExtendForm(request.POST)
        if not form.is_valid():
            messages.error(request, errors_text(form))
            return _back(request, fallback)
        until, reason = form.cleaned_data["until"], form.cleaned_data["reason"]
        granted, refused = [], []
        for ob in obligations:
            if ob.state not in OPEN_STATES:
                refused.append(f"{ob.unit.name}：报告已报送，无需延期")
                continue
            try:
                report_services.grant_extension(request.user, ob, until, reason)
            except ActionRefused as exc:
                refused.append(f"{ob.unit.name}：{exc}")
            else:
                granted.append(ob.unit.name)
        if granted:
            messages.success(
                request,
                f"已同意{len(granted)}个单位延期至{until.year}年{until.month}月{until.day}日。",
            )
        if refused:
            messages.error(request, "；".join(refused))
    else:
        messages.error(request, "请选择催报或延期。")
    return _back(request, fallback)


# -- the notice -----------------------------------------------------------


@login_required
def notice(request: HttpRequest, office: int, year: int) -> HttpResponse:
    """The 发文机关 and 文号 to check (GET), then the 通报 as a Word file (POST)."""
    access = access_for(request.user)
    office_unit = get_object_or_404(access.offices(), pk=office)
    cycle = get_object_or_404(ReportingYear, office=office_unit, year=year)
    today = timezone.localdate()
    summary = services.notice_summary(access, cycle, today)
    heading = NoticeHeading.objects.filter(reporting_year=cycle).first()
    initial = {
        "issuer": heading.issuer if heading else notice_doc.default_issuer(office_unit),
        "number": heading.number if heading else notice_doc.default_number(office_unit, year),
    }
    form = NoticeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        summary.quality = services.notice_quality(access, cycle)
        summary.rectification = rectification.notice_rows(request.user, office_unit, today)
        issuer, number = form.cleaned_data["issuer"], form.cleaned_data["number"]
        try:
            heading = services.issue_notice(request.user, cycle, issuer, number, summary.counts())
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            content = notice_doc.build(heading.issuer, heading.number, year, summary, today)
            response = HttpResponse(
                content,
                content_type=(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                ),
            )
            response["Content-Disposition"] = content_disposition_header(
                True, f"{office_unit.name}{year}年度报告报送情况通报.docx"
            )
            return response
    context = {"office": office_unit, "cycle": cycle, "form": form, "counts": summary.counts()}
    return render(request, "review/notice.html", context, status=400 if form.errors else 200)
