"""The audit log reads as Chinese sentences, built from what real service calls recorded."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from fazhi_web.audit import wording
from fazhi_web.audit.log import record
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Obligation
from fazhi_web.review import services as review_services
from fazhi_web.units import services as unit_services
from fazhi_web.units.models import Level, Role

pytestmark = pytest.mark.django_db
# An identifier as code writes it: obligation.submit, study_sessions, parent_id.
IDENTIFIER = re.compile(r"[A-Za-z]+(?:[._][A-Za-z]+)+")


def said(action: str) -> str:
    entry = AuditEntry.objects.filter(action=action).latest("id")
    return f"{entry.actor_name} {wording.sentence(entry)}"


@pytest.fixture
def season(world, seed_bytes):
    """A year of work on the town's report, through the services, as on the platform."""
    report_services.set_deadline_rule(world.admin, world.city, Level.TOWN, 3, 31)
    report_services.set_deadline_rule(world.admin, world.city, Level.TOWN, 4, 30)
    cycle = report_services.open_year(world.admin, world.city, 2023)
    town = Obligation.objects.get(reporting_year=cycle, unit=world.town)
    report_services.grant_extension(world.admin, town, dt.date(2024, 5, 31), "汛期抢险")
    version = report_services.upload_version(
        world.reporter, town, "清河镇报告.txt", seed_bytes["002"]
    )
    report_services.submit(world.reporter, town, version)
    version.refresh_from_db()
    index = next(
        i for i, f in enumerate(version.analysis["findings"]) if f["rule"] == "duplicate-sentence"
    )
    review_services.dismiss_finding(world.reviewer, version, index, "两处统计口径不同")
    review_services.restore_finding(world.reviewer, version, index)
    before = town.values.get(indicator="petitions_received")
    review_services.correct_indicator(
        world.reviewer, town, "petitions_received", 118, "宗", "属于信访受理范围的是118宗"
    )
    review_services.add_comment(world.reviewer, town, "请核对", finding=(version, index))
    review_services.return_report(world.reviewer, town, "请补充不足和原因")
    unit_services.create_user(
        world.admin, username="zhang", full_name="张填报", password="Xk9!mq2#Lr7$",
        unit=world.town, role=Role.REPORTER,
    )  # fmt: skip
    return {"before": before}


def test_sentences_read_like_the_office_would_write_them(world, season):
    before = season["before"]
    assert said("indicator.correct") == (
        f"李审查 将 信访事项受理数 由 {before.value:g}宗 更正为 118宗，理由：属于信访受理范围的是118宗"
    )
    assert (
        said("deadline.set")
        == "赵管理 将 乡镇（街道） 报送截止日期 由 次年3月31日 改为 次年4月30日"
    )
    assert said("year.open").startswith("赵管理 开启 2023 年度报告，共 ")
    assert said("obligation.extend") == (
        "赵管理 同意 南湖区清河镇 延期至 2024年5月31日，理由：汛期抢险"
    )
    assert said("version.upload") == "王填报 上传 第1版“清河镇报告.txt”"
    # Handed in after the extended deadline of 2024年5月31日.
    assert said("obligation.submit") == "王填报 报送 第1版（逾期）"
    assert said("finding.dismiss").endswith("标为误报，理由：两处统计口径不同")
    assert said("finding.restore").startswith("李审查 撤销对问题“")
    assert said("obligation.return") == "李审查 退回 南湖区清河镇的报告"
    assert said("comment.return") == "李审查 就 南湖区清河镇的报告 发表退回意见：请补充不足和原因"
    assert said("comment.comment").startswith("李审查 就 南湖区清河镇的报告中“")
    assert said("user.create") == "赵管理 新建用户 张填报，担任 南湖区清河镇填报员"


def test_a_unit_change_lists_what_changed(world):
    unit_services.update_unit(
        world.admin, world.town, name="南湖区清河街道", level=Level.TOWN, region="东江市南湖区",
        parent=world.district,
    )  # fmt: skip
    assert said("unit.update") == (
        "赵管理 修改单位 南湖区清河镇：名称 由 南湖区清河镇 改为 南湖区清河街道；"
        "地区 由 东江市南湖区清河镇 改为 东江市南湖区"
    )


def test_no_entry_shows_a_code_field_name_or_json(world, season):
    for entry in AuditEntry.objects.all():
        sentence = wording.sentence(entry)
        assert not re.search(r"[A-Za-z]", sentence.replace(".txt", "")), (entry.action, sentence)
        assert wording.action_label(entry.action) != wording.OTHER_ACTION, entry.action
        for change in wording.changes(entry):
            assert not re.search(r"[A-Za-z]", change.label), change
            for value in (change.before, change.after):
                assert not IDENTIFIER.search(value.replace(".txt", "")), (entry.action, change)
                assert "{" not in value and '"' not in value, (entry.action, change)


def test_values_are_named_not_coded():
    assert wording.show("state", "submitted", "obligation.submit") == "已报送"
    assert wording.show("state", "failed", "version.retry_analysis") == "分析失败"
    assert wording.show("level", "department") == "政府部门"
    assert wording.show("role", "reviewer") == "审查员"
    assert wording.show("indicator", "study_sessions") == "领导干部学法次数"
    assert wording.show("indicator", "no_such_thing") == "未知指标"
    assert wording.show("revoked", True) == "是"
    assert wording.show("extended_to", "2024-05-31") == "2024年5月31日"
    assert wording.show("value", 118.0) == "118"
    assert wording.show("reason", None) == "—"


def test_an_older_correction_entry_names_its_indicator_from_the_summary(world):
    record(
        world.reviewer,
        "indicator.correct",
        "更正指标study_sessions为12次：含专题学法",
        unit=world.town,
        before={"value": 7.0, "unit": "次"},
        after={"value": 12.0, "unit": "次", "reason": "含专题学法"},
    )
    assert (
        said("indicator.correct")
        == "李审查 将 领导干部学法次数 由 7次 更正为 12次，理由：含专题学法"
    )


def test_the_background_analysis_entries(world):
    # As reports/analysis.py writes them.
    record(None, "version.analyse", "第2版“定稿.docx”分析完成（得分81.5）", unit=world.town,
           after={"score": 81.5, "findings": 4})  # fmt: skip
    assert said("version.analyse") == "系统 完成 第2版“定稿.docx”的分析，得分 81.5"
    record(None, "version.analysis_failed", "第2版“定稿.docx”分析失败：ValueError('x')",
           unit=world.town)  # fmt: skip
    assert said("version.analysis_failed") == "系统 分析 第2版“定稿.docx”时出错，分析失败"
    record(None, "version.reanalyse", "按现行规则重新分析第2版“定稿.docx”（得分80→81.5）",
           unit=world.town, before={"score": 80, "findings": 5},
           after={"score": 81.5, "findings": 4})  # fmt: skip
    assert said("version.reanalyse") == (
        "系统 按现行规则重新分析 第2版“定稿.docx”，得分 由 80 变为 81.5"
    )


def test_an_unknown_action_shows_its_summary_under_a_plain_label(client, world):
    record(world.admin, "something.new", "做了一件新的事", unit=world.town)
    client.force_login(world.admin)
    html = client.get(reverse("audit:log")).content.decode()
    assert "<strong>赵管理</strong> 做了一件新的事" in html
    assert '<span class="badge">其他操作</span>' in html
