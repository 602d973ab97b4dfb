"""信访 and 12345: clocks, checks, the hotline import from the hotline system's export,
and the figures computed from records."""

from __future__ import annotations

import pytest

from fazhi.clocks import ClockState
from fazhi_web.audit.models import AuditEntry
from fazhi_web.ledgers import casebook, deadlines, importing
from fazhi_web.ledgers import figures as all_figures
from fazhi_web.ledgers.sheets import LEDGERS, auto_mapping, read_sheet
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.ledgers.tests.test_import import xlsx
from fazhi_web.petitions import figures
from fazhi_web.petitions.ledger import HOTLINE, PETITIONS
from fazhi_web.petitions.models import HotlineCategory, HotlineOrder
from fazhi_web.reports.services import ActionRefused


def petition(world, number="2024-001", received="2024-06-03"):
    return casebook.create(
        world.reporter, PETITIONS, world.town,
        {"number": number, "petitioner": "赵某", "channel": "visit", "received_on": D(received)},
    )  # fmt: skip


def step(world, obj, name, **values):
    return casebook.apply_event(world.reporter, PETITIONS, obj, name, values)


@pytest.fixture
def categories(db):
    HotlineCategory.objects.create(
        name="咨询", limit_length=1, limit_unit="working", source="测试时限表"
    )
    HotlineCategory.objects.create(
        name="投诉", limit_length=5, limit_unit="working", source="测试时限表"
    )
    # A city's own, longer limit for complaints: the most local row wins.
    HotlineCategory.objects.create(name="投诉", region="东江市南湖区", limit_length=7,
                                   limit_unit="working", source="南湖区规定")  # fmt: skip


def test_petition_clocks_acceptance_conclusion_review_and_recheck(world):
    obj = petition(world)
    step(world, obj, "accept", accepted_on=D("2024-06-14"))
    step(world, obj, "conclude", concluded_on=D("2024-08-20"), result="予以支持")
    step(world, obj, "review", review_requested_on=D("2024-09-02"))
    accept, conclude, review = PETITIONS.clocks(obj, deadlines.Calendars())
    assert (accept.due, accept.state(D("2024-12-02"))) == (D("2024-06-18"), ClockState.MET)
    assert conclude.due == D("2024-08-13") and conclude.state(D("2024-12-02")) == ClockState.LATE
    assert review.due == D("2024-10-08") and review.state(D("2024-12-02")) == ClockState.OVERDUE
    step(world, obj, "extend", extension_approved_on=D("2024-08-01"))
    conclude = PETITIONS.clocks(obj, deadlines.Calendars())[1]
    assert conclude.due == D("2024-09-12") and conclude.state(D("2024-12-02")) == ClockState.MET


@pytest.mark.parametrize(
    ("event", "values", "message"),
    [
        ("conclude", {"concluded_on": D("2024-07-01"), "result": "x"}, "尚未受理"),
        ("review", {"review_requested_on": D("2024-07-01")}, "办结后"),
        ("recheck", {"recheck_requested_on": D("2024-07-01")}, "复查意见作出后"),
        ("accept", {"accepted_on": D("2024-05-01")}, "早于"),
    ],
)
def test_a_petition_step_out_of_order_is_refused(world, event, values, message):
    obj = petition(world)
    with pytest.raises(ActionRefused, match=message):
        step(world, obj, event, **values)


def test_petition_figures_count_received_resolved_and_the_resolution_rate(world):
    for n, received, concluded in (("1", "2024-01-10", "2024-02-20"), ("2", "2024-03-01", None),
                                   ("3", "2023-12-01", "2024-01-05"), ("4", "2024-11-20", None)):  # fmt: skip
        obj = petition(world, n, received)
        step(world, obj, "accept", accepted_on=obj.received_on)
        if concluded:
            step(world, obj, "conclude", concluded_on=D(concluded), result="已解决",
                 satisfaction="satisfied" if n == "1" else "unsatisfied")  # fmt: skip
    got = all_figures.ledger_indicators(world.town, 2024)
    assert got["petitions_received"].value == 3
    assert got["petitions_resolved"].value == 2  # 办结 in 2024, one received in 2023
    assert got["petitions_resolution_rate"].value == 33.3
    assert got["petitions_resolution_rate"].note == "已办结1件 / 本年受理3件"
    assert figures.rates(world.town, 2024)["信访事项满意率"] == (
        50.0,
        "满意和基本满意1件 / 评价2件",
    )


HEADERS = ["工单号", "诉求类别", "诉求描述", "派单时间", "办结时间", "满意度"]


def upload(world, rows):
    batch = importing.upload(
        world.reporter, "hotline", world.town, "12345导出.xlsx", xlsx(rows, HEADERS)
    )
    batch.mapping = auto_mapping(LEDGERS["hotline"], read_sheet(bytes(batch.content)).headers)
    batch.save()
    return batch


def test_the_hotline_export_imports_and_gives_close_and_satisfaction_rates(world, categories):
    rows = [
        ["DJ2024000001", "咨询", "咨询社保", "2024-03-01", "2024-03-01", "满意"],
        ["DJ2024000002", "投诉", "噪音扰民", "2024/03/04", "2024-03-14", "不满意"],
        ["DJ2024000003", "投诉", "占道经营", "2024年11月28日", None, None],
    ]
    batch = upload(world, rows)
    assert importing.preview(batch, batch.mapping).errors == []
    assert importing.run(world.reporter, batch) == 3
    assert AuditEntry.objects.filter(action="hotline_order.import").count() == 3
    got = all_figures.ledger_indicators(world.town, 2024)
    assert (got["hotline_received"].value, got["hotline_closed"].value) == (3, 2)
    assert got["hotline_close_rate"].value == 66.7
    assert figures.rates(world.town, 2024)["12345工单满意率"] == (
        50.0,
        "满意和基本满意1件 / 评价2件",
    )
    # The town lies in 南湖区: complaints have its 7 working days, closed on day 8 is late.
    late = HotlineOrder.objects.get(number="DJ2024000002")
    [clock] = HOTLINE.clocks(late, deadlines.Calendars())
    assert clock.due == D("2024-03-13") and clock.state(D("2024-12-02")) == ClockState.LATE
    assert "南湖区规定" in clock.lines[-1]


def test_a_bad_hotline_sheet_is_refused_row_by_row_and_nothing_is_imported(world, categories):
    rows = [
        ["DJ1", "咨询", "", "2024-03-01", "2024-03-01", "满意"],
        ["DJ2", "求助", "", "2024-03-01", None, None],
        ["DJ3", "咨询", "", "2024-02-30", None, None],
        ["DJ4", "咨询", "", "2024-03-05", "2024-03-01", "非常好"],
        ["DJ1", "咨询", "", "2024-03-06", None, None],
    ]
    batch = upload(world, rows)
    errors = importing.preview(batch, batch.mapping).errors
    joined = "\n".join(errors)
    assert "第3行：工单类别“求助”不在工单类别时限表中（现有：咨询、投诉）。" in errors
    assert "第4行“派单日期”：“2024-02-30”不是有效日期" in joined
    assert "第5行“回访评价”：“非常好”不是可选的值" in joined
    assert "第6行：表中有多行工单编号相同。" in errors
    with pytest.raises(importing.ImportRefused):
        importing.run(world.reporter, batch)
    assert HotlineOrder.objects.count() == 0


def test_an_order_without_a_known_category_has_no_clock_and_is_refused(world, categories):
    with pytest.raises(ActionRefused, match="不在工单类别时限表"):
        casebook.create(world.reporter, HOTLINE, world.town,
                        {"number": "X", "category": "其他", "dispatched_on": D("2024-03-01")})  # fmt: skip
