"""The ledgers on the public portal: the 规范性文件库, the 决策事项目录 and the
consultation pages where the public comments on a decision draft. No login; only
what is published, of units not hidden, and never a hidden record or comment."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from fazhi_web.accounts.lockout import client_ip
from fazhi_web.ledgers import lifecycle, services, throttle
from fazhi_web.ledgers.forms import CommentForm
from fazhi_web.ledgers.models import (
    Consultation,
    DecisionCatalogue,
    MajorDecision,
    NormativeDocument,
)
from fazhi_web.reports.services import ActionRefused

PAGE = 30


def public_documents() -> QuerySet[NormativeDocument]:
    return NormativeDocument.objects.filter(
        published_on__isnull=False, hidden_reason="", unit__hidden_reason=""
    ).select_related("unit")


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    qs = public_documents()
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(unit__name__icontains=q)
        )
    region = request.GET.get("region", "").strip()[:100]
    if region:
        qs = qs.filter(unit__region__startswith=region)
    today = services.today()
    status = request.GET.get("status", "")
    rows = [(d, lifecycle.document_status(d, today)) for d in qs.order_by("-published_on", "-pk")]
    if status in lifecycle.PUBLIC_STATUSES:
        rows = [(d, s) for d, s in rows if s == status]
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "ledgers/public/library.html",
        {"page": page, "q": q, "region": region, "status": status, "statuses": lifecycle.PUBLIC_STATUSES,
         "query": request.GET.urlencode()},
    )  # fmt: skip


@require_GET
def library_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = public_documents().select_related("replaced_by").filter(pk=pk).first()
    if doc is None:
        raise Http404("文件不存在或未公开。")
    return render(
        request,
        "ledgers/public/document.html",
        {
            "doc": doc,
            "status": lifecycle.document_status(doc, services.today()),
            "history": [s for s in lifecycle.document_history(doc) if s.label not in ("起草",)],
            "replaces": public_documents().filter(replaced_by=doc),
        },
    )


def _published_catalogues() -> QuerySet[DecisionCatalogue]:
    return DecisionCatalogue.objects.filter(
        published_on__isnull=False, unit__hidden_reason=""
    ).select_related("unit")


@require_GET
def catalogues(request: HttpRequest) -> HttpResponse:
    open_consultations = [
        c
        for c in Consultation.objects.filter(
            decision__hidden_reason="", decision__unit__hidden_reason=""
        ).select_related("decision__unit")
        if services.consultation_open(c)
    ]
    return render(
        request,
        "ledgers/public/catalogues.html",
        {
            "catalogues": _published_catalogues().order_by("-year", "unit__path"),
            "consultations": open_consultations,
        },
    )


@require_GET
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    found = _published_catalogues().filter(pk=pk).first()
    if found is None:
        raise Http404("目录不存在或未公开。")
    decisions = MajorDecision.objects.filter(
        unit=found.unit, year=found.year, hidden_reason=""
    ).select_related("consultation")
    return render(
        request, "ledgers/public/catalogue.html", {"catalogue": found, "decisions": decisions}
    )


@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    found = (
        Consultation.objects.filter(
            pk=pk, decision__hidden_reason="", decision__unit__hidden_reason=""
        )
        .select_related("decision__unit")
        .first()
    )
    if found is None:
        raise Http404("征求意见不存在或未公开。")
    is_open = services.consultation_open(found)
    form = CommentForm(request.POST or None)
    too_many = None
    if request.method == "POST" and form.is_valid():
        # A closed consultation refuses every comment anyway: nothing to count.
        too_many = throttle.count_comment(found.pk, client_ip(request)) if is_open else None
        if too_many is not None:
            # The form stays bound: what the user typed is shown again, not lost.
            messages.error(request, too_many.message)
        else:
            try:
                services.add_comment(found, **form.cleaned_data)
            except ActionRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "感谢您的意见，已经提交。")
                return redirect("ledgers_public:consultation", found.pk)
    response = render(
        request,
        "ledgers/public/consultation.html",
        {
            "consultation": found,
            "decision": found.decision,
            "is_open": is_open,
            "form": form,
            "comments": found.comments.filter(hidden_reason=""),
            "summary_published": found.summary_published_on is not None,
        },
        status=200 if too_many is None else 429,
    )
    if too_many is not None:
        response["Retry-After"] = str(too_many.retry_after)
    return response
