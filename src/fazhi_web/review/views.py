"""The reviewer's screens: the submission board, one report, and the notice."""

from __future__ import annotations

import bisect
from typing import Any

from django.conf import settings
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

from fazhi.render.common import OPTIONAL_PARTS, PART_BADGES, PART_NAMES, rule_name
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, ReportingYear, ReportVersion, State
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import highlight, services
from fazhi_web.review import notice as notice_doc
from fazhi_web.review.forms import (
    BoardFilterForm,
    CommentForm,
    CorrectionForm,
    ExtendForm,
    OpenYearForm,
    ReasonForm,
    ReturnForm,
    errors_text,
    indicator_choices,
)
from fazhi_web.review.models import Comment, FindingDecision
from fazhi_web.units.access import access_for, get_obligation
from fazhi_web.units.models import Level, Unit

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_PRIORITY = {"error": 3, "warning": 2, "info": 1}
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


# -- one report -----------------------------------------------------------


def _depths(sections: list[dict]) -> dict[str, int]:
    parents = {s["id"]: s.get("parent") for s in sections}
    depths: dict[str, int] = {}
    for sid in parents:
        depth, parent, seen = 0, parents[sid], {sid}
        while parent and parent not in seen and depth < 10:
            seen.add(parent)
            depth += 1
            parent = parents.get(parent)
        depths[sid] = depth
    return depths


def _findings(version: ReportVersion) -> list[dict[str, Any]]:
    decisions = {d.finding_index: d for d in version.decisions.select_related("decided_by")}
    out = []
    for i, f in enumerate(version.analysis.get("findings", [])):
        decision = decisions.get(i)
        out.append(
            {
                "index": i,
                "rule": f.get("rule", ""),
                "rule_name": rule_name(f.get("rule", "")),
                "severity": f.get("severity", "info"),
                "severity_name": SEVERITY_NAMES.get(f.get("severity", ""), ""),
                "message": f.get("message", ""),
                "start": f.get("start"),
                "end": f.get("end"),
                "section": f.get("section"),
                "decision": decision,
                "decided_by": _name(decision.decided_by) if decision else "",
                "private": f.get("rule") == "private-info",
            }
        )
    return out


def _name(user: Any) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def _paragraphs(text: str, findings: list[dict], sections: list[dict]) -> list[dict]:
    spans = []
    for f in findings:
        if f["start"] is None or f["end"] is None:
            continue
        if f["decision"] is not None:
            classes = "finding dismissed"
            title = f"已标为误报：{f['decision'].reason}（{f['decided_by']}）｜{f['message']}"
            priority = 0
        else:
            classes = f"finding sev-{f['severity']}"
            title = f["message"]
            priority = SEVERITY_PRIORITY.get(f["severity"], 1)
        spans.append(highlight.Span(f["start"], f["end"], classes, title, priority))
    lines = highlight.lines(text, spans)
    starts = [line.start for line in lines]
    anchors: dict[int, list[str]] = {}

    def pin(offset: Any, anchor: str) -> None:
        if isinstance(offset, int) and 0 <= offset <= len(text):
            anchors.setdefault(max(0, bisect.bisect_right(starts, offset) - 1), []).append(anchor)

    for s in sections:
        pin(s.get("start"), f"sec-{s['id']}")
    for f in findings:
        pin(f["start"], f"finding-{f['index']}")
    return [
        {"segments": line.segments, "anchors": anchors.get(i, [])}
        for i, line in enumerate(lines)
        if line.segments or anchors.get(i)
    ]


def _report_context(request: HttpRequest, obligation: Obligation) -> dict[str, Any]:
    versions = list(obligation.versions.defer("text", "analysis").select_related("uploaded_by"))
    version: ReportVersion | None = obligation.current_version
    asked = request.GET.get("v", "")
    if asked:
        match = next((v for v in versions if str(v.number) == asked), None)
        if match is None:
            raise Http404("该版本不存在。")
        if match.pk != obligation.current_version_id:
            version = ReportVersion.objects.get(pk=match.pk)
    elif version is None and versions:
        version = ReportVersion.objects.get(pk=versions[-1].pk)

    context: dict[str, Any] = {
        "obligation": obligation,
        "versions": versions,
        "version": version,
        "is_current": version is not None and version.pk == obligation.current_version_id,
        "today": timezone.localdate(),
        "overdue": obligation.is_overdue(timezone.localdate()),
        "late": obligation.was_late(),
        "correction_form": CorrectionForm(),
        "comment_form": CommentForm(),
        "return_form": ReturnForm(),
        "reason_form": ReasonForm(),
        "indicator_choices": indicator_choices(),
    }
    if len(versions) >= 2:
        context["diff_a"] = versions[-2].number
        context["diff_b"] = versions[-1].number

    names = dict(indicator_choices())
    if version is not None:
        analysis = version.analysis
        sections = analysis.get("sections", [])
        depths = _depths(sections)
        every = _findings(version)
        # A text with thousands of findings lists the first ones; personal data
        # findings always, as they must all be resolved before publication.
        limit = settings.FAZHI_FINDINGS_SHOWN
        findings = [f for i, f in enumerate(every) if i < limit or f["private"]]
        facts = analysis.get("facts", [])
        parts = analysis.get("parts", {})
        labels = {s["id"]: (s.get("marker") or "") + (s.get("title") or "")[:8] for s in sections}
        context.update(
            {
                "meta": analysis.get("meta", {}),
                "score": analysis.get("score", {}),
                "findings": findings,
                "findings_total": len(every),
                "findings_hidden": len(every) - len(findings),
                "paragraphs": _paragraphs(version.text, findings, sections),
                "outline": [
                    {
                        **s,
                        "depth": depths.get(s["id"], 0),
                        "badge": PART_BADGES.get(s.get("part") or "", ""),
                    }
                    for s in sections
                ],
                "checklist": [
                    {
                        "part": part,
                        "name": PART_NAMES[part],
                        "present": bool(parts.get(part, {}).get("present")),
                        "optional": part in OPTIONAL_PARTS,
                        "sections": [
                            (sid, labels.get(sid, sid))
                            for sid in parts.get(part, {}).get("sections", [])[:3]
                        ],
                    }
                    for part in PART_NAMES
                ],
                "facts": [
                    {**fact, "indicator_name": names.get(fact.get("indicator") or "", "")}
                    for fact in facts[:limit]
                ],
                "facts_total": len(facts),
                "facts_hidden": max(0, len(facts) - limit),
            }
        )

    values = sorted(
        obligation.values.all(),
        key=lambda v: list(names).index(v.indicator) if v.indicator in names else len(names),
    )
    for v in values:
        v.name = names.get(v.indicator, v.indicator)
    corrections = list(obligation.corrections.select_related("corrected_by"))
    for c in corrections:
        c.name = names.get(c.indicator, c.indicator)

    current = obligation.current_version
    unresolved = []
    if current is not None:
        current_findings = current.analysis.get("findings", [])
        unresolved = [
            {"index": i, "message": current_findings[i].get("message", "")}
            for i in services.unresolved_private_info(current)
        ]
    comments = list(obligation.comments.select_related("author", "hidden_by", "version"))
    context.update(
        {
            "values": values,
            "corrections": corrections,
            "unresolved": unresolved,
            "comments": comments,
        }
    )
    return context


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    context = _report_context(request, obligation)
    if context["version"] is not None:
        report_services.record_read(request.user, "read.report", obligation, [context["version"]])
    return render(request, "review/report.html", context)


def _to_report(obligation: Obligation, version: ReportVersion | None = None) -> HttpResponse:
    url = reverse("review:report", args=[obligation.pk])
    if version is not None and version.pk != obligation.current_version_id:
        url += f"?v={version.number}"
    return redirect(url + "#findings" if version is not None else url)


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    try:
        version = ReportVersion.objects.defer("text").get(pk=pk)
    except ReportVersion.DoesNotExist:
        raise Http404("报告不存在或无权访问。") from None
    obligation = get_obligation(request.user, version.obligation_id, "review")
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.dismiss_finding(request.user, version, index, form.cleaned_data["reason"])
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已记录处理理由。")
    else:
        messages.error(request, "请填写理由。")
    return _to_report(obligation, version)


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    form = CorrectionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.correct_indicator(
                request.user, obligation, d["indicator"], d["value"], d["unit"].strip(), d["reason"]
            )
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "指标已更正。")
    else:
        messages.error(request, errors_text(form))
    return redirect(reverse("review:report", args=[obligation.pk]) + "#values")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(request.user, obligation, form.cleaned_data["body"])
        except ActionRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "意见已发表。")
    else:
        messages.error(request, "意见内容不能为空。")
    return redirect(reverse("review:report", args=[obligation.pk]) + "#comments")


def _act(request: HttpRequest, pk: int, action: Any, done: str, *args: Any) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    try:
        action(request.user, obligation, *args)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("review:report", pk=obligation.pk)


@login_required
@require_POST
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.return_report, "已退回修改。", request.POST.get("comment", "")
    )


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.approve, "已备案。")


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.publish, "已公开，公众可在公开报告中查阅。")


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
