"""The review workspace: one report, its findings beside the text, and the reviewer's actions.

Actions posted by the page's htmx forms answer with the fragment that changed
(a finding's card, the indicator values, the comment thread); the same forms
posted without htmx redirect back to the page with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi_web.portal import publication
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation, ReportVersion, State
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review import services, workspace
from fazhi_web.review.forms import (
    CommentForm,
    ConfirmationForm,
    CorrectionForm,
    PublicationForm,
    ReasonForm,
    errors_text,
    indicator_choices,
)
from fazhi_web.review.models import Comment
from fazhi_web.units.access import get_obligation


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _version_asked(
    request: HttpRequest, obligation: Obligation
) -> tuple[list[ReportVersion], ReportVersion | None]:
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
    return versions, version


def _comments(obligation: Obligation) -> list[Comment]:
    return list(obligation.comments.select_related("author", "hidden_by", "version"))


def _values(obligation: Obligation) -> dict[str, Any]:
    names = dict(indicator_choices())
    order = {key: i for i, key in enumerate(names)}
    values = sorted(obligation.values.all(), key=lambda v: order.get(v.indicator, len(order)))
    for v in values:
        v.name = names.get(v.indicator, "未知指标")
    corrections = list(obligation.corrections.select_related("corrected_by"))
    for c in corrections:
        c.name = names.get(c.indicator, "未知指标")
    confirmations = list(obligation.confirmations.select_related("confirmed_by"))
    for k in confirmations:
        k.name = names.get(k.indicator, "未知指标")
    return {
        "obligation": obligation,
        "values": values,
        "corrections": corrections,
        "confirmations": confirmations,
        "indicator_choices": list(names.items()),
    }


def _return_draft(version: ReportVersion | None, comments: list[Comment]) -> str:
    """The margin comments of the version, as the start of the letter that returns it."""
    if version is None:
        return ""
    lines = workspace.Lines(version.text)
    notes = [
        c
        for c in comments
        if c.version_id == version.pk and c.finding_index is not None and not c.hidden_reason
    ]
    findings = version.analysis.get("findings", [])
    out = []
    for n, c in enumerate(notes, 1):
        start = findings[c.finding_index].get("start") if c.finding_index < len(findings) else None
        para = lines.number(start)
        where = f"第{para}段" if para else "全文"
        out.append(f"{n}. {where}“{c.quote}”：{c.body}")
    return "\n".join(out)


def _report_context(request: HttpRequest, obligation: Obligation) -> dict[str, Any]:
    versions, version = _version_asked(request, obligation)
    today = timezone.localdate()
    comments = _comments(obligation)
    context: dict[str, Any] = {
        "obligation": obligation,
        "versions": versions,
        "version": version,
        "is_current": version is not None and version.pk == obligation.current_version_id,
        "overdue": obligation.is_overdue(today),
        "late": obligation.was_late(),
        "comments": comments,
        "return_draft": _return_draft(obligation.current_version, comments),
        **_values(obligation),
    }
    if len(versions) >= 2:
        context["diff_a"] = versions[-2].number
        context["diff_b"] = versions[-1].number
    current = obligation.current_version
    unresolved = []
    if current is not None:
        current_findings = current.analysis.get("findings", [])
        unresolved = [
            {"index": i, "message": current_findings[i].get("message", "")}
            for i in services.unresolved_private_info(current)
        ]
    context["unresolved"] = unresolved
    if obligation.state == State.FILED:
        context["publication"] = publication.propose(obligation)
    if version is None or not version.analysed:
        return context

    analysis = version.analysis
    sections = analysis.get("sections", [])
    lines = workspace.Lines(version.text)
    every = workspace.findings(version, lines, comments)
    listed = workspace.shown(every)
    counts = workspace.counts(version)
    context.update(
        {
            "meta": analysis.get("meta", {}),
            "score": analysis.get("score", {}),
            "counts": counts,
            "findings_total": len(every),
            "findings_hidden": len(every) - len(listed),
            "furniture": [f for f in listed if f["furniture"]],
            "whole_text": [f for f in listed if not f["furniture"] and f["start"] is None],
            "in_text": sorted(
                (f for f in listed if not f["furniture"] and f["start"] is not None),
                key=lambda f: (f["start"], f["index"]),
            ),
            "paragraphs": workspace.paragraphs(version.text, listed, sections),
            "outline": workspace.outline(sections, lines),
            "checklist": workspace.checklist(sections, analysis.get("parts", {})),
            "facts": workspace.facts(analysis, lines),
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


def _to_report(
    obligation: Obligation, version: ReportVersion | None = None, anchor: str = ""
) -> HttpResponse:
    url = reverse("review:report", args=[obligation.pk])
    if version is not None and version.pk != obligation.current_version_id:
        url += f"?v={version.number}"
    return redirect(url + anchor)


def _version_for_review(request: HttpRequest, pk: int) -> tuple[Obligation, ReportVersion]:
    try:
        version = ReportVersion.objects.get(pk=pk)
    except ReportVersion.DoesNotExist:
        raise Http404("报告不存在或无权访问。") from None
    obligation = get_obligation(request.user, version.obligation_id, "review")
    return obligation, version


def _card(
    request: HttpRequest,
    obligation: Obligation,
    version: ReportVersion,
    index: int,
    error: str = "",
    commented: bool = False,
) -> HttpResponse:
    """One finding's card as it now is, with the bar's counts and 备案 swapped in beside it;
    after a comment, the thread and the draft of the return letter too."""
    lines = workspace.Lines(version.text)
    comments = _comments(obligation)
    every = workspace.findings(version, lines, comments)
    if not 0 <= index < len(every):
        raise Http404("该问题不存在。")
    return render(
        request,
        "review/_finding_card.html",
        {
            "f": every[index],
            "version": version,
            "obligation": obligation,
            "error": error,
            "counts": workspace.counts(version),
            "oob": True,
            "comments": comments,
            "thread_oob": commented and not error,
            "return_draft": _return_draft(obligation.current_version, comments),
        },
    )


def _finding_action(
    request: HttpRequest,
    pk: int,
    index: int,
    act: Any,
    done: str,
    invalid: str = "",
    commented: bool = False,
) -> HttpResponse:
    obligation, version = _version_for_review(request, pk)
    error = invalid
    if not error:
        try:
            act(obligation, version)
        except ActionRefused as exc:
            error = str(exc)
    if _is_htmx(request):
        return _card(request, obligation, version, index, error, commented)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return _to_report(obligation, version, f"#card-{index}")


@login_required
@require_POST
def dismiss(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    valid = form.is_valid()
    return _finding_action(
        request,
        pk,
        index,
        lambda _, version: services.dismiss_finding(
            request.user, version, index, form.cleaned_data["reason"]
        ),
        "已记录处理理由。",
        "" if valid else "请填写理由。",
    )


@login_required
@require_POST
def restore(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    return _finding_action(
        request,
        pk,
        index,
        lambda _, version: services.restore_finding(request.user, version, index),
        "已撤销误报标记。",
    )


@login_required
@require_POST
def finding_comment(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    form = CommentForm(request.POST)
    valid = form.is_valid()
    return _finding_action(
        request,
        pk,
        index,
        lambda obligation, version: services.add_comment(
            request.user, obligation, form.cleaned_data["body"], finding=(version, index)
        ),
        "意见已发表。",
        "" if valid else "意见内容不能为空。",
        commented=True,
    )


@login_required
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    form = CorrectionForm(request.POST)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.correct_indicator(
                request.user, obligation, d["indicator"], d["value"], d["unit"].strip(), d["reason"]
            )
        except ActionRefused as exc:
            error = str(exc)
    else:
        error = errors_text(form)
    return _values_answer(request, obligation, error, "指标已更正。")


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """核对无误: the engine's value is right; answers like `correct`."""
    obligation = get_obligation(request.user, pk, "review")
    form = ConfirmationForm(request.POST)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        seen = None if d["value"] is None else (d["value"], d["unit"].strip())
        try:
            services.confirm_indicator(request.user, obligation, d["indicator"], expected=seen)
        except ActionRefused as exc:
            error = str(exc)
    else:
        error = errors_text(form)
    return _values_answer(request, obligation, error, "已核对无误。")


def _values_answer(
    request: HttpRequest, obligation: Obligation, error: str, done: str
) -> HttpResponse:
    """The values panel after a correction or a confirmation: the panel for htmx,
    else the report page with a message."""
    if _is_htmx(request):
        return render(
            request,
            "review/_values.html",
            {**_values(obligation), "error": error, "done": "" if error else done},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("review:report", args=[obligation.pk]) + "#values")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "review")
    form = CommentForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.add_comment(request.user, obligation, form.cleaned_data["body"])
        except ActionRefused as exc:
            error = str(exc)
    else:
        error = "意见内容不能为空。"
    if _is_htmx(request):
        return render(
            request,
            "review/_comments.html",
            {"obligation": obligation, "comments": _comments(obligation), "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "意见已发表。")
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
    """公开, with the 索引号, 发布机构, 主题分类 and 成文日期 as the dialog sent them;
    a post without them takes what the dialog proposes."""
    fields = None
    if "index_number" in request.POST:
        form = PublicationForm(request.POST)
        if not form.is_valid():
            get_obligation(request.user, pk, "review")
            messages.error(request, errors_text(form))
            return redirect("review:report", pk=pk)
        fields = publication.Fields(**form.cleaned_data)
    return _act(request, pk, services.publish, "已公开，公众可在公开报告中查阅。", fields)
