"""考评 pages: frameworks, their criteria, the ranking, a unit's radar chart and scores.

Every object comes through evaluation/access.py (built on units/access.py): out of reach
is 404. Every change goes through services.py; a refusal comes back as a Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from fazhi_web.evaluation import access, results, services
from fazhi_web.evaluation import framework as framework_file
from fazhi_web.evaluation.forms import CopyForm, CriterionForm, ScoreForm
from fazhi_web.evaluation.framework import FrameworkError
from fazhi_web.evaluation.models import Criterion, Framework, Score
from fazhi_web.evaluation.services import EvaluationRefused
from fazhi_web.evaluation.sources import SOURCES, describe
from fazhi_web.review.forms import errors_text
from fazhi_web.units.models import Level

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request: HttpRequest) -> HttpResponse:
    offices = list(access.offices(request.user))
    frameworks = Framework.objects.filter(office__in=offices).select_related("office")
    return render(
        request,
        "evaluation/index.html",
        {
            "frameworks": frameworks,
            "form": CopyForm(offices) if offices else None,
            "own": access.published_for_units(request.user),
        },
    )


@login_required
@require_POST
def copy(request: HttpRequest) -> HttpResponse:
    offices = list(access.offices(request.user))
    form = CopyForm(offices, request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("evaluation:index")
    office = next(u for u in offices if u.pk == form.cleaned_data["office"])
    path = framework_file.FRAMEWORKS / form.cleaned_data["file"]
    try:
        fw = services.copy_framework(request.user, office, form.cleaned_data["year"], path)
    except (EvaluationRefused, FrameworkError) as exc:
        messages.error(request, str(exc))
        return redirect("evaluation:index")
    messages.success(request, f"已建立{fw.year}年度考评方案，可逐项修改指标。")
    return redirect("evaluation:framework", pk=fw.pk)


def _grouped(criteria: list[Criterion]) -> list[dict[str, Any]]:
    """Criteria under their first- and second-level titles, with the points of each."""
    areas: list[dict[str, Any]] = []
    for c in criteria:
        if not areas or areas[-1]["number"] != c.area_number:
            areas.append({"number": c.area_number, "title": c.area_title, "points": 0, "items": []})
        area = areas[-1]
        if not area["items"] or area["items"][-1]["number"] != c.item_number:
            area["items"].append(
                {"number": c.item_number, "title": c.item_title, "points": 0, "criteria": []}
            )
        item = area["items"][-1]
        item["criteria"].append({"c": c, "source": describe(c.evidence_kind, c.evidence_params)})
        item["points"] += c.points
        area["points"] += c.points
    return areas


@login_required
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    fw = access.get_framework(request.user, pk)
    criteria = list(fw.criteria.all())
    return render(
        request,
        "evaluation/framework.html",
        {"fw": fw, "areas": _grouped(criteria), "total": sum(c.points for c in criteria)},
    )


@login_required
def criterion_edit(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    fw = access.get_framework(request.user, pk)
    criterion = fw.criteria.filter(pk=criterion_pk).first()
    if criterion is None:
        raise Http404(access.NOT_FOUND)
    form = CriterionForm(
        request.POST if request.method == "POST" else None,
        initial=CriterionForm.initial_for(criterion),
    )
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.edit_criterion(
                    request.user,
                    criterion,
                    text=d["text"],
                    points=d["points"],
                    evidence_kind=d["evidence_kind"],
                    evidence_params=form.evidence_params(),
                )
            except EvaluationRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"指标{criterion.number}已修改。")
                return redirect(
                    reverse("evaluation:framework", args=[fw.pk]) + f"#c-{criterion.pk}"
                )
        else:
            messages.error(request, errors_text(form))
    return render(
        request, "evaluation/criterion.html", {"fw": fw, "criterion": criterion, "form": form}
    )


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    fw = access.get_framework(request.user, pk)
    count = services.compute(request.user, fw)
    messages.success(request, f"已按评分依据计算 {count} 项自动评分。")
    return redirect("evaluation:results", pk=fw.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    fw = access.get_framework(request.user, pk)
    try:
        services.publish(request.user, fw)
    except EvaluationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "考评结果已公布，各单位可查看本单位的得分。")
    return redirect("evaluation:results", pk=fw.pk)


def _results(request: HttpRequest, fw: Framework) -> tuple[results.Results, str]:
    units = access.scored_units(request.user, fw)
    level = request.GET.get("level", "")
    if level in Level.values:
        units = units.filter(level=level)
    else:
        level = ""
    return results.results(fw, list(units)), level


@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    fw = access.get_framework(request.user, pk)
    result, level = _results(request, fw)
    return render(
        request,
        "evaluation/results.html",
        {"fw": fw, "result": result, "level": level, "levels": Level.choices},
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    fw = access.get_framework(request.user, pk)
    result, level = _results(request, fw)
    note = f"层级：{Level(level).label}" if level else ""
    response = HttpResponse(results.workbook(fw, result, note), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"考评结果_{fw.office.name}_{fw.year}.xlsx"
    )
    return response


def _evidence_links(score: Score | None, as_office: bool) -> list[dict[str, str]]:
    """Each piece of evidence with the link this reader may follow."""
    out = []
    for e in score.evidence if score else []:
        url = e.get("url", "")
        if e.get("obligation"):
            name = "review:report" if as_office else "reports:obligation"
            url = reverse(name, args=[e["obligation"]])
            if as_office and e.get("anchor"):
                url += "#" + e["anchor"]
        out.append({"label": e.get("label", ""), "quote": e.get("quote", ""), "url": url})
    return out


@login_required
def unit_results(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    fw, unit, as_office = access.get_unit_results(request.user, pk, unit_pk)
    criteria = list(fw.criteria.all())
    scores = {s.criterion_id: s for s in Score.objects.filter(criterion__framework=fw, unit=unit)}
    areas = _grouped(criteria)
    for area in areas:
        area["score"] = 0
        for item in area["items"]:
            for entry in item["criteria"]:
                score = scores.get(entry["c"].pk)
                entry["score"] = score
                entry["automatic"] = SOURCES[entry["c"].evidence_kind].automatic
                entry["evidence"] = _evidence_links(score, as_office)
                area["score"] += score.value if score else 0
    summary = results.results(fw, [unit])
    row = summary.rows[0]
    radar = results.radar_option(summary.areas, row.areas, unit.name)
    return render(
        request,
        "evaluation/unit.html",
        {"fw": fw, "unit": unit, "as_office": as_office, "areas": areas, "row": row,
         "total": summary.total, "radar": radar},
    )  # fmt: skip


@login_required
@require_POST
def score(request: HttpRequest, pk: int, unit_pk: int, criterion_pk: int) -> HttpResponse:
    fw, unit, as_office = access.get_unit_results(request.user, pk, unit_pk)
    criterion = fw.criteria.filter(pk=criterion_pk).first()
    if not as_office or criterion is None:
        raise Http404(access.NOT_FOUND)
    form = ScoreForm(request.POST)
    back = reverse("evaluation:unit", args=[fw.pk, unit.pk]) + f"#c-{criterion.pk}"
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect(back)
    value, note = form.cleaned_data["value"], form.cleaned_data["note"]
    try:
        if SOURCES[criterion.evidence_kind].automatic:
            existing = Score.objects.filter(criterion=criterion, unit=unit).first()
            if existing is None:
                raise EvaluationRefused("请先计算自动评分，再调整。")
            services.adjust_score(request.user, existing, value, note)
            messages.success(request, f"指标{criterion.number}的自动评分已调整，调整记入审计日志。")
        else:
            services.score_by_reviewer(request.user, criterion, unit, value, note)
            messages.success(request, f"指标{criterion.number}已评分。")
    except EvaluationRefused as exc:
        messages.error(request, str(exc))
    return redirect(back)
