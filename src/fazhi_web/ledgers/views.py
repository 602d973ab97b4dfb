"""The ledgers' pages for the units that keep them and the offices that read them.

Every read goes through `services.readable` / `get_record` (built on units.access);
every write through a service function, which writes the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.clocks import ClockState
from fazhi_web.ledgers import checks, deadlines, figures, importing, lifecycle, services
from fazhi_web.ledgers.forms import (
    AnnounceForm,
    AnswerForm,
    CalendarDayForm,
    CatalogueForm,
    CleanupForm,
    CleanupItemForm,
    CleanupPublishForm,
    ConsultationForm,
    HideForm,
    ProcedureForm,
    SummaryForm,
    UploadForm,
    cleaned_values,
    event_form,
)
from fazhi_web.ledgers.models import (
    PROCEDURES,
    CalendarDay,
    CalendarYear,
    Cleanup,
    Consultation,
    DecisionCatalogue,
    DisclosureRequest,
    ImportBatch,
    MajorDecision,
    NormativeDocument,
    PublicComment,
)
from fazhi_web.ledgers.sheets import (
    LEDGERS,
    MAX_BYTES,
    SheetError,
    auto_mapping,
    read_sheet,
    write_sheet,
)
from fazhi_web.reports.services import ActionRefused
from fazhi_web.units.access import access_for, get_unit
from fazhi_web.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE = 50
MODELS = {"documents": NormativeDocument, "decisions": MajorDecision, "requests": DisclosureRequest}
DETAIL = {
    NormativeDocument: "ledgers:document",
    MajorDecision: "ledgers:decision",
    DisclosureRequest: "ledgers:request",
}


def _year(raw: Any) -> int | None:
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _chosen_unit(request: HttpRequest) -> Unit | None:
    raw = request.GET.get("unit") or request.POST.get("unit")
    return get_unit(request.user, raw, "view") if raw else None


def _ledger_user(request: HttpRequest) -> None:
    access = access_for(request.user)
    if not (access.is_reporter or access.is_reviewer):
        raise PermissionDenied


def _records(request: HttpRequest, model: type[Any]) -> tuple[QuerySet[Any], dict[str, Any]]:
    """The list's records after the filters in the query string, and the filters chosen."""
    qs = services.readable(request.user, model)
    unit = _chosen_unit(request)
    year = _year(request.GET.get("year"))
    figure = request.GET.get("figure", "")
    below = bool(request.GET.get("below"))
    if figure in figures.INDICATORS and unit is not None and year is not None:
        qs = qs.filter(pk__in=figures.records(figure, unit, year, below=below).values("pk"))
    else:
        figure = ""
        if unit is not None:
            qs = qs.filter(unit=unit)
    if not request.GET.get("hidden"):
        qs = qs.filter(hidden_reason="")
    q = request.GET.get("q", "").strip()[:100]
    chosen = {
        "unit": unit,
        "year": year,
        "figure": figure,
        "q": q,
        "hidden": bool(request.GET.get("hidden")),
    }
    if figure:
        chosen["figure_label"] = figures.indicator_label(figure)
    return qs, chosen


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Any:
    return Paginator(qs, PAGE).get_page(request.GET.get("page"))


def _refused(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


def _list_context(request: HttpRequest, chosen: dict[str, Any]) -> dict[str, Any]:
    return {
        "chosen": chosen,
        "units": services.ledger_units(request.user).order_by("path"),
        "editable": services.editable_units(request.user),
        "query": request.GET.urlencode(),
    }


# -- dashboard ---------------------------------------------------------------------------


def _open_clocks(user: Any, units: QuerySet[Unit], today: dt.date) -> list[deadlines.Clock]:
    calendars = deadlines.Calendars()
    unit_ids = units.values("pk")
    documents = services.readable(user, NormativeDocument).filter(
        Q(unit__in=unit_ids) | Q(filing_unit__in=unit_ids),
        Q(review_submitted_on__isnull=False, reviewed_on__isnull=True)
        | Q(published_on__isnull=False, filed_on__isnull=True)
        | Q(filed_on__isnull=False, filing_result_on__isnull=True)
        | Q(filing_result="deferred")
        | Q(effective_on__lte=today - dt.timedelta(days=540), ended=""),
        hidden_reason="",
    )
    requests = services.readable(user, DisclosureRequest).filter(
        unit__in=unit_ids, replied_on__isnull=True, hidden_reason=""
    )
    out: list[deadlines.Clock] = []
    for doc in documents.select_related("review_unit", "filing_unit"):
        # Past its validity a document has lapsed: its evaluation is no longer a task.
        out += [
            c
            for c in deadlines.document_clocks(doc, calendars, open_only=True)
            if c.done_on is None and not (c.soon_from and c.due and c.due < today)
        ]
    for req in requests:
        out += [c for c in deadlines.request_clocks(req, calendars) if c.done_on is None]
    return out


def _year_counts(units: QuerySet[Unit], year: int) -> dict[str, int]:
    docs = NormativeDocument.objects.filter(unit__in=units.values("pk"), hidden_reason="")
    decisions = MajorDecision.objects.filter(unit__in=units.values("pk"), hidden_reason="")
    requests = DisclosureRequest.objects.filter(unit__in=units.values("pk"), hidden_reason="")
    return {
        "documents_published": docs.filter(published_on__year=year).count(),
        "documents_filed": docs.filter(filed_on__year=year).count(),
        "decisions_listed": decisions.filter(year=year).count(),
        "decisions_decided": decisions.filter(decided_on__year=year).count(),
        "requests_received": requests.filter(figures.received_in(year)).count(),
        "requests_replied": requests.filter(replied_on__year=year).count(),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    today = services.today()
    access = access_for(request.user)
    unit = _chosen_unit(request)
    if unit is not None:
        units = Unit.objects.filter(pk=unit.pk)
        scope = unit.name
    elif access.is_reporter and not access.is_reviewer:
        units = Unit.objects.filter(pk__in=access.reporter_unit_ids)
        scope = "本单位"
    else:
        units = services.ledger_units(request.user)
        scope = "本办及下级单位"
    clocks = _open_clocks(request.user, units, today)
    states = [(c, c.state(today)) for c in clocks]
    overdue = sorted(
        (c for c, s in states if s == ClockState.OVERDUE), key=lambda c: c.due or today
    )
    soon = sorted((c for c, s in states if s == ClockState.DUE_SOON), key=lambda c: c.due or today)
    year = _year(request.GET.get("year")) or today.year
    per_unit = []
    if unit is None and access.is_reviewer:
        by_unit: dict[int, dict[str, int]] = {}
        for c, s in states:
            row = by_unit.setdefault(c.record.unit_id, {"overdue": 0, "soon": 0})
            if s == ClockState.OVERDUE:
                row["overdue"] += 1
            elif s == ClockState.DUE_SOON:
                row["soon"] += 1
        names = dict(Unit.objects.filter(pk__in=by_unit).values_list("pk", "name"))
        per_unit = sorted(
            (
                {"unit_id": pk, "name": names.get(pk, ""), **row}
                for pk, row in by_unit.items()
                if row["overdue"] or row["soon"]
            ),
            key=lambda r: (-r["overdue"], -r["soon"], r["name"]),
        )
    return render(
        request,
        "ledgers/dashboard.html",
        {
            "scope": scope,
            "unit": unit,
            "units": services.ledger_units(request.user).order_by("path"),
            "overdue": [_clock_row(c, today) for c in overdue],
            "soon": [_clock_row(c, today) for c in soon],
            "year": year,
            "counts": _year_counts(units, year),
            "per_unit": per_unit,
            "today": today,
        },
    )


def _clock_row(clock: deadlines.Clock, today: dt.date) -> dict[str, Any]:
    record = clock.record
    remaining = clock.deadline.remaining_working_days(today) if clock.deadline else None
    return {
        "clock": clock,
        "record": record,
        "url": reverse(DETAIL[type(record)], args=[record.pk]),
        "kind": {NormativeDocument: "规范性文件", DisclosureRequest: "依申请公开"}.get(
            type(record), ""
        ),
        "remaining": remaining,
        "days_late": (today - clock.due).days if clock.due and today > clock.due else None,
    }


# -- 规范性文件 ---------------------------------------------------------------------------


@login_required
@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    qs, chosen = _records(request, NormativeDocument)
    if chosen["year"] and not chosen["figure"]:
        qs = qs.filter(Q(published_on__year=chosen["year"]) | Q(published_on__isnull=True))
    if chosen["q"]:
        qs = qs.filter(Q(title__icontains=chosen["q"]) | Q(doc_number__icontains=chosen["q"]))
    page = _page(request, qs.select_related("filing_unit").order_by("-published_on", "-pk"))
    today = services.today()
    rows = [(d, lifecycle.document_stage(d), lifecycle.document_status(d, today)) for d in page]
    return render(
        request,
        "ledgers/documents.html",
        {
            **_list_context(request, chosen),
            "page": page,
            "rows": rows,
            "ledger": LEDGERS["documents"],
        },
    )


def _new(
    request: HttpRequest, model: type[Any], fields: tuple[str, ...], template_title: str
) -> HttpResponse:
    _ledger_user(request)
    editable = services.editable_units(request.user)
    if not editable:
        raise PermissionDenied
    form = event_form(model, fields, data=request.POST or None)
    unit_id = request.POST.get("unit") or request.GET.get("unit") or editable[0].pk
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in editable if str(u.pk) == str(unit_id)), None)
        if unit is None:
            raise Http404("单位不存在或无权访问。")
        try:
            obj = services.create(request.user, model, unit, cleaned_values(form))
        except ActionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已登记“{obj}”。")
            return redirect(DETAIL[model], obj.pk)
    return render(
        request,
        "ledgers/form.html",
        {"title": template_title, "form": form, "editable": editable, "unit_id": str(unit_id)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    return _new(request, NormativeDocument, ("title", "doc_number", "drafted_on"), "登记规范性文件")


def _events_for(user: Any, obj: Any) -> list[tuple[str, services.Event]]:
    _, events = services.EVENTS[type(obj)]
    if obj.is_hidden:
        return []
    return [
        (name, e)
        for name, e in events.items()
        if (not e.after or getattr(obj, e.after)) and services.may_apply(user, obj, e)
    ]


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    doc = services.get_record(request.user, NormativeDocument, pk)
    today = services.today()
    clocks = deadlines.document_clocks(doc, deadlines.Calendars())
    return render(
        request,
        "ledgers/document.html",
        {
            "doc": doc,
            "stage": lifecycle.document_stage(doc),
            "status": lifecycle.document_status(doc, today),
            "history": lifecycle.document_history(doc),
            "clocks": [(c, c.state(today)) for c in clocks],
            "expires_on": deadlines.expires_on(doc),
            "events": _events_for(request.user, doc),
            "can_edit": services.can_edit(request.user, doc.unit) and not doc.is_hidden,
            "hide_form": HideForm(),
            "cleanups": doc.cleanup_items.select_related("cleanup"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_event(request: HttpRequest, ledger: str, pk: int, event: str) -> HttpResponse:
    _ledger_user(request)
    model = MODELS.get(ledger)
    if model is None:
        raise Http404("没有这种台账。")
    obj = services.get_record(request.user, model, pk)
    _, events = services.EVENTS[model]
    spec = events.get(event)
    if spec is None or not services.may_apply(request.user, obj, spec):
        raise Http404("没有这项操作。")
    form = event_form(model, spec.fields, data=request.POST or None, record=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_event(request.user, obj, event, cleaned_values(form))
        except ActionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已{spec.label}。")
            return redirect(DETAIL[model], obj.pk)
    return render(
        request,
        "ledgers/form.html",
        {"title": f"{spec.label}：{obj}", "form": form, "record": obj, "required": spec.required},
    )


@login_required
@require_POST
def record_hide(request: HttpRequest, ledger: str, pk: int) -> HttpResponse:
    _ledger_user(request)
    model = MODELS.get(ledger)
    if model is None:
        raise Http404("没有这种台账。")
    obj = services.get_record(request.user, model, pk)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused("请填写隐藏原因。")
        services.hide(request.user, obj, form.cleaned_data["reason"])
    except ActionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已隐藏。记录仍保留，可在列表中勾选“显示已隐藏”查看。")
    return redirect(DETAIL[model], obj.pk)


# -- 清理 --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cleanups(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    access = access_for(request.user)
    qs = Cleanup.objects.filter(access.unit_filter("unit__"), hidden_reason="").select_related(
        "unit"
    )
    editable = services.editable_units(request.user)
    form = CleanupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in editable if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise Http404("单位不存在或无权访问。")
        try:
            cleanup = services.create_cleanup(request.user, unit, **form.cleaned_data)
        except ActionRefused as exc:
            _refused(request, exc)
        else:
            return redirect("ledgers:cleanup", cleanup.pk)
    return render(
        request, "ledgers/cleanups.html", {"cleanups": qs, "form": form, "editable": editable}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cleanup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    access = access_for(request.user)
    cleanup = (
        Cleanup.objects.filter(access.unit_filter("unit__"), pk=pk).select_related("unit").first()
    )
    if cleanup is None:
        raise Http404("记录不存在或无权访问。")
    can_edit = services.can_edit(request.user, cleanup.unit) and not cleanup.published_on
    item_form = CleanupItemForm(request.POST if "decide" in request.POST else None)
    in_cleanup = cleanup.items.values("document")
    candidates = NormativeDocument.objects.filter(
        unit=cleanup.unit, hidden_reason="", published_on__isnull=False, ended=""
    ).exclude(pk__in=in_cleanup)
    item_form.fields["document"].queryset = NormativeDocument.objects.filter(
        unit=cleanup.unit, hidden_reason="", published_on__isnull=False
    )
    publish_form = CleanupPublishForm(request.POST if "publish" in request.POST else None)
    if request.method == "POST":
        try:
            if "decide" in request.POST and item_form.is_valid():
                services.decide_cleanup_item(request.user, cleanup, **item_form.cleaned_data)
                return redirect("ledgers:cleanup", cleanup.pk)
            if "publish" in request.POST and publish_form.is_valid():
                services.publish_cleanup(request.user, cleanup, **publish_form.cleaned_data)
                messages.success(request, "清理结果已公布，决定废止、宣布失效的文件已相应更新。")
                return redirect("ledgers:cleanup", cleanup.pk)
        except ActionRefused as exc:
            _refused(request, exc)
    item_form.fields["document"].queryset = candidates
    return render(
        request,
        "ledgers/cleanup.html",
        {
            "cleanup": cleanup,
            "items": cleanup.items.select_related("document"),
            "can_edit": can_edit,
            "item_form": item_form,
            "publish_form": publish_form,
        },
    )


# -- 重大行政决策 -------------------------------------------------------------------------


@login_required
@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    qs, chosen = _records(request, MajorDecision)
    if chosen["year"] and not chosen["figure"]:
        qs = qs.filter(year=chosen["year"])
    if chosen["q"]:
        qs = qs.filter(title__icontains=chosen["q"])
    page = _page(request, qs.prefetch_related("procedures").order_by("-year", "unit__path", "pk"))
    rows = [(d, lifecycle.decision_stage(d, list(d.procedures.all()))) for d in page]
    catalogue = None
    if chosen["unit"] is not None and chosen["year"]:
        catalogue = DecisionCatalogue.objects.filter(
            unit=chosen["unit"], year=chosen["year"]
        ).first()
    return render(
        request,
        "ledgers/decisions.html",
        {
            **_list_context(request, chosen),
            "page": page,
            "rows": rows,
            "catalogue": catalogue,
            "can_publish": chosen["unit"] is not None
            and chosen["year"]
            and services.can_edit(request.user, chosen["unit"]),
            "catalogue_form": CatalogueForm(initial={"on": services.today()}),
        },
    )


@login_required
@require_POST
def catalogue_publish(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    _ledger_user(request)
    unit = get_unit(request.user, unit_pk, "report")
    form = CatalogueForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused("请填写公布日期。")
        services.publish_catalogue(request.user, unit, year, form.cleaned_data["on"])
    except ActionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{year}年度重大行政决策事项目录已在门户公布。")
    return redirect(f"{reverse('ledgers:decisions')}?unit={unit.pk}&year={year}")


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    return _new(
        request, MajorDecision, ("title", "year", "sponsor", "description"), "登记重大行政决策事项"
    )


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    decision = services.get_record(request.user, MajorDecision, pk)
    procedures = {p.kind: p for p in decision.procedures.all()}
    can_edit = services.can_edit(request.user, decision.unit) and not decision.is_hidden
    consultation = Consultation.objects.filter(decision=decision).first()
    comments = list(consultation.comments.all()) if consultation else []
    return render(
        request,
        "ledgers/decision.html",
        {
            "decision": decision,
            "stage": lifecycle.decision_stage(decision, list(procedures.values())),
            "procedures": [(p, procedures.get(p["code"])) for p in PROCEDURES],
            "missing": checks.missing_procedures(procedures.values()),
            "events": _events_for(request.user, decision),
            "can_edit": can_edit,
            "can_record": can_edit and not decision.decided_on,
            "consultation": consultation,
            "consultation_open": consultation is not None
            and services.consultation_open(consultation),
            "comments": comments,
            "hide_form": HideForm(),
            "answer_form": AnswerForm(),
            "summary_form": SummaryForm(initial={"on": services.today()}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_procedure(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    _ledger_user(request)
    decision = services.get_record(request.user, MajorDecision, pk)
    spec = next((p for p in PROCEDURES if p["code"] == kind), None)
    if spec is None:
        raise Http404("没有这项程序。")
    current = decision.procedures.filter(kind=kind).first()
    initial = (
        {
            "done_on": current.done_on,
            "summary": current.summary,
            "not_applicable_reason": current.not_applicable_reason,
        }
        if current
        else None
    )
    form = ProcedureForm(request.POST or None, initial=initial)
    if not spec["may_skip"]:
        del form.fields["not_applicable_reason"]
    if request.method == "POST" and form.is_valid():
        try:
            services.record_procedure(request.user, decision, kind, **form.cleaned_data)
        except ActionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已记录“{spec['label']}”。")
            return redirect("ledgers:decision", decision.pk)
    return render(
        request,
        "ledgers/form.html",
        {"title": f"{spec['label']}：{decision}", "form": form, "record": decision},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    decision = services.get_record(request.user, MajorDecision, pk)
    if not services.can_edit(request.user, decision.unit):
        raise Http404("记录不存在或无权访问。")
    current = Consultation.objects.filter(decision=decision).first()
    initial = (
        {f: getattr(current, f) for f in services.CONSULTATION_FIELDS}
        if current
        else {"opens_on": services.today(), "closes_on": services.today() + dt.timedelta(days=30)}
    )
    form = ConsultationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_consultation(request.user, decision, form.cleaned_data)
        except ActionRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, "征求意见稿已在门户公开。")
            return redirect("ledgers:decision", decision.pk)
    return render(
        request,
        "ledgers/form.html",
        {"title": f"公开征求意见：{decision}", "form": form, "record": decision},
    )


def _comment(request: HttpRequest, pk: int) -> PublicComment:
    comment = (
        PublicComment.objects.select_related("consultation__decision__unit").filter(pk=pk).first()
    )
    if comment is None:
        raise Http404("意见不存在或无权访问。")
    services.get_record(request.user, MajorDecision, comment.consultation.decision_id)
    return comment


@login_required
@require_POST
def comment_hide(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    comment = _comment(request, pk)
    form = HideForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused("请填写隐藏原因。")
        services.hide(request.user, comment, form.cleaned_data["reason"])
    except ActionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, "该意见已隐藏，门户上不再显示；原文保留在台账中。")
    return redirect("ledgers:decision", comment.consultation.decision_id)


@login_required
@require_POST
def comment_answer(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    comment = _comment(request, pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused("请选择采纳情况。")
        services.answer_comment(request.user, comment, **form.cleaned_data)
    except ActionRefused as exc:
        _refused(request, exc)
    return redirect("ledgers:decision", comment.consultation.decision_id)


@login_required
@require_POST
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    decision = services.get_record(request.user, MajorDecision, pk)
    consultation = Consultation.objects.filter(decision=decision).first()
    if consultation is None:
        raise Http404("该事项没有公开征求意见。")
    form = SummaryForm(request.POST)
    try:
        if not form.is_valid():
            raise ActionRefused("请填写意见采纳情况说明和公布日期。")
        services.publish_summary(request.user, consultation, **form.cleaned_data)
    except ActionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, "意见采纳情况已在门户公布，公众参与程序已记录。")
    return redirect("ledgers:decision", decision.pk)


# -- 依申请公开 ---------------------------------------------------------------------------


@login_required
@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    qs, chosen = _records(request, DisclosureRequest)
    if chosen["year"] and not chosen["figure"]:
        qs = qs.filter(
            figures.received_in(chosen["year"])
            | Q(confirmed_on__isnull=True, submitted_on__year=chosen["year"])
        )
    if chosen["q"]:
        qs = qs.filter(Q(number__icontains=chosen["q"]) | Q(content__icontains=chosen["q"]))
    today = services.today()
    calendars = deadlines.Calendars()
    overdue_only = bool(request.GET.get("overdue"))
    chosen["overdue"] = overdue_only
    records = list(qs.order_by("-submitted_on", "-pk")) if overdue_only else None
    if records is not None:
        records = [
            r
            for r in records
            if _reply_state(r, calendars, today) in (ClockState.OVERDUE, ClockState.LATE)
        ]
    page = Paginator(
        records if records is not None else qs.order_by("-submitted_on", "-pk"), PAGE
    ).get_page(request.GET.get("page"))
    rows = []
    for req in page:
        clock = deadlines.request_clocks(req, calendars)[0]
        rows.append((req, clock, clock.state(today)))
    return render(
        request,
        "ledgers/requests.html",
        {
            **_list_context(request, chosen),
            "page": page,
            "rows": rows,
            "overdue_count": len(records) if records is not None else None,
        },
    )


def _reply_state(
    req: DisclosureRequest, calendars: deadlines.Calendars, today: dt.date
) -> ClockState:
    return deadlines.request_clocks(req, calendars)[0].state(today)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    return _new(
        request, DisclosureRequest, services.REQUEST_EVENTS["edit"].fields, "登记政府信息公开申请"
    )


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    req = services.get_record(request.user, DisclosureRequest, pk)
    today = services.today()
    clocks = deadlines.request_clocks(req, deadlines.Calendars())
    return render(
        request,
        "ledgers/request.html",
        {
            "req": req,
            "received_on": deadlines.received_on(req),
            "channel_rule": deadlines.DISCLOSURE["channel"][req.channel]["rule"],
            "clocks": [(c, c.state(today)) for c in clocks],
            "events": _events_for(request.user, req),
            "can_edit": services.can_edit(request.user, req.unit) and not req.is_hidden,
            "hide_form": HideForm(),
        },
    )


@login_required
@require_GET
def disclosure_table(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    unit = _chosen_unit(request)
    year = _year(request.GET.get("year")) or services.today().year - 1
    table = figures.disclosure_table(unit, year) if unit is not None else None
    if table is not None and request.GET.get("format") == "xlsx":
        content = _table_xlsx(table)
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"{unit.name}{year}年政府信息公开申请情况.xlsx"
        )
        return response
    return render(
        request,
        "ledgers/disclosure_table.html",
        {
            "table": table,
            "unit": unit,
            "year": year,
            "units": services.ledger_units(request.user).order_by("path"),
        },
    )


def _table_rows(table: dict[str, Any]) -> Iterable[list[Any]]:
    yield ["项目", "", *table["applicants"], "总计"]
    yield [table["new"].group, "", *table["new"].cells]
    yield [table["carried"].group, "", *table["carried"].cells]
    for row in table["outcomes"]:
        yield ["三、本年度办理结果" + row.group, row.item, *row.cells]
    yield ["三、本年度办理结果" + table["handled"].group, "", *table["handled"].cells]
    yield [table["forward"].group, "", *table["forward"].cells]


def _table_xlsx(table: dict[str, Any]) -> bytes:
    from io import BytesIO

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "收到和处理申请情况"
    for row in _table_rows(table):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 40
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- the calendar ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: HttpRequest) -> HttpResponse:
    _ledger_user(request)
    access = access_for(request.user)
    year = _year(request.GET.get("year")) or services.today().year
    form = CalendarDayForm(request.POST if "add" in request.POST else None)
    announce = AnnounceForm(
        request.POST if "announce" in request.POST else None, initial={"year": year}
    )
    if request.method == "POST":
        try:
            if "add" in request.POST and form.is_valid():
                day, moved = services.add_calendar_day(request.user, **form.cleaned_data)
                messages.success(
                    request, f"已新增 {day.date} {day.name}；{moved}项计时中的期限随之重新计算。"
                )
                return redirect(f"{reverse('ledgers:calendar')}?year={day.date.year}")
            if "announce" in request.POST and announce.is_valid():
                services.announce_year(request.user, **announce.cleaned_data)
                messages.success(request, "已标记为已公布。")
                return redirect(
                    f"{reverse('ledgers:calendar')}?year={announce.cleaned_data['year']}"
                )
            if "hide" in request.POST:
                day = CalendarDay.objects.filter(pk=request.POST.get("day")).first()
                if day is None:
                    raise Http404("记录不存在。")
                day, moved = services.hide_calendar_day(
                    request.user, day, request.POST.get("reason", "")
                )
                messages.success(
                    request, f"已撤销 {day.date} {day.name}；{moved}项计时中的期限随之重新计算。"
                )
                return redirect(f"{reverse('ledgers:calendar')}?year={day.date.year}")
        except ActionRefused as exc:
            _refused(request, exc)
    deadlines.ensure_seeded()
    days = CalendarDay.objects.filter(date__year=year).order_by("date", "region")
    return render(
        request,
        "ledgers/calendar.html",
        {
            "year": year,
            "days": days,
            "announced": CalendarYear.objects.filter(year=year).first(),
            "years": list(CalendarYear.objects.values_list("year", flat=True)),
            "form": form,
            "announce_form": announce,
            "can_edit": access.is_admin,
        },
    )


# -- import and export -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, ledger: str) -> HttpResponse:
    _ledger_user(request)
    spec = LEDGERS.get(ledger)
    if spec is None:
        raise Http404("没有这种台账。")
    editable = services.editable_units(request.user)
    if not editable:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in editable if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise Http404("单位不存在或无权访问。")
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_BYTES:
                raise SheetError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB 的大小限制。")
            batch = importing.upload(request.user, ledger, unit, upload.name, upload.read())
        except (SheetError, ActionRefused) as exc:
            _refused(request, exc)
        else:
            return redirect("ledgers:import_batch", batch.pk)
    return render(
        request, "ledgers/import.html", {"ledger": spec, "form": form, "editable": editable}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    _ledger_user(request)
    batch = (
        ImportBatch.objects.select_related("unit")
        # Other apps keep their batches here too (enforcement): not this page's.
        .filter(pk=pk, uploaded_by=request.user, ledger__in=LEDGERS)
        .first()
    )
    if batch is None:
        raise Http404("表格不存在或无权访问。")
    ledger = LEDGERS[batch.ledger]
    sheet = read_sheet(bytes(batch.content))
    mapping = {k: int(v) for k, v in batch.mapping.items()} or auto_mapping(ledger, sheet.headers)
    result = None
    imported = None
    if request.method == "POST" and batch.imported_at is None:
        if "confirm" in request.POST:
            try:
                imported = importing.run(request.user, batch)
            except importing.ImportRefused as exc:
                result = importing.Preview([], exc.errors)
            except ActionRefused as exc:
                _refused(request, exc)
            else:
                messages.success(request, f"已导入{imported}条{ledger.label}记录。")
                target = ledger.list_url or f"ledgers:{ledger.slug}"
                return redirect(reverse(target) + f"?unit={batch.unit_id}")
        else:
            mapping = {}
            for column in ledger.columns:
                raw = request.POST.get(f"col-{column.key}", "")
                if raw.isdigit() and int(raw) < len(sheet.headers):
                    mapping[column.key] = int(raw)
            batch.mapping = mapping
            batch.save(update_fields=["mapping"])
            result = importing.preview(batch, mapping)
    shown = [c for c in ledger.columns if c.key in mapping and not c.key.startswith("procedure:")]
    return render(
        request,
        "ledgers/import_batch.html",
        {
            "batch": batch,
            "ledger": ledger,
            "headers": list(enumerate(sheet.headers)),
            "rows_count": len(sheet.rows),
            "columns": [(c, mapping.get(c.key)) for c in ledger.columns],
            "result": result,
            "shown_columns": shown,
            "preview_rows": [
                [c.value_label(getattr(p.record, c.key)) for c in shown]
                for p in (result.planned[:20] if result else [])
            ],
        },
    )


@login_required
@require_GET
def export(request: HttpRequest, ledger: str) -> HttpResponse:
    _ledger_user(request)
    spec = LEDGERS.get(ledger)
    if spec is None:
        raise Http404("没有这种台账。")
    qs, chosen = _records(request, spec.model)
    if chosen["year"] and not chosen["figure"]:
        year = chosen["year"]
        if spec.year_filter is not None:
            qs = qs.filter(spec.year_filter(year))
        else:
            qs = qs.filter(
                {
                    "documents": Q(published_on__year=year),
                    "decisions": Q(year=year),
                    "requests": figures.received_in(year),
                }[ledger]
            )
    qs = qs.select_related("review_unit", "filing_unit") if ledger == "documents" else qs
    if ledger == "decisions":
        qs = qs.prefetch_related("procedures").select_related("review_unit")
    name = f"{chosen['unit'].name if chosen['unit'] else ''}{spec.label}台账.xlsx"
    response = HttpResponse(write_sheet(spec, qs.order_by("unit__path", "pk")), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
