"""The 行政执法公示 on the public portal: decisions as their approved, masked copies, and
the results of the 双随机 inspections. No login; only what is published, of units not
hidden, never a hidden record, never the unmasked decision."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi_web.enforcement import rules, services
from fazhi_web.enforcement.models import CaseKind

PAGE = 30


@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    qs = services.public_cases().order_by("-publication__published_on", "-pk")
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(unit__name__icontains=q)
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "enforcement/public/decisions.html",
                  {"page": page, "q": q, "kind": kind, "kinds": CaseKind.choices})  # fmt: skip


@require_GET
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    case = services.public_cases().filter(pk=pk).first()
    if case is None:
        raise Http404("执法决定不存在或未公示。")
    return render(request, "enforcement/public/decision.html",
                  {"case": case, "decided": rules.decided_on(case)})  # fmt: skip


@require_GET
def inspections(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.public_inspections().order_by("-published_on", "-pk"), PAGE)
    return render(request, "enforcement/public/inspections.html",
                  {"page": page.get_page(request.GET.get("page"))})  # fmt: skip


@require_GET
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    obj = services.public_inspections().filter(pk=pk).first()
    if obj is None:
        raise Http404("抽查结果不存在或未公示。")
    return render(request, "enforcement/public/inspection.html", {
        "inspection": obj, "drawn": obj.drawn.select_related("entity").prefetch_related("officers"),
        "replays": services.draw_replays(obj), "basis": rules.RULES["random"]["basis"],
    })  # fmt: skip
