"""Reviewers' actions on a report; each checks the cycle's rules and writes the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi_web.audit.log import record
from fazhi_web.reports.models import Obligation, ReportVersion, State
from fazhi_web.reports.services import ActionRefused, rebuild_indicators
from fazhi_web.review.models import Comment, FindingDecision, IndicatorCorrection


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
        f"更正指标{indicator}为{value:g}{unit}：{correction.reason}",
        unit=obligation.unit,
        obj=correction,
        before=before,
        after={"value": value, "unit": unit, "reason": correction.reason},
    )
    return correction


# A review comment is a paragraph or a list, not a document.
COMMENT_MAX = 5000


@transaction.atomic
def add_comment(
    actor: Any, obligation: Obligation, body: str, kind: str = Comment.Kind.COMMENT
) -> Comment:
    if not body.strip():
        raise ActionRefused("意见内容不能为空。")
    if len(body.strip()) > COMMENT_MAX:
        raise ActionRefused(f"意见内容不能超过{COMMENT_MAX}字，请精简后再发表。")
    comment = Comment.objects.create(
        obligation=obligation,
        version=obligation.current_version,
        kind=kind,
        body=body.strip(),
        author=actor,
    )
    record(
        actor,
        f"comment.{kind}",
        f"{comment.get_kind_display()}：{comment.body[:80]}",
        unit=obligation.unit,
        obj=comment,
        after={"body": comment.body},
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
    actor: Any, obligation: Obligation, allowed: set[str], new: str, action: str, summary: str
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
        after={"state": new},
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
def publish(actor: Any, obligation: Obligation) -> None:
    """Publish after 保密审查: personal data findings must all be resolved first."""
    pending = unresolved_private_info(obligation.current_version)
    if pending:
        raise ActionRefused(
            f"保密审查未通过：还有{len(pending)}处疑似个人信息未处理，请先核实并说明理由后再公开。"
        )
    _transition(actor, obligation, {State.FILED}, State.PUBLISHED, "obligation.publish", "公开")
    from fazhi_web.portal.search import index_obligation

    index_obligation(obligation)


def notice_generated(actor: Any, cycle: Any, counts: dict[str, int]) -> None:
    """A 通报 names units publicly inside the government, so who drew it up is logged."""
    record(
        actor,
        "notice.generate",
        f"生成{cycle.year}年度报告报送情况通报",
        unit=cycle.office,
        obj=cycle,
        after={"year": cycle.year, **counts},
    )
