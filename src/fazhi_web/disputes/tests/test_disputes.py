"""行政复议 and 行政应诉: clocks, the checks on each step, and the figures from records."""

from __future__ import annotations

import pytest

from fazhi.clocks import ClockState
from fazhi_web.audit.models import AuditEntry
from fazhi_web.disputes import figures
from fazhi_web.disputes import services as dispute_services
from fazhi_web.disputes.ledger import LITIGATIONS, RECONSIDERATIONS
from fazhi_web.ledgers import casebook, deadlines
from fazhi_web.ledgers import figures as all_figures
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.reports.services import ActionRefused


def case(world, number="东复〔2024〕1号", received="2024-09-27", unit=None, actor=None):
    return casebook.create(
        actor or world.reporter, RECONSIDERATIONS, unit or world.town,
        {"number": number, "applicant": "张某", "respondent": "清河镇综合执法办",
         "matter": "不服行政处罚", "received_on": D(received)},
    )  # fmt: skip


def step(world, obj, name, **values):
    return casebook.apply_event(world.reporter, RECONSIDERATIONS, obj, name, values)


def suit(world, number="(2024)东0102行初1号", filed="2024-03-01", stage="first"):
    return casebook.create(
        world.reporter, LITIGATIONS, world.town,
        {"number": number, "court": "南湖区人民法院", "stage": stage, "plaintiff": "李某",
         "filed_on": D(filed)},
    )  # fmt: skip


def test_acceptance_is_due_in_five_working_days_and_met_by_accepting_or_refusing(world):
    obj = case(world)
    [clock] = RECONSIDERATIONS.clocks(obj, deadlines.Calendars())
    assert clock.due == D("2024-10-10")  # 09-29 shifted workday; National Day not counted
    assert clock.state(D("2024-12-02")) == ClockState.OVERDUE
    step(world, obj, "refuse", refused_on=D("2024-10-08"), refusal_reason="超过申请期限")
    [clock] = RECONSIDERATIONS.clocks(obj, deadlines.Calendars())
    assert clock.state(D("2024-12-02")) == ClockState.MET


def test_the_decision_is_due_in_sixty_days_and_ninety_once_extended(world):
    obj = case(world, received="2024-09-02")
    step(world, obj, "accept", accepted_on=D("2024-09-03"))
    decision = RECONSIDERATIONS.clocks(obj, deadlines.Calendars())[1]
    assert decision.due == D("2024-11-04")  # 11-02 is a Saturday
    assert decision.state(D("2024-12-02")) == ClockState.OVERDUE
    step(world, obj, "extend", extension_approved_on=D("2024-10-25"), extension_approver="局长")
    decision = RECONSIDERATIONS.clocks(obj, deadlines.Calendars())[1]
    assert (
        decision.due == D("2024-12-02") and decision.state(D("2024-12-02")) == ClockState.DUE_SOON
    )
    assert any("延长：30日" in line for line in decision.lines)


@pytest.mark.parametrize(
    ("event", "values", "message"),
    [
        ("decide", {"decided_on": D("2024-11-01"), "outcome": "upheld"}, "尚未受理"),
        ("refuse", {"refused_on": D("2024-09-20"), "refusal_reason": "x"}, "早于"),
        ("accept", {"accepted_on": D("2024-12-05")}, "晚于今天"),
        (
            "extend",
            {"extension_approved_on": D("2024-10-01"), "extension_approver": "局长"},
            "受理后",
        ),
    ],
)
def test_a_step_out_of_order_is_refused_and_changes_nothing(world, event, values, message):
    obj = case(world)
    with pytest.raises(ActionRefused, match=message):
        step(world, obj, event, **values)
    obj.refresh_from_db()
    assert obj.accepted_on is None and obj.decided_on is None and obj.refused_on is None


def test_accepted_and_refused_cannot_both_hold(world):
    obj = case(world)
    step(world, obj, "accept", accepted_on=D("2024-09-30"))
    with pytest.raises(ActionRefused, match="既受理又不予受理"):
        step(world, obj, "refuse", refused_on=D("2024-10-08"), refusal_reason="x")


def test_only_the_units_staff_keep_its_ledger_and_every_step_is_audited(world):
    with pytest.raises(ActionRefused, match="填报人员"):
        case(world, actor=world.other_reporter)
    obj = case(world)
    step(world, obj, "accept", accepted_on=D("2024-09-30"))
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "reconsideration.create" in actions and "reconsideration.accept" in actions


def test_reconsideration_figures_and_the_correction_rate(world):
    a = case(world, "1", "2024-02-01")
    b = case(world, "2", "2024-03-01")
    c = case(world, "3", "2024-04-01")
    case(world, "4", "2023-12-28")
    for obj, outcome in ((a, "revoked"), (b, "upheld"), (c, "declared_unlawful")):
        step(world, obj, "accept", accepted_on=obj.received_on)
        step(world, obj, "decide", decided_on=D("2024-05-06"), outcome=outcome)
    got = all_figures.ledger_indicators(world.town, 2024)
    assert got["reconsideration_received"].value == 3
    assert got["reconsideration_accepted"].value == 3
    assert "figure=reconsideration_received" in got["reconsideration_received"].url
    rate, note = figures.rates(world.town, 2024)["行政复议纠错率"]
    assert rate == 66.7 and note == "纠错2件 / 审结3件"


def test_litigation_count_head_appearance_and_loss_rate(world):
    first = suit(world, "1", "2024-03-01")
    appeal = suit(world, "2", "2024-06-01", stage="second")
    unheard = suit(world, "3", "2024-07-01")
    dispute_services.record_hearing(world.reporter, first, held_on=D("2024-04-10"),
                                    head_appeared=True, head_name="陈镇", head_title="镇长")  # fmt: skip
    dispute_services.record_hearing(world.reporter, appeal, held_on=D("2024-07-10"),
                                    head_appeared=False)  # fmt: skip
    casebook.apply_event(world.reporter, LITIGATIONS, first, "conclude",
                         {"concluded_on": D("2024-05-01"), "outcome": "revoked"})  # fmt: skip
    casebook.apply_event(world.reporter, LITIGATIONS, appeal, "conclude",
                         {"concluded_on": D("2024-08-01"), "outcome": "appeal_rejected"})  # fmt: skip
    got = all_figures.ledger_indicators(world.town, 2024)
    assert got["administrative_litigation"].value == 3
    assert got["head_appearance_rate"].value == 50.0
    assert got["head_appearance_rate"].note == "负责人出庭1件 / 开庭2件"
    assert unheard not in figures.records("head_appearance_rate", world.town, 2024)
    assert figures.rates(world.town, 2024)["行政应诉败诉率"] == (50.0, "败诉1件 / 审结2件")


def test_a_head_who_appeared_is_named(world):
    with pytest.raises(ActionRefused, match="姓名和职务"):
        dispute_services.record_hearing(world.reporter, suit(world), held_on=D("2024-04-10"),
                                        head_appeared=True)  # fmt: skip


def test_an_office_sees_the_figures_of_the_units_below_it(world):
    case(world, "1", "2024-02-01")
    # The district's own case: the district keeps its ledger too.
    casebook.create(
        world.district_reporter, RECONSIDERATIONS, world.district,
        {"number": "区1", "applicant": "王某", "respondent": "区城管局", "received_on": D("2024-05-01")},
    )  # fmt: skip
    office = all_figures.ledger_indicators(world.city, 2024, below=True)
    assert office["reconsideration_received"].value == 2
    assert "below=1" in office["reconsideration_received"].url
    assert (
        all_figures.ledger_indicators(world.district, 2024)["reconsideration_received"].value == 1
    )
