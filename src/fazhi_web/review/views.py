"""The reviewer's screens: the submission board and the notice (one report: report_views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
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
    BOARD_ORDERS,
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
    under = _under(office, chosen.get("under"))
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
        "orders": BOARD_ORDERS,
        "chosen": chosen,
        "under": under,
        "tree": _tree_choices(office, under),
    }
    if cycle is not None:
        context.update(_board_rows(access, cycle, today, chosen, under, request.GET.get("page")))
    return render(request, "review/board.html", context)


# -- the board's filters and order: each a small function, so that columns
# and filters added later touch one place each.


def _under(office: Unit, pk: int | None) -> Unit | None:
    """The unit of the office's tree the board is narrowed to; None for the whole office.

    Anything outside the office's tree is a 404, as any other unit out of reach.
    """
    if pk is None or pk == office.pk:
        return None
    unit = office.descendants().filter(pk=pk).first()
    if unit is None:
        raise Http404("单位不存在或无权访问。")
    return unit


def _tree_choices(office: Unit, under: Unit | None) -> list[dict[str, Any]]:
    """The 范围 picker: the office, the way down to the chosen unit, and the units below it.

    One step of the 市 → 县 → 镇 tree at a time, so that it stays short however
    many units the office has: choosing a unit offers its own children next.
    """
    here = under or office
    way_down = [office]
    if under is not None:
        ids = [int(part) for part in under.path.strip("/").split("/")]
        between = ids[ids.index(office.pk) + 1 :]
        units = Unit.objects.filter(pk__in=between).in_bulk()
        way_down += [units[pk] for pk in between if pk in units]
    below = here.children.filter(hidden_reason="").order_by("path")
    # Indented with full-width spaces: a <select> shows no other markup.
    options = [
        {"pk": u.pk, "label": "　" * depth + u.name, "selected": u.pk == here.pk}
        for depth, u in enumerate(way_down)
    ]
    options[0]["label"] += "（全部）"
    options += [
        {"pk": u.pk, "label": "　" * len(way_down) + u.name, "selected": False} for u in below
    ]
    return options


def _unit_filters(
    rows: QuerySet[Obligation], chosen: dict[str, Any]
) -> tuple[QuerySet[Obligation], bool]:
    """The filters on the unit itself, and whether any applied: they join the units,
    so the rows they leave are counted on their own."""
    joins_units = False
    if chosen.get("level"):
        rows = rows.filter(unit__level=chosen["level"])
        joins_units = True
    if chosen.get("q"):
        rows = rows.filter(unit__name__contains=chosen["q"])
        joins_units = True
    return rows, joins_units


def _in_order(rows: QuerySet[Obligation], order: str) -> QuerySet[Obligation]:
    """The work queue by default: 已报送 (待审) first, the longest waiting first; then
    退回修改; then the rest. Within a group, and with order "tree", the hierarchy."""
    hierarchy = ("unit_path", "pk")
    if order == "tree":
        return rows.order_by(*hierarchy)
    group = Case(
        When(state=State.SUBMITTED, then=Value(0)),
        When(state=State.RETURNED, then=Value(1)),
        default=Value(2),
    )
    waiting_since = Case(When(state=State.SUBMITTED, then=F("submitted_at")), default=None)
    return rows.order_by(group, waiting_since.asc(nulls_last=True), *hierarchy)


def _board_rows(
    access: Any,
    cycle: ReportingYear,
    today: Any,
    chosen: dict[str, Any],
    under: Unit | None,
    page_number: Any,
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
    if under is not None:
        # The chosen unit and everything below it: a prefix of the copied path.
        shown &= Q(unit_path__startswith=under.path)
    # One pass over the year's obligations counts the cards and the rows shown.
    counts = base.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=overdue_q),
        shown=Count("id", filter=shown) if shown else Count("id"),
        **{s: Count("id", filter=Q(state=s)) for s in State.values},
    )
    shown_rows, joins_units = _unit_filters(base.filter(shown), chosen)
    if joins_units:
        counts["shown"] = shown_rows.count()
    # The page's ids come first; only the page's rows are read, joined, and
    # their findings parsed.
    paginator = Paginator(
        _in_order(shown_rows, chosen.get("order", "")).values_list("pk", flat=True),
        BOARD_PAGE_SIZE,
    )
    paginator.count = counts["shown"]
    page = paginator.get_page(page_number)
    ids = list(page.object_list)
    # The analysis holds the whole text again; only its findings list is fetched.
    rows = (
        Obligation.objects.filter(pk__in=ids)
        .select_related("unit", "current_version")
        .only(
            *OBLIGATION_FIELDS,
            "unit__hidden_reason",
            "current_version__id",
            "current_version__number",
            "current_version__score",
        )
        .annotate(findings=KeyTransform("findings", F("current_version__analysis")))
    )
    position = {pk: i for i, pk in enumerate(ids)}
    obligations = sorted(rows, key=lambda ob: position[ob.pk])
    _annotate_rows(obligations, today)
    cards = [{"state": s, "label": label, "count": counts[s]} for s, label in State.choices]
    return {"obligations": obligations, "page": page, "counts": counts, "cards": cards}


def _annotate_rows(obligations: list[Obligation], today: Any) -> None:
    """What each row shows beside the obligation: reminders, deadlines, open errors."""
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
        # Nothing handed in yet: nothing to review.
        ob.reviewable = ob.submitted_at is not None
        ob.open_errors = None
        if ob.current_version_id is not None:
            done = decided.get(ob.current_version_id, set())
            ob.open_errors = sum(
                1
                for i, f in enumerate(ob.findings or [])
                if f.get("severity") == "error" and i not in done
            )


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
