"""`manage.py reanalyze` after a rule change: new results, reviewers' work kept.

"A rule change" is played by storing an older-looking analysis (other order,
other score) and letting today's engine produce the real one again.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services
from fazhi_web.reports.models import IndicatorValue, ReportVersion
from fazhi_web.review import services as review
from fazhi_web.review.models import FindingDecision


def reanalyze() -> str:
    out = StringIO()
    call_command("reanalyze", stdout=out)
    return out.getvalue()


@pytest.fixture
def submitted(world, obligation, seed_bytes) -> ReportVersion:
    version = services.upload_version(world.reporter, obligation, "松山湖.txt", seed_bytes["000"])
    services.submit(world.reporter, obligation, version)
    return ReportVersion.objects.get(pk=version.pk)


def _age(version: ReportVersion, analysis: dict) -> None:
    ReportVersion.objects.filter(pk=version.pk).update(analysis=analysis, score=1.0)


def test_reanalysis_replaces_results_and_keeps_decisions_and_corrections(
    world, obligation, submitted
):
    current = submitted.analysis
    findings = current["findings"]
    index = next(i for i, f in enumerate(findings) if f["rule"] == "repeated-char")
    review.dismiss_finding(world.reviewer, submitted, index, "原文如此")
    key, entry = next(iter(current["indicators"].items()))
    review.correct_indicator(world.reviewer, obligation, key, 999, entry["unit"], "核实后更正")

    reversed_findings = list(reversed(findings))
    _age(submitted, {**current, "findings": reversed_findings, "score": {"total": 1.0}})
    FindingDecision.objects.update(finding_index=len(findings) - 1 - index)

    out = reanalyze()
    assert "已重新分析 1/1" in out and "1 个版本结果有变化" in out
    submitted.refresh_from_db()
    assert submitted.analysis == current and submitted.score == current["score"]["total"]
    # The dismissal follows its finding to where today's engine lists it.
    assert FindingDecision.objects.get().finding_index == index
    # The reviewer's correction still wins over the recomputed value.
    value = IndicatorValue.objects.get(obligation=obligation, indicator=key)
    assert value.value == 999 and value.corrected
    entry = AuditEntry.objects.get(action="version.reanalyse")
    assert "得分1.0→" in entry.summary and entry.actor is None


def test_a_version_whose_dismissed_finding_is_gone_is_left_alone(world, obligation, submitted):
    current = submitted.analysis
    ghost = {
        "rule": "no-such-rule",
        "severity": "warning",
        "message": "旧规则",
        "start": 0,
        "end": 2,
    }
    old = {**current, "findings": [*current["findings"], ghost], "score": {"total": 1.0}}
    _age(submitted, old)
    FindingDecision.objects.create(
        version=submitted,
        finding_index=len(old["findings"]) - 1,
        rule="no-such-rule",
        reason="误报",
        decided_by=world.reviewer,
    )
    out = reanalyze()
    assert "1 个因审查判定无法对应而保留原结果" in out
    submitted.refresh_from_db()
    assert submitted.analysis == old and submitted.score == 1.0
    assert not AuditEntry.objects.filter(action="version.reanalyse").exists()


def test_an_unchanged_result_is_not_rewritten(world, submitted):
    out = reanalyze()
    assert "0 个版本结果有变化，1 个不变" in out
    assert not AuditEntry.objects.filter(action="version.reanalyse").exists()


def test_pending_and_failed_versions_are_not_touched(world, obligation, settings):
    settings.FAZHI_INLINE_ANALYSIS_CHARS = 10
    version = services.paste_version(world.reporter, obligation, "东江市报告\n" * 5)
    assert "已重新分析" not in reanalyze()
    version.refresh_from_db()
    assert version.analysis == {} and version.analysis_state == "queued"
