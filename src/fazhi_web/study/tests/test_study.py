"""学法 and 述法: the checks and the figures (述法 counts units, over the units below)."""

from __future__ import annotations

import pytest

from fazhi_web.ledgers import casebook
from fazhi_web.ledgers import figures as all_figures
from fazhi_web.ledgers.tests.conftest import D
from fazhi_web.reports.services import ActionRefused
from fazhi_web.study.ledger import REPORTS, SESSIONS


def session(world, held_on, kind="before_meeting", attendance=12):
    return casebook.create(
        world.reporter, SESSIONS, world.town,
        {"kind": kind, "held_on": D(held_on), "topic": "学习《行政复议法》", "speaker": "司法所长",
         "audience": "镇党委班子成员", "attendance": attendance},
    )  # fmt: skip


def law_report(actor, unit, reporter, on):
    return casebook.create(
        actor, REPORTS, unit,
        {"reporter": reporter, "reporter_title": "主要负责人", "reported_to": "区委全面依法治区委员会",
         "reported_on": D(on)},
    )  # fmt: skip


def test_study_sessions_are_counted_by_the_year_they_were_held(world):
    session(world, "2024-01-10")
    session(world, "2024-05-10", kind="lecture")
    session(world, "2023-12-28", kind="central_group")
    got = all_figures.ledger_indicators(world.town, 2024)
    assert got["study_sessions"].value == 2
    assert "study/sessions/" in got["study_sessions"].url


def test_a_session_needs_its_audience_and_someone_attending(world):
    with pytest.raises(ActionRefused, match="大于0"):
        session(world, "2024-01-10", attendance=0)


def test_shufa_units_counts_the_units_whose_heads_reported(world):
    law_report(world.reporter, world.town, "陈镇", "2024-12-01")
    law_report(world.reporter, world.town, "周书记", "2024-12-01")
    law_report(world.district_reporter, world.district, "吴区长", "2024-11-20")
    law_report(world.district_reporter, world.district, "吴区长", "2023-11-20")
    district = all_figures.ledger_indicators(world.district, 2024)["shufa_units"]
    assert district.value == 2 and district.note == "述法3人次，涉及2个单位"
    assert all_figures.ledger_indicators(world.town, 2024)["shufa_units"].value == 1
