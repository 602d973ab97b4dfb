"""Reviewers' actions on a report; each checks the cycle's rules and writes the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from fazhi import data as engine_data
from fazhi_web.audit.log import record
from fazhi_web.portal import publication
from fazhi_web.portal.search import index_obligation
from fazhi_web.reports.models import Obligation, ReportingYear, ReportVersion, State
from fazhi_web.reports.services import ActionRefused, confirms, rebuild_indicators
from fazhi_web.review import notice as notice_doc
from fazhi_web.review.models import (
    Comment,
    FindingDecision,
    IndicatorConfirmation,
    IndicatorCorrection,
    NoticeHeading,
)


def _indicator_name(indicator: str) -> str:
    names: dict[str, str] = engine_data.load("indicator_names")["names"]
    return names.get(indicator, "指标")


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ActionRefused("请填写理由。")
    return reason[:300]


@transaction.atomic
def dismiss_finding(actor: Any, version: ReportVersion, index: int, reason: str) -> FindingDecision:
    """Mark a finding as a false positive (or, for private-info, as checked and allowed)."""
    findings = version.analysis.get("findings", [])
    if not 0 <= index < len(findings):
        raise ActionRefused("该问题不存在。")
    if FindingDecision.objects.filter(version=version, finding_index=index).exists():
        raise ActionRefused("该问题已经处理过。")
    finding = findings[index]
    decision = FindingDecision.objects.create(
        version=version,
        finding_index=index,
        rule=finding["rule"],
        reason=_reason(reason),
        decided_by=actor,
    )
    record(
        actor,
        "finding.dismiss",
        f"将问题“{finding['message'][:60]}”标为误报：{decision.reason}",
        unit=version.obligation.unit,
        obj=decision,
        before={"finding": finding},
        after={"dismissed": True, "reason": decision.reason},
    )
    return decision


@transaction.atomic
def restore_finding(actor: Any, version: ReportVersion, index: int) -> None:
    """Undo a 误报: the finding counts again, and the log keeps both decisions."""
    decision = (
        FindingDecision.objects.select_for_update()
        .filter(version=version, finding_index=index)
        .first()
    )
    if decision is None:
        raise ActionRefused("该问题没有被标为误报，无需撤销。")
    obligation = version.obligation
    if decision.rule == "private-info" and obligation.state == State.PUBLISHED:
        raise ActionRefused("报告已公开，不能撤销个人信息的核实结果。")
    findings = version.analysis.get("findings", [])
    finding = findings[index] if index < len(findings) else {"rule": decision.rule}
    decision.delete()
    record(
        actor,
        "finding.restore",
        f"撤销对问题“{finding.get('message', '')[:60]}”的误报标记",
        unit=obligation.unit,
        obj=version,
        before={"finding": finding, "dismissed": True, "reason": decision.reason},
        after={"dismissed": False},
    )


@transaction.atomic
def correct_indicator(
    actor: Any, obligation: Obligation, indicator: str, value: float, unit: str, reason: str
) -> IndicatorCorrection:
    before = obligation.values.filter(indicator=indicator).values("value", "unit").first()
    correction = IndicatorCorrection.objects.create(
        obligation=obligation,
        indicator=indicator,
        value=value,
        unit=unit,
        reason=_reason(reason),
        corrected_by=actor,
    )
    rebuild_indicators(obligation)
    record(
        actor,
        "indicator.correct",
        f"更正指标“{_indicator_name(indicator)}”为{value:g}{unit}：{correction.reason}",
        unit=obligation.unit,
        obj=correction,
        before=before,
        after={
            "indicator": indicator,
            "value": value,
            "unit": unit,
            "reason": correction.reason,
        },
    )
    return correction


@transaction.atomic
def confirm_indicator(
    actor: Any,
    obligation: Obligation,
    indicator: str,
    *,
    expected: tuple[float, str] | None = None,
) -> IndicatorConfirmation:
    """核对无误: the engine's current value of the indicator is right.

    `expected` is the (value, unit) the reviewer saw: if the value has changed since
    (a new version was handed in), nothing is confirmed.
    """
    name = _indicator_name(indicator)
    current = obligation.values.filter(indicator=indicator).first()
    if current is None:
        raise ActionRefused(f"该报告没有指标“{name}”的数值，无法核对。")
    if current.corrected:
        raise ActionRefused(f"指标“{name}”已由审查员更正，无需核对。")
    if current.confirmed:
        raise ActionRefused(f"指标“{name}”已核对过。")
    if expected is not None and not confirms(expected[0], expected[1], current.value, current.unit):
        raise ActionRefused(
            f"指标“{name}”的数值已变为{current.value:g}{current.unit}，请核对后再确认。"
        )
    confirmation = IndicatorConfirmation.objects.create(
        obligation=obligation,
        indicator=indicator,
        value=current.value,
        unit=current.unit,
        confirmed_by=actor,
    )
    rebuild_indicators(obligation)
    record(
        actor,
        "indicator.confirm",
        f"核对指标“{name}”：{current.value:g}{current.unit}无误",
        unit=obligation.unit,
        obj=confirmation,
        before={"value": current.value, "unit": current.unit, "confirmed": False},
        after={
            "indicator": indicator,
            "value": current.value,
            "unit": current.unit,
            "confirmed": True,
        },
    )
    return confirmation


QUOTE_LENGTH = 40
# A review comment is a paragraph or a list, not a document.
COMMENT_MAX = 5000


@transaction.atomic
def add_comment(
    actor: Any,
    obligation: Obligation,
    body: str,
    kind: str = Comment.Kind.COMMENT,
    *,
    finding: tuple[ReportVersion, int] | None = None,
) -> Comment:
    """A comment on the report, or with `finding` (version, index) a margin comment on one."""
    if not body.strip():
        raise ActionRefused("意见内容不能为空。")
    if len(body.strip()) > COMMENT_MAX:
        raise ActionRefused(f"意见内容不能超过{COMMENT_MAX}字，请精简后再发表。")
    version, index, rule, quote = obligation.current_version, None, "", ""
    if finding is not None:
        version, index = finding
        findings = version.analysis.get("findings", [])
        if version.obligation_id != obligation.pk or not 0 <= index < len(findings):
            raise ActionRefused("该问题不存在。")
        rule = findings[index]["rule"]
        start, end = findings[index].get("start"), findings[index].get("end")
        if isinstance(start, int) and isinstance(end, int) and end > start:
            quote = version.text[start:end]
        else:
            quote = findings[index].get("message", "")
        if len(quote) > QUOTE_LENGTH:
            quote = quote[: QUOTE_LENGTH - 1] + "…"
    comment = Comment.objects.create(
        obligation=obligation,
        version=version,
        kind=kind,
        body=body.strip(),
        author=actor,
        finding_index=index,
        finding_rule=rule,
        quote=quote,
    )
    about = {"quote": quote} if quote else {}
    record(
        actor,
        f"comment.{kind}",
        f"{comment.get_kind_display()}：{comment.body[:80]}",
        unit=obligation.unit,
        obj=comment,
        after={"body": comment.body, **about},
    )
    return comment


@transaction.atomic
def hide_comment(actor: Any, comment: Comment, reason: str) -> None:
    comment.hidden_reason = _reason(reason)
    comment.hidden_by = actor
    comment.save(update_fields=["hidden_reason", "hidden_by"])
    record(
        actor,
        "comment.hide",
        f"隐藏意见：{comment.hidden_reason}",
        unit=comment.obligation.unit,
        obj=comment,
        before={"body": comment.body},
        after={"hidden_reason": comment.hidden_reason},
    )


def _transition(
    actor: Any,
    obligation: Obligation,
    allowed: set[str],
    new: str,
    action: str,
    summary: str,
    recorded: dict[str, Any] | None = None,
) -> None:
    locked = Obligation.objects.select_for_update().get(pk=obligation.pk)
    if locked.state not in allowed:
        raise ActionRefused(f"报告当前状态为“{locked.get_state_display()}”，不能{summary}。")
    before = locked.state
    locked.state = new
    stamp = {State.FILED: "filed_at", State.PUBLISHED: "published_at"}.get(State(new))
    fields = ["state"]
    if stamp:
        setattr(locked, stamp, timezone.now())
        fields.append(stamp)
    locked.save(update_fields=fields)
    obligation.refresh_from_db()
    record(
        actor,
        action,
        summary,
        unit=locked.unit,
        obj=locked,
        before={"state": before},
        after={"state": new, **(recorded or {})},
    )


@transaction.atomic
def return_report(actor: Any, obligation: Obligation, comment: str) -> None:
    if not comment.strip():
        raise ActionRefused("退回时请写明修改意见。")
    _transition(
        actor, obligation, {State.SUBMITTED}, State.RETURNED, "obligation.return", "退回修改"
    )
    add_comment(actor, obligation, comment, Comment.Kind.RETURN)


@transaction.atomic
def approve(actor: Any, obligation: Obligation) -> None:
    _transition(actor, obligation, {State.SUBMITTED}, State.FILED, "obligation.file", "备案")


def unresolved_private_info(version: ReportVersion | None) -> list[int]:
    """private-info findings not yet dismissed or overridden: they block publication."""
    if version is None:
        return []
    decided = set(version.decisions.values_list("finding_index", flat=True))
    return [
        i
        for i, f in enumerate(version.analysis.get("findings", []))
        if f["rule"] == "private-info" and i not in decided
    ]


@transaction.atomic
def publish(actor: Any, obligation: Obligation, fields: publication.Fields | None = None) -> None:
    """Publish after 保密审查: personal data findings must all be resolved first.

    `fields` are the 索引号, 发布机构, 主题分类 and 成文日期 the reviewer confirmed;
    without them, what the publish dialog proposes.
    """
    pending = unresolved_private_info(obligation.current_version)
    if pending:
        raise ActionRefused(
            f"保密审查未通过：还有{len(pending)}处疑似个人信息未处理，请先核实并说明理由后再公开。"
        )
    fields = publication.clean(fields or publication.propose(obligation))
    _transition(
        actor,
        obligation,
        {State.FILED},
        State.PUBLISHED,
        "obligation.publish",
        "公开",
        publication.recorded(fields),
    )
    publication.store(obligation, fields)
    index_obligation(obligation)


ISSUER_MAX = NoticeHeading._meta.get_field("issuer").max_length
NUMBER_MAX = NoticeHeading._meta.get_field("number").max_length


@transaction.atomic
def issue_notice(
    actor: Any, cycle: ReportingYear, issuer: str, number: str, counts: dict[str, int]
) -> NoticeHeading:
    """Keep the 发文机关 and 文号 for next time and log who drew up the 通报.

    A 通报 names units publicly inside the government, so every one is logged.
    """
    issuer, number = " ".join(issuer.split()), number.strip()
    if not issuer:
        raise ActionRefused("请填写发文机关全称。")
    if not number:
        raise ActionRefused("请填写文号。")
    if len(issuer) > ISSUER_MAX or len(number) > NUMBER_MAX:
        raise ActionRefused(f"发文机关不能超过{ISSUER_MAX}个字，文号不能超过{NUMBER_MAX}个字。")
    heading = NoticeHeading.objects.select_for_update().filter(reporting_year=cycle).first()
    before = {"issuer": heading.issuer, "number": heading.number} if heading else None
    if heading is None:
        heading = NoticeHeading(reporting_year=cycle)
    heading.issuer, heading.number, heading.updated_by = issuer, number, actor
    heading.save()
    record(
        actor,
        "notice.generate",
        f"以“{issuer}”名义生成{cycle.year}年度报告报送情况通报（{number}）",
        unit=cycle.office,
        obj=cycle,
        before=before,
        after={"year": cycle.year, "issuer": issuer, "number": number, **counts},
    )
    return heading


# -- the 通报's contents ------------------------------------------------------------

# What the board and the notice read of an obligation: never the report itself.
OBLIGATION_FIELDS = (
    "id", "state", "deadline", "extended_to", "extension_reason", "submitted_at",
    "reporting_year_id", "unit__id", "unit__name", "unit__level", "unit__path",
)  # fmt: skip


def notice_summary(access: Any, cycle: ReportingYear, today: Any) -> notice_doc.Summary:
    """The 通报's categories over the year's obligations the access reaches."""
    obligations = list(
        Obligation.objects.filter(reporting_year=cycle)
        .filter(access.obligation_filter())
        .select_related("unit")
        .only(*OBLIGATION_FIELDS, "current_version_id")
        .order_by("unit_path", "pk")
    )
    returned_at = dict(
        Comment.objects.filter(obligation__reporting_year=cycle, kind=Comment.Kind.RETURN)
        .values("obligation_id")
        .annotate(last=Max("created_at"))
        .values_list("obligation_id", "last")
    )
    return notice_doc.summarize(obligations, today, returned_at)


def notice_quality(access: Any, cycle: ReportingYear) -> notice_doc.Quality:
    """The handed-in reports' current versions, with the findings reviewers dismissed."""
    handed_in = (
        Obligation.objects.filter(reporting_year=cycle, submitted_at__isnull=False)
        .filter(access.obligation_filter())
        .exclude(current_version=None)
        .order_by("unit_path", "pk")
        .values_list("unit__name", "current_version_id")
    )
    units = dict((version_id, unit) for unit, version_id in handed_in)
    versions = ReportVersion.objects.filter(pk__in=units).only("id", "text", "analysis")
    dismissed: dict[int, set[int]] = {}
    for version_id, index in FindingDecision.objects.filter(version_id__in=units).values_list(
        "version_id", "finding_index"
    ):
        dismissed.setdefault(version_id, set()).add(index)
    by_id = {v.pk: v for v in versions}
    return notice_doc.assess_quality(
        (unit, by_id[pk], dismissed.get(pk, set())) for pk, unit in units.items()
    )
