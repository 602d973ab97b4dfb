"""Copying and editing a framework, scoring, adjusting and publishing: each through a
service that refuses what the rules forbid and writes the audit log in plain Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from fazhi_web.audit import wording
from fazhi_web.audit.models import AuditEntry
from fazhi_web.evaluation import services
from fazhi_web.evaluation.models import Score
from fazhi_web.evaluation.services import EvaluationRefused
from fazhi_web.evaluation.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def said(action: str) -> str:
    entry = AuditEntry.objects.filter(action=action).latest("id")
    return f"{entry.actor_name} {wording.sentence(entry)}"


def test_copying_a_framework_is_logged_and_happens_once_a_year(world, season):
    assert season.framework.criteria.count() == 33 and season.framework.total == 100
    assert said("evaluation.copy") == (
        f"李审查 复制“市县法治政府建设示范指标体系（2021年版）”为 {YEAR} 年度考评方案，共 33 项三级指标"
    )
    with pytest.raises(EvaluationRefused, match="已经建立"):
        services.copy_framework(world.reviewer, world.city, YEAR)


def test_editing_a_criterion_changes_only_the_office_copy_and_is_logged(world, season):
    criterion = season.criterion("1.1.1")
    services.edit_criterion(
        world.reviewer, criterion, text="行政审批事项全部网上可办。", points="3",
        evidence_kind="report_indicator", evidence_params={"indicator": "online_service_rate", "at_least": 100},
    )  # fmt: skip
    criterion.refresh_from_db()
    assert (criterion.points, criterion.evidence_kind) == (Decimal(3), "report_indicator")
    assert said("evaluation.criterion_edit") == (
        "李审查 修改考评指标 1.1.1：指标内容 由 全面普及行政审批服务“马上办、网上办、就近办、一次办、自助办”，"
        "行政审批事项在法定期限内完成并不断压缩办理时限。 改为 行政审批事项全部网上可办。；"
        "分值 由 2 改为 3；评分依据 由 审查员评分 改为 报告所述指标：网上可办率，达标值100"
    )
    # Another year's copy starts again from the file.
    other = services.copy_framework(world.reviewer, world.city, YEAR - 1)
    assert other.criteria.get(number="1.1.1").points == 2
    with pytest.raises(EvaluationRefused, match="缺少参数"):
        services.edit_criterion(
            world.reviewer, criterion, text="x", points=1, evidence_kind="part", evidence_params={}
        )


def test_an_adjustment_of_an_automatic_score_needs_a_reason_and_is_audited(world, season):
    services.compute(world.reviewer, season.framework)
    score = Score.objects.get(criterion=season.criterion("8.1.1"), unit=world.town)
    assert score.value == 0 and score.measured == 0
    entries = AuditEntry.objects.count()
    for reason in ("", "   "):
        with pytest.raises(EvaluationRefused, match="必须写明理由"):
            services.adjust_score(world.reviewer, score, 3, reason)
    with pytest.raises(EvaluationRefused, match="应在0到3分之间"):
        services.adjust_score(world.reviewer, score, 4, "超过分值")
    assert AuditEntry.objects.count() == entries
    score.refresh_from_db()
    assert score.value == 0 and not score.adjusted

    reason = "第一责任人履职情况写在报告附件中"
    services.adjust_score(world.reviewer, score, 3, reason)
    score.refresh_from_db()
    assert (score.value, score.measured, score.adjusted_reason) == (Decimal(3), Decimal(0), reason)
    assert said("evaluation.adjust") == (
        f"李审查 将 南湖区清河镇 的考评指标 8.1.1 由 0 分调整为 3 分，理由：{reason}"
    )
    # Measured again, the adjustment stays in force beside the new measurement.
    services.compute(world.reviewer, season.framework)
    score.refresh_from_db()
    assert (score.value, score.measured) == (Decimal(3), Decimal(0))


def test_a_reviewer_scores_the_rest_with_a_note(world, season):
    criterion = season.criterion("1.1.1")
    with pytest.raises(EvaluationRefused, match="评分说明"):
        services.score_by_reviewer(world.reviewer, criterion, world.town, 2, "")
    with pytest.raises(EvaluationRefused, match="自动评分"):
        services.score_by_reviewer(world.reviewer, season.criterion("8.2.1"), world.town, 2, "x")
    services.score_by_reviewer(
        world.reviewer, criterion, world.town, "1.5", "“一网通办”未覆盖镇级事项"
    )
    services.score_by_reviewer(world.reviewer, criterion, world.town, 2, "补充材料后已覆盖")
    score = Score.objects.get(criterion=criterion, unit=world.town)
    assert score.value == Decimal(2) and score.measured is None
    assert score.evidence == [{"label": "审查员评分说明", "quote": "补充材料后已覆盖"}]
    assert said("evaluation.score") == (
        "李审查 将 南湖区清河镇 的考评指标 1.1.1 由 1.5 分改为 2 分，理由：补充材料后已覆盖"
    )
    # Lowering the criterion's points below a reviewer's score is refused.
    with pytest.raises(EvaluationRefused, match="高于1分"):
        services.edit_criterion(
            world.reviewer, criterion, text=criterion.text, points=1,
            evidence_kind="reviewer", evidence_params={},
        )  # fmt: skip


def test_publishing_needs_scores_and_happens_once(world, season):
    with pytest.raises(EvaluationRefused, match="请先计算"):
        services.publish(world.reviewer, season.framework)
    services.compute(world.reviewer, season.framework)
    assert said("evaluation.compute") == f"李审查 计算 {YEAR} 年度考评的自动评分：4 个单位，68 项"
    services.publish(world.reviewer, season.framework)
    assert said("evaluation.publish") == f"李审查 公布 {YEAR} 年度考评结果"
    with pytest.raises(EvaluationRefused, match="已经公布"):
        services.publish(world.reviewer, season.framework)


def test_no_evaluation_entry_shows_a_code(world, season):
    services.compute(world.reviewer, season.framework)
    score = Score.objects.get(criterion=season.criterion("8.1.1"), unit=world.town)
    services.adjust_score(world.reviewer, score, 1, "附件载明")
    services.score_by_reviewer(
        world.reviewer, season.criterion("1.1.2"), world.town, 1, "有变相许可"
    )
    services.publish(world.reviewer, season.framework)
    for entry in AuditEntry.objects.filter(action__startswith="evaluation."):
        assert wording.action_label(entry.action) != wording.OTHER_ACTION
        assert not re.search(r"[A-Za-z]", wording.sentence(entry)), entry.action
        for change in wording.changes(entry):
            assert not re.search(r"[A-Za-z_]{3,}", change.label + change.before + change.after)
