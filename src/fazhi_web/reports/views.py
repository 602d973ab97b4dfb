"""The reporter's side: my obligations, the self-check page, uploads, submission.

Reads go through units.access (out-of-scope objects are 404); writes go through
reports.services / review.services, which check the cycle's rules and write the
audit log. Refusals (ActionRefused) come back to the page as a Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi import data as engine_data
from fazhi.rules.base import rule_text
from fazhi.stages.parts import part_names
from fazhi_web import uploads
from fazhi_web.reports import diff as diffing
from fazhi_web.reports import services
from fazhi_web.reports.forms import PasteForm, ReplyForm, SubmitForm, UploadForm, first_error
from fazhi_web.reports.models import AnalysisState, Obligation, ReportVersion, State
from fazhi_web.reports.services import ActionRefused
from fazhi_web.review.models import Comment
from fazhi_web.review.services import add_comment
from fazhi_web.units.access import access_for, get_obligation, published_obligations

OPEN_STATES = services.OPEN_STATES
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Enough text around a finding to recognise the place without opening the report.
QUOTE_CONTEXT = 24

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


# -- my obligations --------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    access = access_for(request.user)
    latest = ReportVersion.objects.filter(obligation=OuterRef("pk")).order_by("-number")
    obligations = list(
        access.obligations()
        .filter(unit_id__in=access.reporter_unit_ids)
        .annotate(
            latest_score=Subquery(latest.values("score")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
            latest_state=Subquery(latest.values("analysis_state")[:1]),
        )
        .order_by("-reporting_year__year", "unit_path")
    )
    today = timezone.localdate()
    for o in obligations:
        o.overdue = o.is_overdue(today)
    return render(
        request,
        "reports/mine.html",
        {"obligations": obligations, "is_reporter": access.is_reporter},
    )


# -- the self-check page ---------------------------------------------------------


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _rule_name(slug: str) -> str:
    try:
        return rule_text(slug).name
    except KeyError:
        return slug


def _findings(version: ReportVersion) -> list[dict[str, Any]]:
    text = version.text
    decisions = {d.finding_index: d for d in version.decisions.select_related("decided_by")}
    rows = []
    for index, f in enumerate(version.analysis.get("findings", [])):
        start, end = f.get("start"), f.get("end")
        has_span = (
            isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)
        )
        rows.append(
            {
                "index": index,
                "severity": f["severity"],
                "rule": f["rule"],
                "rule_name": _rule_name(f["rule"]),
                "message": f["message"],
                "quote": text[start:end] if has_span else "",
                "before": text[max(0, start - QUOTE_CONTEXT) : start] if has_span else "",
                "after": text[end : end + QUOTE_CONTEXT] if has_span else "",
                "start": start,
                "end": end,
                "has_span": has_span and end > start,
                "decision": decisions.get(index),
            }
        )
    rows.sort(key=lambda r: (SEVERITY_ORDER.get(r["severity"], 3), r["index"]))
    return rows


def _marked_paragraphs(text: str, findings: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The report text in paragraphs, cut into pieces so findings can be marked in place.

    Pieces are plain strings for the template to escape: nothing here is marked safe.
    One pass over lines and sorted spans together: thousands of findings in a
    long text must not cost lines × findings.
    """
    spans = sorted(
        ((f["start"], f["end"], f) for f in findings if f["has_span"]),
        key=lambda s: (s[0], -s[1]),
    )
    paragraphs: list[list[dict[str, Any]]] = []
    anchored: set[int] = set()
    offset = 0
    first = 0  # spans before this one end before the current line
    for line in text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        while first < len(spans) and spans[first][1] <= line_start:
            first += 1
        if not line.strip():
            continue
        pieces: list[dict[str, Any]] = []
        pos = line_start
        for s, e, f in spans[first:]:
            if s >= line_end:
                break
            s, e = max(s, line_start), min(e, line_end)
            # Overlapping findings keep the first mark; the list above still shows all.
            if s >= e or s < pos:
                continue
            if s > pos:
                pieces.append({"text": text[pos:s]})
            pieces.append({"text": text[s:e], "finding": f, "anchor": f["index"] not in anchored})
            anchored.add(f["index"])
            pos = e
        if pos < line_end:
            pieces.append({"text": text[pos:line_end]})
        paragraphs.append(pieces)
    return paragraphs


def _self_check(version: ReportVersion) -> dict[str, Any]:
    analysis = version.analysis
    parts = [
        {
            "label": label,
            "present": bool(analysis.get("parts", {}).get(key, {}).get("present")),
            "required": key != "other",
        }
        for key, label in part_names().items()
    ]
    criteria = [
        {
            "label": c.get("label", key),
            "score": c["score"],
            "max": c["max"],
            "why": c.get("why", ""),
        }
        for key, c in analysis.get("score", {}).get("criteria", {}).items()
    ]
    names = engine_data.load("indicator_names")["names"]
    found = analysis.get("indicators", {})
    indicators = [
        {
            "label": names.get(key, key),
            "value": _number(found[key]["value"]),
            "unit": found[key].get("unit", ""),
        }
        for key in [k for k in names if k in found] + sorted(k for k in found if k not in names)
    ]
    findings = _findings(version)
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in SEVERITY_ORDER}
    # Most severe first; a text with thousands of findings lists (and marks) the first ones.
    shown = findings[: settings.FAZHI_FINDINGS_SHOWN]
    return {
        "parts": parts,
        "missing_required": [p["label"] for p in parts if p["required"] and not p["present"]],
        "criteria": criteria,
        "total": analysis.get("score", {}).get("total", version.score),
        "findings": shown,
        "hidden": len(findings) - len(shown),
        "counts": counts,
        "indicators": indicators,
        "paragraphs": _marked_paragraphs(version.text, shown),
        "meta": analysis.get("meta", {}),
    }


@login_required
def obligation(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "view")
    access = access_for(request.user)
    can_report = access.can_report(obligation.unit)
    versions = list(obligation.versions.select_related("uploaded_by").order_by("number"))
    latest = versions[-1] if versions else None
    is_open = obligation.state in OPEN_STATES
    check = _self_check(latest) if latest and latest.analysed else None
    if check is not None:
        services.record_read(request.user, "read.report", obligation, [latest])
    thread = list(
        Comment.objects.filter(
            obligation=obligation,
            kind__in=[Comment.Kind.RETURN, Comment.Kind.REPLY],
            hidden_reason="",
        ).select_related("author", "version")
    )
    return render(
        request,
        "reports/obligation.html",
        {
            "obligation": obligation,
            "overdue": obligation.is_overdue(),
            "can_report": can_report,
            "can_review": access.can_review(obligation.unit),
            "can_upload": can_report and is_open,
            "can_submit": can_report and is_open and latest is not None and latest.analysed,
            "can_reply": can_report and obligation.state == State.RETURNED,
            "can_retry": can_report
            and latest is not None
            and (latest.analysis_state == AnalysisState.FAILED or latest.analysis_stalled),
            "versions": versions,
            "latest": latest,
            "check": check,
            "thread": thread,
            "reminders": list(obligation.reminders.all()) if is_open else [],
            "upload_form": UploadForm(),
            "paste_form": PasteForm(),
            "reply_form": ReplyForm(),
            "max_bytes": settings.UPLOAD_MAX_BYTES,
            "accept": ",".join(sorted(services.WEB_SUFFIXES)),
        },
    )


# -- changes ------------------------------------------------------------------------


def _back(obligation: Obligation) -> HttpResponse:
    return redirect("reports:obligation", pk=obligation.pk)


def _stored(version: ReportVersion, what: str) -> str:
    if version.analysed:
        return (
            f"{what}，自检得分 {_number(version.score or 0)}。请查看下方自检结果，确认无误后报送。"
        )
    return f"{what}。报告较长，正在后台分析，本页会显示进度，完成后自动显示自检结果。"


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "report")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(obligation)
    f = form.cleaned_data["file"]
    try:
        version = services.upload_version(request.user, obligation, f.name, f.read())
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _back(obligation)
    messages.success(
        request, _stored(version, f"已上传第{version.number}版“{version.original_name}”")
    )
    return _back(obligation)


@login_required
@require_POST
def paste(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "report")
    form = PasteForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(obligation)
    try:
        version = services.paste_version(request.user, obligation, form.cleaned_data["text"])
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _back(obligation)
    messages.success(request, _stored(version, f"已保存粘贴的文本为第{version.number}版"))
    return _back(obligation)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "report")
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(obligation)
    version = obligation.versions.filter(pk=form.cleaned_data["version"]).first()
    if version is None:
        messages.error(request, "所选版本不属于该报告，请刷新页面后重试。")
        return _back(obligation)
    errors = services.error_count(version)
    if errors and request.POST.get("confirm_errors") != "1":
        messages.error(
            request,
            f"第{version.number}版还有{errors}处错误，请修改后重新上传，或确认仍要报送。",
        )
        return _back(obligation)
    try:
        services.submit(request.user, obligation, version)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _back(obligation)
    messages.success(request, f"已报送第{version.number}版，请等待审查。")
    return _back(obligation)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "report")
    if obligation.state != State.RETURNED:
        messages.error(request, "只有被退回修改的报告可以答复审查意见。")
        return _back(obligation)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(obligation)
    try:
        add_comment(request.user, obligation, form.cleaned_data["body"], Comment.Kind.REPLY)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _back(obligation)
    messages.success(request, "答复已发送给审查员。")
    return _back(obligation)


# -- a version's analysis in the background ------------------------------------------


def _viewable_version(request: HttpRequest, pk: int, need: str) -> tuple[ReportVersion, Obligation]:
    version = ReportVersion.objects.filter(pk=pk).defer("text", "analysis").first()
    if version is None:
        raise Http404("版本不存在或无权访问。")
    return version, get_obligation(request.user, version.obligation_id, need)


@login_required
def analysis_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the page polls (htmx, every second) until the analysis ends.

    When it is done the page reloads itself (HX-Refresh) to show the result;
    a failed analysis answers with the message and, for the reporter, a retry
    button, and without the polling trigger.
    """
    version, obligation = _viewable_version(request, pk, "view")
    if version.analysed:
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect("reports:obligation", pk=version.obligation_id)
    access = access_for(request.user)
    return render(
        request,
        "reports/_analysis_status.html",
        {
            "v": version,
            "can_retry": access.can_report(obligation.unit)
            and (version.analysis_state == AnalysisState.FAILED or version.analysis_stalled),
        },
    )


@login_required
@require_POST
def retry_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    version, _ = _viewable_version(request, pk, "report")
    try:
        services.retry_analysis(request.user, version)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已重新提交第{version.number}版的分析，本页会显示进度。")
    return redirect("reports:obligation", pk=version.obligation_id)


# -- the stored original -----------------------------------------------------------


def version_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The original upload, to those who may read the report; the public gets the
    published version only."""
    version = (
        ReportVersion.objects.filter(pk=pk)
        .select_related("obligation__unit", "obligation__reporting_year")
        .first()
    )
    allowed = False
    if version is not None and request.user.is_authenticated:
        try:
            get_obligation(request.user, version.obligation_id, "view")
            allowed = True
        except Http404:
            pass
    if version is not None and not allowed:
        # Earlier drafts of a published report stay internal.
        allowed = (
            published_obligations()
            .filter(pk=version.obligation_id, current_version=version)
            .exists()
        )
    if version is None or not allowed:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404("文件不存在或无权访问。")

    response = uploads.download(
        version.stored_name,
        services.download_name(version.obligation, version),
        CONTENT_TYPES.get(version.format, "application/octet-stream"),
    )
    services.record_read(
        request.user, "read.download", version.obligation, [version], shows_findings=False
    )
    return response


# -- what changed between two versions ------------------------------------------


def _pick(versions: list[ReportVersion], number: str | None) -> ReportVersion:
    try:
        wanted = int(number or "")
    except ValueError:
        raise Http404("版本不存在。") from None
    for v in versions:
        if v.number == wanted:
            return v
    raise Http404("版本不存在。")


@login_required
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_obligation(request.user, pk, "view")
    versions = list(obligation.versions.select_related("uploaded_by").order_by("number"))
    a_param, b_param = request.GET.get("a"), request.GET.get("b")
    pair: tuple[ReportVersion, ReportVersion] | None
    if a_param or b_param:
        pair = (_pick(versions, a_param), _pick(versions, b_param))
    else:
        pair = diffing.default_pair(versions)
    context: dict[str, Any] = {"obligation": obligation, "versions": versions, "pair": pair}
    if pair is not None:
        a, b = pair
        services.record_read(request.user, "read.diff", obligation, [a, b], shows_findings=False)
        lines = diffing.text_diff(a.text, b.text)
        context.update(
            a=a,
            b=b,
            lines=lines,
            added=sum(1 for line in lines if line.kind == "added"),
            removed=sum(1 for line in lines if line.kind == "removed"),
            changes=diffing.analysis_changes(a, b) if a.analysed and b.analysed else None,
        )
    return render(request, "reports/diff.html", context)
