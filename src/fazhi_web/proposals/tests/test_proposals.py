"""建议提案: the three-month reply clock, with a province's own limit, and the figures."""

from __future__ import annotations

import pytest

from fazhi import clocks
from fazhi.clocks import ClockState
from fazhi_web.ledgers import casebook, deadlines
from fazhi_web.ledgers import figures as all_figures
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.proposals import figures
from fazhi_web.proposals.ledger import PROPOSALS
from fazhi_web.reports.services import ActionRefused


def proposal(world, number, kind="npc", assigned="2024-03-15", replied=None, satisfaction=""):
    obj = casebook.create(
        world.reporter, PROPOSALS, world.town,
        {"kind": kind, "number": number, "title": f"关于改善{number}号路口交通的建议",
         "proposer": "刘代表", "assigned_on": D(assigned)},
    )  # fmt: skip
    if replied:
        casebook.apply_event(world.reporter, PROPOSALS, obj, "reply", {"replied_on": D(replied)})
    if satisfaction:
        casebook.apply_event(
            world.reporter, PROPOSALS, obj, "evaluate", {"satisfaction": satisfaction}
        )
    return obj


def test_the_reply_is_due_three_months_after_assignment(world):
    obj = proposal(world, "1")
    [clock] = PROPOSALS.clocks(obj, deadlines.Calendars())
    assert clock.due == D("2024-06-17")  # 06-15 is a Saturday
    assert clock.state(D("2024-12-02")) == ClockState.OVERDUE
    assert any("3个月" in line for line in clock.lines)


def test_a_province_override_changes_the_clock_for_its_units(world, monkeypatch):
    table = {
        "clock": {"proposal_reply": {"name": "办复", "start": "交办之日", "unit": "month",
                                     "length": 3, "basis": "通行"}},
        "override": {"东江市": {"clock": {"proposal_reply": {"length": 2, "basis": "东江市办法"}}}},
    }  # fmt: skip
    monkeypatch.setattr(clocks, "_data_rules", lambda region: clocks.rules(region, table))
    [clock] = PROPOSALS.clocks(proposal(world, "1"), deadlines.Calendars())
    assert clock.due == D("2024-05-15")


def test_a_reply_before_assignment_is_refused(world):
    obj = proposal(world, "1")
    with pytest.raises(ActionRefused, match="早于"):
        casebook.apply_event(
            world.reporter, PROPOSALS, obj, "reply", {"replied_on": D("2024-03-01")}
        )


def test_counts_by_kind_on_time_rate_and_satisfaction(world):
    proposal(world, "1", replied="2024-05-01", satisfaction="satisfied")
    proposal(world, "2", replied="2024-06-18", satisfaction="fairly")  # a day late
    proposal(world, "3", kind="cppcc", replied="2024-04-01", satisfaction="unsatisfied")
    proposal(world, "4", kind="cppcc")  # not replied
    proposal(world, "5", assigned="2023-11-01", replied="2024-01-10")
    got = all_figures.ledger_indicators(world.town, 2024)
    assert (got["npc_suggestions"].value, got["cppcc_proposals"].value) == (2, 2)
    assert got["proposal_on_time_rate"].value == 50.0
    assert got["proposal_on_time_rate"].note == "按时办复2件 / 交办4件"
    assert figures.rates(world.town, 2024)["建议提案满意率"] == (
        66.7,
        "满意和基本满意2件 / 评价3件",
    )
