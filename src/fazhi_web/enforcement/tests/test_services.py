"""The gates, the clocks, the hash chain, the masking and the draw, through the services."""

from __future__ import annotations

import pytest
from django.conf import settings

from fazhi import clocks
from fazhi.clocks import ClockState
from fazhi_web import uploads
from fazhi_web.audit.models import AuditEntry
from fazhi_web.enforcement import rules, services
from fazhi_web.enforcement.models import Attachment, CaseEvent
from fazhi_web.enforcement.tests.conftest import DECISION, D, decide
from fazhi_web.ledgers.deadlines import Calendars
from fazhi_web.reports.services import ActionRefused

# -- certificates ----------------------------------------------------------------------


def test_a_certificate_is_due_soon_before_expiry_and_invalid_after(world, officers):
    cert = officers[0].certificates.get()
    assert rules.certificate_state(cert, D("2026-10-01")) == "有效"
    assert rules.certificate_state(cert, D("2026-11-01")) == "即将到期"  # 60 days before
    assert rules.certificate_state(cert, D("2027-01-01")) == "已过期"
    assert rules.valid_on(cert, D("2026-12-31")) and not rules.valid_on(cert, D("2027-01-01"))
    assert not rules.valid_on(cert, D("2021-12-31"))
    due = services.certificates_due(world.town.officers.all(), D("2026-11-01"))
    assert [c.number for c, state, _ in due] == ["440100202200", "440100202201"]
    assert services.certificates_due(world.town.officers.all(), D("2026-10-01")) == []


def test_a_revoked_or_failed_certificate_ends_that_day(world, officers):
    first, second = (o.certificates.get() for o in officers)
    services.revoke_certificate(world.reporter, first, on=D("2024-06-01"), reason="调离执法岗位")
    services.annual_review(world.reporter, second, reviewed_on=D("2024-03-01"), passed=False,
                           note="考核不合格")  # fmt: skip
    first.refresh_from_db()
    assert rules.valid_on(first, D("2024-05-31")) and not rules.valid_on(first, D("2024-06-01"))
    assert not rules.valid_on(second, D("2024-03-01"))
    assert rules.certificate_state(first, D("2024-12-02")) == "已注销"
    with pytest.raises(ActionRefused, match="已经注销"):
        services.revoke_certificate(world.reporter, first, on=D("2024-07-01"), reason="x")


def test_a_certificate_number_is_unique_and_its_dates_checked(world, officers):
    with pytest.raises(ActionRefused, match="已经登记"):
        services.add_certificate(
            world.reporter,
            officers[0],
            {"number": "440100202200", "issued_on": D("2024-01-01"), "expires_on": D("2025-01-01")},
        )
    with pytest.raises(ActionRefused, match="不晚于发证日期"):
        services.add_certificate(
            world.reporter,
            officers[0],
            {"number": "X1", "issued_on": D("2024-01-01"), "expires_on": D("2024-01-01")},
        )


# -- the certificate gate --------------------------------------------------------------


def test_an_inspection_by_an_officer_without_a_valid_certificate_is_refused(world, officers):
    uncertified = services.create_officer(world.reporter, world.town, name="周新人")
    case = services.create_case(
        world.reporter, world.town,
        {"number": "检〔2024〕1号", "kind": "inspection", "title": "日常检查", "party": "清河超市"},
        [officers[0], uncertified],
    )  # fmt: skip
    with pytest.raises(ActionRefused, match=r"周新人.*没有有效的执法证") as refused:
        services.record_event(world.reporter, case, "investigated", on=D("2024-10-10"))
    assert "行政处罚法" in str(refused.value)
    assert not CaseEvent.objects.filter(case=case).exists()


def test_a_penalty_on_a_day_the_certificate_had_expired_is_refused(world, officers):
    cert = officers[1].certificates.get()
    services.revoke_certificate(world.reporter, cert, on=D("2024-09-01"), reason="调离")
    case = services.create_case(
        world.reporter, world.town,
        {"number": "罚〔2024〕2号", "kind": "penalty", "title": "占道经营", "party": "某商行"},
        officers,
    )  # fmt: skip
    with pytest.raises(ActionRefused, match=r"陈执法.*2024-09-05"):
        services.record_event(world.reporter, case, "filed", on=D("2024-09-05"))
    # Before the revocation the same officers could act.
    services.record_event(world.reporter, case, "filed", on=D("2024-08-30"))


def test_a_penalty_needs_two_certified_officers(world, officers):
    case = services.create_case(
        world.reporter, world.town,
        {"number": "罚〔2024〕3号", "kind": "penalty", "title": "无照经营", "party": "某店"},
        officers[:1],
    )  # fmt: skip
    with pytest.raises(ActionRefused, match=r"至少2名.*第四十二条"):
        services.record_event(world.reporter, case, "filed", on=D("2024-09-05"))


def test_a_license_needs_no_certificate(world):
    clerk = services.create_officer(world.reporter, world.town, name="窗口人员")
    case = services.create_case(
        world.reporter, world.town,
        {"number": "许〔2024〕1号", "kind": "license", "title": "食品经营许可", "party": "某店"},
        [clerk],
    )  # fmt: skip
    services.record_event(world.reporter, case, "filed", on=D("2024-09-05"))


# -- the order of events ----------------------------------------------------------------


def test_events_are_recorded_in_order(world, penalty):
    with pytest.raises(ActionRefused, match=r"已登记“告知”，不能再登记在它之前的“调查”|已经登记"):
        services.record_event(world.reporter, penalty, "investigated", on=D("2024-09-21"))
    with pytest.raises(ActionRefused, match="请先登记“决定”"):
        services.record_event(world.reporter, penalty, "served", on=D("2024-10-10"))
    with pytest.raises(ActionRefused, match="早于上一环节的日期 2024-09-20"):
        services.record_event(world.reporter, penalty, "hearing", on=D("2024-09-19"))
    with pytest.raises(ActionRefused, match="晚于今天"):
        services.record_event(world.reporter, penalty, "hearing", on=D("2024-12-03"))
    # 听证 is optional: the decision may follow the notice directly.
    decide(world, penalty)
    with pytest.raises(ActionRefused, match="不能再登记在它之前的“听证”"):
        services.record_event(world.reporter, penalty, "hearing", on=D("2024-10-09"))
    assert [e.kind for e in penalty.events.all()] == [
        "filed",
        "investigated",
        "notified",
        "decided",
    ]


def test_an_event_is_audited(world, penalty):
    entry = AuditEntry.objects.filter(action="enforcement.event.notified").get()
    assert entry.unit == world.town and "告知" in entry.summary


# -- 法制审核 -----------------------------------------------------------------------------


def test_a_major_case_cannot_be_decided_without_a_legal_review(world, penalty):
    with pytest.raises(ActionRefused, match=r"重大执法决定.*法制审核.*国办发〔2018〕118号"):
        services.record_event(world.reporter, penalty, "decided", on=D("2024-10-08"))
    services.record_legal_review(
        world.reporter, penalty, reviewer="黄律", opinion="同意", reviewed_on=D("2024-10-09")
    )
    with pytest.raises(ActionRefused, match="法制审核日期 2024-10-09 晚于决定日期 2024-10-08"):
        services.record_event(world.reporter, penalty, "decided", on=D("2024-10-08"))
    services.record_event(world.reporter, penalty, "decided", on=D("2024-10-09"))
    with pytest.raises(ActionRefused, match=r"已有法制审核记录|已经作出决定"):
        services.record_legal_review(
            world.reporter, penalty, reviewer="黄律", opinion="同意", reviewed_on=D("2024-10-09")
        )


def test_a_case_not_major_needs_no_review_and_cannot_have_one(world, officers):
    case = services.create_case(
        world.reporter, world.town,
        {"number": "罚〔2024〕9号", "kind": "penalty", "title": "乱张贴", "party": "某公司",
         "decision_text": "决定警告。"},
        officers,
    )  # fmt: skip
    for kind, day in (("filed", "2024-09-01"), ("investigated", "2024-09-02"),
                      ("notified", "2024-09-03"), ("decided", "2024-09-04")):  # fmt: skip
        services.record_event(world.reporter, case, kind, on=D(day))
    with pytest.raises(ActionRefused, match="无须法制审核"):
        services.record_legal_review(
            world.reporter, case, reviewer="黄律", opinion="同意", reviewed_on=D("2024-09-04")
        )


def test_the_major_catalogue_comes_from_the_data_file_with_its_source():
    data = rules.RULES["major"]
    assert "国办发〔2018〕118号" in data["basis"] and "第五十八条" in data["basis"]
    assert {i["code"] for i in data["item"]} >= {"public_interest", "complex"}


# -- 公示 clock ---------------------------------------------------------------------------


def test_a_penalty_is_to_be_public_within_7_working_days(world, penalty):
    decide(world, penalty, "2024-10-08")
    clock = rules.publicity_clock(penalty, Calendars())
    # 10-09, 10, 11, 12 (Saturday, a shifted working day of 国庆节), 14, 15, 16.
    assert clock.due == D("2024-10-16")
    assert clock.state(D("2024-10-15")) == ClockState.DUE_SOON
    assert clock.state(D("2024-10-17")) == ClockState.OVERDUE
    assert any("国办发〔2018〕118号" in line for line in clock.lines)
    overdue = services.overdue_publications(
        world.town.enforcement_cases.all(), Calendars(), D("2024-12-02")
    )
    assert [c.record for c in overdue] == [penalty]


def test_a_coercive_decision_has_20_working_days_and_an_inspection_none(world, officers):
    assert clocks.rule("enforcement_publicity").length == 20
    case = services.create_case(
        world.reporter, world.town,
        {"number": "检〔2024〕5号", "kind": "inspection", "title": "检查", "party": "某店"}, officers,
    )  # fmt: skip
    assert rules.publicity_rule(case) is None


def test_a_province_overrides_the_publicity_clock():
    table = {
        "clock": {"enforcement_publicity_penalty": {"name": "公示", "start": "决定之日",
                                                    "unit": "working", "length": 7}},
        "override": {"广东省": {"clock": {"enforcement_publicity_penalty": {"length": 5}}}},
    }  # fmt: skip
    assert clocks.rule("enforcement_publicity_penalty", "广东省东莞市", table).length == 5
    assert clocks.rule("enforcement_publicity_penalty", "宁夏回族自治区", table).length == 7
    assert clocks.rule("enforcement_publicity_penalty").checked.startswith("https://")


# -- masking -------------------------------------------------------------------------------


def test_the_masking_rules_hide_names_ids_phones_and_addresses():
    masked = rules.mask(DECISION, ["张三"])
    for secret in ("张三", "440101198503071234", "13812345678", "幸福路8号"):
        assert secret not in masked
    assert masked.startswith("当事人张某（身份证号码：******************，住址：***，")
    # What is not personal stays: the market, the date, the law, the fine.
    for kept in ("清河镇集贸市场", "2024年9月3日", "第三十四条", "五千元"):
        assert kept in masked
    assert rules.unmasked(masked) == []


@pytest.mark.parametrize(
    "text",
    [
        "案号清综执罚〔2024〕12号",
        "罚款人民币20000元",
        "统一社会信用代码91440101MA5D123456",
        "日期20241008",
        "编号1381234567",
    ],  # 10 digits: not a mobile number
)
def test_the_masking_rules_leave_other_numbers_alone(text):
    assert rules.mask(text) == text


def test_landlines_are_masked():
    assert rules.mask("电话0769-22881234。") == "电话****-********。"


def test_a_legal_persons_name_is_not_masked(world, officers):
    case = services.create_case(
        world.reporter, world.town,
        {"number": "罚〔2024〕7号", "kind": "penalty", "title": "x", "party": "东江清河贸易有限公司",
         "party_is_person": False, "decision_text": "东江清河贸易有限公司违反规定。"},
        officers,
    )  # fmt: skip
    assert services.masked_copy(case) == "东江清河贸易有限公司违反规定。"


# -- the publication flow --------------------------------------------------------------------


def test_the_public_copy_is_masked_approved_then_published(world, penalty):
    with pytest.raises(ActionRefused, match="尚未作出决定"):
        services.prepare_publication(world.reporter, penalty)
    decide(world, penalty)
    with pytest.raises(
        ActionRefused, match="仍有未遮蔽的个人信息：自然人当事人姓名、居民身份证号码"
    ):
        services.prepare_publication(world.reporter, penalty, DECISION)
    publication = services.prepare_publication(world.reporter, penalty)
    assert "张三" not in publication.masked_text
    with pytest.raises(ActionRefused, match="尚未经审核通过"):
        services.publish(world.reporter, penalty, on=D("2024-10-10"))
    with pytest.raises(ActionRefused, match="只有上级审查人员"):
        services.approve_publication(world.reporter, penalty)
    with pytest.raises(ActionRefused, match="审核通过日期早于决定日期 2024-10-08"):
        services.approve_publication(world.reviewer, penalty, on=D("2024-10-07"))
    services.approve_publication(world.reviewer, penalty, on=D("2024-10-09"))
    with pytest.raises(ActionRefused, match="公示日期早于审核通过日期 2024-10-09"):
        services.publish(world.reporter, penalty, on=D("2024-10-08"))
    services.publish(world.reporter, penalty, on=D("2024-10-10"))
    assert list(services.public_cases()) == [penalty]
    clock = rules.publicity_clock(penalty, Calendars())
    assert clock.state(D("2024-12-02")) == ClockState.MET
    with pytest.raises(ActionRefused, match="已经公示"):
        services.prepare_publication(world.reporter, penalty, "改")


def test_an_edit_of_the_public_copy_needs_approval_again(world, penalty):
    decide(world, penalty)
    services.prepare_publication(world.reporter, penalty)
    services.approve_publication(world.reviewer, penalty)
    edited = services.prepare_publication(world.reporter, penalty, "张某销售过期食品，罚款五千元。")
    assert edited.approved_on is None


# -- the hash chain --------------------------------------------------------------------------


def _chain_of_three(world, penalty):
    events = list(penalty.events.all())
    return [
        services.add_attachment(world.reporter, events[0], kind="file", name="立案审批表.pdf", content=b"%PDF a"),
        services.add_attachment(world.reporter, events[1], kind="photo", name="现场照片.jpg", content=b"\xff\xd8 b"),
        services.add_attachment(world.reporter, events[1], kind="record", name="询问笔录.txt", content=b"c"),
    ]  # fmt: skip


def test_an_untouched_chain_verifies(world, penalty):
    items = _chain_of_three(world, penalty)
    assert items[0].previous == rules.GENESIS
    assert items[1].previous == items[0].link and items[2].previous == items[1].link
    assert rules.verify(penalty) == []
    stored = uploads.path_of(items[0].stored_name)
    assert stored.read_bytes() == b"%PDF a" and not str(stored).startswith(
        str(settings.STATIC_ROOT)
    )


def test_a_file_changed_on_disk_is_detected(world, penalty):
    items = _chain_of_three(world, penalty)
    uploads.path_of(items[1].stored_name).write_bytes(b"forged")
    assert rules.verify(penalty) == [
        "第2个记录文件“现场照片.jpg”（调查）的文件内容在上传后被改动。"
    ]


def test_an_event_edited_after_the_fact_is_detected(world, penalty):
    _chain_of_three(world, penalty)
    CaseEvent.objects.filter(case=penalty, kind="investigated").update(on=D("2024-09-11"))
    problems = rules.verify(penalty)
    assert len(problems) == 2 and all("登记信息在上传后被改动" in p for p in problems)


def test_a_removed_link_is_detected(world, penalty):
    items = _chain_of_three(world, penalty)
    # Rewriting a record's hash to match a replaced file still breaks the next link.
    Attachment.objects.filter(pk=items[1].pk).update(sha256="0" * 64, link="f" * 64)
    problems = rules.verify(penalty)
    assert any("第3个记录文件" in p and "链接不符" in p for p in problems)


def test_an_attachment_is_refused_on_a_hidden_case_or_when_empty(world, penalty):
    event = penalty.events.first()
    with pytest.raises(ActionRefused, match="文件是空的"):
        services.add_attachment(world.reporter, event, kind="file", name="a.pdf", content=b"")
    services.hide(world.reporter, penalty, "重复登记")
    with pytest.raises(ActionRefused, match="已隐藏"):
        services.add_attachment(world.reporter, event, kind="file", name="a.pdf", content=b"x")


# -- 双随机 -----------------------------------------------------------------------------------


def test_the_draw_is_recorded_and_replays(world, officers):
    for i in range(6):
        services.create_entity(world.reporter, world.town, name=f"清河商户{i}")
    inspection = services.create_inspection(
        world.reporter, world.town, title="2024年食品经营者双随机抽查", entity_count=3
    )
    services.draw_inspection(world.reporter, inspection)
    assert inspection.drawn.count() == 3 and len(inspection.seed) == 32
    assert services.draw_replays(inspection)
    assert rules.draw("s", [3, 1, 2], [9, 8], 2, 1) == rules.draw("s", [1, 2, 3], [8, 9], 2, 1)
    with pytest.raises(ActionRefused, match="不能重新抽取"):
        services.draw_inspection(world.reporter, inspection)
    first = inspection.drawn.first()
    other = next(
        e
        for e in inspection.pool["entities"]
        if e not in inspection.drawn.values_list("entity_id", flat=True)
    )
    type(first).objects.filter(pk=first.pk).update(entity_id=other)
    assert not services.draw_replays(inspection)


def test_a_draw_needs_enough_entities_and_certified_officers(world, officers):
    services.create_entity(world.reporter, world.town, name="唯一商户")
    inspection = services.create_inspection(
        world.reporter, world.town, title="抽查", entity_count=2
    )
    with pytest.raises(ActionRefused, match="只有1个对象"):
        services.draw_inspection(world.reporter, inspection)
    wide = services.create_inspection(
        world.reporter, world.town, title="抽查", entity_count=1, officer_count=3
    )
    with pytest.raises(ActionRefused, match="持有效执法证的执法人员只有2名"):
        services.draw_inspection(world.reporter, wide)


def test_results_are_published_only_when_all_are_in(world, officers):
    services.create_entity(world.reporter, world.town, name="商户甲")
    inspection = services.create_inspection(
        world.reporter, world.town, title="抽查", entity_count=1
    )
    services.draw_inspection(world.reporter, inspection)
    with pytest.raises(ActionRefused, match="还有1个"):
        services.publish_inspection(world.reporter, inspection, on=D("2024-12-01"))
    services.record_result(world.reporter, inspection.drawn.get(), inspected_on=D("2024-11-20"),
                           result="未发现问题")  # fmt: skip
    services.publish_inspection(world.reporter, inspection, on=D("2024-12-01"))
    assert list(services.public_inspections()) == [inspection]


# -- who may --------------------------------------------------------------------------------


def test_another_units_staff_may_change_nothing(world, penalty, officers):
    for call in (
        lambda u: services.record_event(u, penalty, "hearing", on=D("2024-09-25")),
        lambda u: services.create_officer(u, world.town, name="冒名"),
        lambda u: services.hide(u, penalty, "x"),
        lambda u: services.add_certificate(u, officers[0], {"number": "N", "issued_on": D("2024-01-01"), "expires_on": D("2025-01-01")}),
    ):  # fmt: skip
        for user in (world.other_reporter, world.reviewer, world.district_reporter):
            with pytest.raises(ActionRefused):
                call(user)
    assert not services.readable(world.other_reviewer, type(penalty)).exists()
    assert services.readable(world.reviewer, type(penalty)).get() == penalty


def test_every_action_has_its_chinese_wording(world, penalty):
    from fazhi_web.audit.wording import ACTION_LABELS

    decide(world, penalty)
    services.prepare_publication(world.reporter, penalty)
    services.hide(world.reporter, penalty, "重复登记")
    actions = set(
        AuditEntry.objects.filter(action__startswith="enforcement.").values_list(
            "action", flat=True
        )
    )
    assert len(actions) >= 9 and actions <= set(ACTION_LABELS)
    codes = {f"enforcement.event.{e}" for e in rules.EVENT_ORDER}
    assert codes <= set(ACTION_LABELS)
