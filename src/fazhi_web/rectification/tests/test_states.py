"""Each state change of an item, and the gates between the unit and the office."""

from __future__ import annotations

import hashlib
import re

import pytest

from fazhi_web.audit import wording
from fazhi_web.audit.models import AuditEntry
from fazhi_web.rectification import services
from fazhi_web.rectification.models import Evidence, ItemState, Source
from fazhi_web.rectification.tests.conftest import PDF, PNG, D
from fazhi_web.reports.services import ActionRefused

pytestmark = pytest.mark.django_db


def said(action: str) -> str:
    entry = AuditEntry.objects.filter(action=action).latest("id")
    return f"{entry.actor_name} {wording.sentence(entry)}"


def test_a_finding_becomes_an_item_of_the_next_year(world, handed_in, item):
    _, version = handed_in
    assert item.state == ItemState.OPEN and item.source == Source.FINDING
    assert item.unit == world.town and item.office == world.city and item.year == 2024
    assert item.problem == version.analysis["findings"][0]["message"]
    assert said("rectification.raise").startswith("李审查 将“")
    assert "列入 南湖区清河镇 的整改事项（来源：审查发现）" in said("rectification.raise")
    with pytest.raises(ActionRefused, match="已列入整改"):
        services.raise_from_finding(world.reviewer, version, 0, limit_days=5)


def test_the_unit_answers_and_the_office_closes(world, item):
    evidence = services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    services.submit(world.reporter, item, "已完成案卷评查，逐卷整改")
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and item.submitted_at is not None
    services.close(world.reviewer, item)
    item.refresh_from_db()
    assert item.state == ItemState.CLOSED and item.closed_by == world.reviewer
    assert said("rectification.evidence") == (
        "王填报 为 南湖区清河镇 的整改事项上传佐证材料“整改报告.pdf”"
    )
    assert said("rectification.close").startswith("李审查 销号 南湖区清河镇 的整改事项“")
    with pytest.raises(ActionRefused):
        services.close(world.reviewer, item)


def test_the_office_sends_it_back_with_a_reason(world, item):
    services.add_evidence(world.reporter, item, "照片.png", PNG)
    services.submit(world.reporter, item, "已整改")
    with pytest.raises(ActionRefused, match="退回理由"):
        services.send_back(world.reviewer, item, "  ")
    services.send_back(world.reviewer, item, "佐证材料不能说明问题已解决")
    item.refresh_from_db()
    assert item.state == ItemState.OPEN and item.return_reason == "佐证材料不能说明问题已解决"
    assert said("rectification.return").endswith("理由：佐证材料不能说明问题已解决")
    # Back with the unit: it may add evidence and submit again.
    services.add_evidence(world.reporter, item, "补充材料.pdf", PDF)
    services.submit(world.reporter, item, "补充整改")
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED


def test_a_unit_cannot_close_its_own_item(world, item):
    services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    services.submit(world.reporter, item, "已整改")
    for act in (
        lambda: services.close(world.reporter, item),
        lambda: services.send_back(world.reporter, item, "自行退回"),
        lambda: services.escalate(world.reporter, item, "自行督办"),
    ):
        with pytest.raises(ActionRefused, match="责任单位不能为本单位事项销号"):
            act()
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED and not item.escalated


def test_the_office_cannot_answer_for_the_unit(world, item):
    with pytest.raises(ActionRefused, match="审查机关不能代为提交"):
        services.add_evidence(world.reviewer, item, "代交.pdf", PDF)
    with pytest.raises(ActionRefused, match="审查机关不能代为提交"):
        services.submit(world.reviewer, item, "代为填报")
    item.refresh_from_db()
    assert item.state == ItemState.OPEN and not Evidence.objects.exists()


def test_closing_needs_evidence(world, item):
    services.submit(world.reporter, item, "已整改，材料另行报送")
    with pytest.raises(ActionRefused, match="没有佐证材料"):
        services.close(world.reviewer, item)
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED


def test_submitting_needs_measures_and_an_open_item(world, item):
    with pytest.raises(ActionRefused, match="整改措施"):
        services.submit(world.reporter, item, " ")
    services.submit(world.reporter, item, "已整改")
    with pytest.raises(ActionRefused, match="不能重复提交"):
        services.submit(world.reporter, item, "再次提交")
    with pytest.raises(ActionRefused, match="不能再上传"):
        services.add_evidence(world.reporter, item, "迟到.pdf", PDF)


def test_escalation_is_marked_and_lifted_by_the_office(world, item):
    with pytest.raises(ActionRefused, match="督办理由"):
        services.escalate(world.reviewer, item, "")
    services.escalate(world.reviewer, item, "逾期未整改")
    item.refresh_from_db()
    assert item.escalated and item.escalation_reason == "逾期未整改"
    assert said("rectification.escalate").endswith("理由：逾期未整改")
    services.escalate(world.reviewer, item, "")
    item.refresh_from_db()
    assert not item.escalated
    assert said("rectification.unescalate").startswith("李审查 取消挂牌督办 南湖区清河镇")


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("程序.exe", b"MZ\x90\x00", "不支持"),
        ("空.pdf", b"", "空文件"),
        ("伪装.pdf", b"\x89PNG\r\n\x1a\n", "内容与扩展名不符"),
        ("伪装.png", PDF, "内容与扩展名不符"),
    ],
)
def test_odd_evidence_is_refused_in_chinese(world, item, name, content, refusal):
    with pytest.raises(ActionRefused, match=refusal):
        services.add_evidence(world.reporter, item, name, content)
    assert not Evidence.objects.exists()


def test_a_time_limit_is_a_date_or_working_days_not_both(world, handed_in):
    _, version = handed_in
    with pytest.raises(ActionRefused, match="二者选一"):
        services.raise_from_finding(world.reviewer, version, 1)
    with pytest.raises(ActionRefused, match="二者选一"):
        services.raise_from_finding(
            world.reviewer, version, 1, due_on=D("2030-01-01"), limit_days=5
        )
    with pytest.raises(ActionRefused, match="1到365"):
        services.raise_from_finding(world.reviewer, version, 1, limit_days=0)


def test_overdue_counts_working_days_over_the_national_day_holiday(world, handed_in, monkeypatch):
    # Raised on Friday 2024-09-27 with 5 working days: Sunday 29 September is a shifted
    # working day, 1–7 October the holiday; the 时限 is 10 October, not 4 October.
    monkeypatch.setattr(services, "today", lambda: D("2024-09-27"))
    _, version = handed_in
    item = services.raise_from_finding(world.reviewer, version, 0, limit_days=5)
    assert services.due_date(item) == D("2024-10-10")
    assert not services.is_overdue(item, D("2024-10-08"))
    assert not services.is_overdue(item, D("2024-10-10"))
    assert services.is_overdue(item, D("2024-10-11"))
    # Overdue is the unit's while it has not answered; an answered item waits on the office.
    services.submit(world.reporter, item, "已整改")
    item.refresh_from_db()
    assert not services.is_overdue(item, D("2024-10-11"))


def test_the_api_for_other_apps(world, handed_in, item, monkeypatch):
    _, version = handed_in
    second = services.raise_from_finding(world.reviewer, version, 1, limit_days=5)
    assert services.closure_rate(world.town, 2024) == 0.0
    assert services.closure_rate(world.town, 2023) is None
    assert set(services.open_items(world.town, 2024)) == {item, second}
    services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    services.submit(world.reporter, item, "已整改")
    services.close(world.reviewer, item)
    assert services.closure_rate(world.town, 2024) == 0.5
    assert list(services.open_items(world.town, 2024)) == [second]
    later = services.due_date(second).replace(year=2031)
    assert services.open_counts([world.town.pk, world.bureau.pk], later) == {
        world.town.pk: services.OpenCount(open=1, overdue=1)
    }


def test_an_inspection_and_its_problems(world):
    inspection = services.record_inspection(
        world.reviewer, world.city, held_on=D("2024-06-12"), team="第一督察组",
        units=[world.town, world.bureau],
    )  # fmt: skip
    item = services.raise_from_inspection(
        world.reviewer, inspection, world.bureau, problem="规范性文件未按期报送备案",
        due_on=D("2030-07-31"),
    )  # fmt: skip
    assert item.year == 2024 and item.source == Source.INSPECTION
    assert said("inspection.record") == (
        "李审查 记录 2024年6月12日 第一督察组对 南湖区清河镇、东江市司法局 的督察"
    )
    with pytest.raises(ActionRefused, match="不在本次督察"):
        services.raise_from_inspection(
            world.reviewer, inspection, world.district, problem="x", limit_days=5
        )
    with pytest.raises(ActionRefused, match="不能晚于今天"):
        services.record_inspection(
            world.reviewer, world.city, held_on=D("2099-01-01"), team="组", units=[world.town]
        )


def test_every_entry_reads_as_chinese(world, item):
    services.add_evidence(world.reporter, item, "整改报告.pdf", PDF)
    services.submit(world.reporter, item, "已整改")
    services.send_back(world.reviewer, item, "材料不全")
    services.escalate(world.reviewer, item, "逾期")
    services.escalate(world.reviewer, item, "")
    services.submit(world.reporter, item, "补充整改")
    services.close(world.reviewer, item)
    services.record_inspection(
        world.reviewer, world.city, held_on=D("2024-06-12"), team="第一督察组", units=[world.town]
    )
    entries = AuditEntry.objects.filter(action__startswith=("rectification.")) | (
        AuditEntry.objects.filter(action="inspection.record")
    )
    assert entries.count() == 9
    for entry in entries:
        assert wording.action_label(entry.action) != wording.OTHER_ACTION, entry.action
        sentence = wording.sentence(entry).replace(".pdf", "")
        # The raised finding's message quotes the report, which may hold Latin letters.
        if entry.action != "rectification.raise":
            assert not re.search(r"[A-Za-z]", sentence), (entry.action, sentence)
        for change in wording.changes(entry):
            for value in (change.before, change.after):
                assert value not in ItemState.values and value not in Source.values, change
