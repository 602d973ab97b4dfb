"""依申请公开: the receipt date by channel, the reply clock with its pauses and extension,
the overdue list, and the annual report's table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.clocks import ClockState
from fazhi_web.ledgers import deadlines, figures, services
from fazhi_web.ledgers.models import DisclosureRequest
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.reports.services import ActionRefused


def new(world, **values):
    base = {"applicant_type": "natural", "channel": "in_person", "submitted_on": D("2024-03-01")}
    return services.create(world.reporter, DisclosureRequest, world.town, {**base, **values})


def reply_clock(req):
    req.refresh_from_db()
    return deadlines.request_clocks(req, deadlines.Calendars())[0]


@pytest.mark.parametrize(
    ("channel", "confirmed", "received"),
    [
        ("in_person", None, "2024-03-01"),
        ("post_signed", "2024-03-04", "2024-03-04"),
        ("post_plain", "2024-03-05", "2024-03-05"),
        ("online", "2024-03-04", "2024-03-04"),
        ("fax", "2024-03-06", "2024-03-06"),
    ],
)
def test_the_receipt_date_follows_the_channel(world, channel, confirmed, received):
    req = new(world, channel=channel, confirmed_on=D(confirmed) if confirmed else None)
    assert deadlines.received_on(req) == D(received)


def test_an_online_request_waits_for_its_confirmation(world):
    req = new(world, channel="online")
    clock = reply_clock(req)
    assert clock.due is None
    assert "双方确认之日为收到申请之日" in clock.lines[0]
    with pytest.raises(ActionRefused, match="请先填写签收或确认日期"):
        services.apply_event(
            world.reporter, req, "reply", {"replied_on": D("2024-03-10"), "outcome": "disclosed"}
        )


def test_twenty_working_days_over_national_day(world, request_in_town):
    clock = reply_clock(request_in_town)
    assert clock.due == D("2024-10-30")
    assert clock.state(D("2024-12-02")) == ClockState.OVERDUE


def test_third_party_opinion_time_does_not_count(world):
    req = new(world)
    services.apply_event(
        world.reporter,
        req,
        "third_party",
        {"third_party_sent_on": D("2024-03-11"), "third_party_replied_on": D("2024-03-22")},
    )
    assert reply_clock(req).due == D("2024-04-15")


def test_a_silent_third_party_pauses_the_clock_for_15_working_days_at_most(world):
    # Sent 2024-03-11 (Mon); 15 working days end 2024-04-01. The pause runs 03-11..04-01
    # (15 working days), so the reply is due 15 working days after 2024-03-29: 2024-04-23.
    req = new(world)
    services.apply_event(
        world.reporter, req, "third_party", {"third_party_sent_on": D("2024-03-11")}
    )
    assert reply_clock(req).due == D("2024-04-23")


def test_correction_restarts_the_clock(world):
    req = new(world, submitted_on=D("2024-05-06"))
    services.apply_event(
        world.reporter, req, "correction", {"correction_requested_on": D("2024-05-08")}
    )
    assert reply_clock(req).state(D("2024-12-02")) == ClockState.PAUSED
    services.apply_event(
        world.reporter,
        req,
        "correction",
        {"correction_requested_on": D("2024-05-08"), "correction_received_on": D("2024-05-20")},
    )
    assert reply_clock(req).due == D("2024-06-18")


def test_the_correction_notice_itself_is_due_in_7_working_days(world):
    req = new(world, submitted_on=D("2024-05-06"))
    services.apply_event(
        world.reporter, req, "correction", {"correction_requested_on": D("2024-05-16")}
    )
    req.refresh_from_db()
    notice = deadlines.request_clocks(req, deadlines.Calendars())[1]
    # 05-07..10, 05-11 (Saturday worked for 劳动节), 05-13..14: the notice on 05-16 was late.
    assert notice.due == D("2024-05-14")
    assert notice.state(D("2024-12-02")) == ClockState.LATE


def test_the_extension_needs_an_approver_and_must_come_before_the_original_limit(world):
    req = new(world)
    with pytest.raises(ActionRefused, match="请填写“延期批准人”"):
        services.apply_event(
            world.reporter, req, "extend", {"extension_approved_on": D("2024-03-20")}
        )
    with pytest.raises(ActionRefused, match="延期须在原答复期限届满（2024-03-29）前批准"):
        services.apply_event(
            world.reporter,
            req,
            "extend",
            {"extension_approved_on": D("2024-04-01"), "extension_approver": "王主任"},
        )
    services.apply_event(
        world.reporter,
        req,
        "extend",
        {"extension_approved_on": D("2024-03-28"), "extension_approver": "王主任"},
    )
    clock = reply_clock(req)
    # 20 more working days after 2024-03-29: 04-01..03, 04-07 (shifted), 04-08..12, 04-15..19, 04-22..26, 04-28 (shifted).
    assert clock.due == D("2024-04-28")
    assert any("延长" in line for line in clock.lines)


def test_a_reply_needs_an_outcome_and_meets_the_clock(world, request_in_town):
    with pytest.raises(ActionRefused, match="请填写“办理结果”"):
        services.apply_event(
            world.reporter, request_in_town, "reply", {"replied_on": D("2024-10-29")}
        )
    services.apply_event(
        world.reporter,
        request_in_town,
        "reply",
        {"replied_on": D("2024-10-29"), "outcome": "disclosed"},
    )
    assert reply_clock(request_in_town).state(D("2024-12-02")) == ClockState.MET


def test_no_correction_outcome_needs_a_correction_request(world, request_in_town):
    with pytest.raises(ActionRefused, match="逾期不补正"):
        services.apply_event(
            world.reporter,
            request_in_town,
            "reply",
            {"replied_on": D("2024-10-29"), "outcome": "other_no_correction"},
        )


def test_overdue_requests_are_listed_and_counted(world, request_in_town):
    on_time = new(world, number="2024-002", submitted_on=D("2024-09-02"))
    services.apply_event(
        world.reporter, on_time, "reply", {"replied_on": D("2024-09-20"), "outcome": "partial"}
    )
    late = new(world, number="2024-003", submitted_on=D("2024-08-01"))
    services.apply_event(
        world.reporter, late, "reply", {"replied_on": D("2024-09-20"), "outcome": "disclosed"}
    )
    page = (
        client_for(world.reporter).get(reverse("ledgers:requests") + "?overdue=1").content.decode()
    )
    assert "逾期 2 件" in page
    assert "2024-001" in page and "2024-003" in page and "2024-002" not in page


def test_the_annual_table_balances_and_sorts_by_applicant_and_outcome(world):
    carried = new(world, number="A", submitted_on=D("2023-12-20"))
    services.apply_event(
        world.reporter, carried, "reply", {"replied_on": D("2024-01-10"), "outcome": "disclosed"}
    )
    done = new(world, number="B", applicant_type="business", submitted_on=D("2024-03-01"))
    services.apply_event(
        world.reporter,
        done,
        "reply",
        {"replied_on": D("2024-03-20"), "outcome": "withheld_third_party"},
    )
    new(world, number="C", submitted_on=D("2024-11-20"))  # still open at the year's end
    previous = new(world, number="D", submitted_on=D("2023-03-01"))
    services.apply_event(
        world.reporter, previous, "reply", {"replied_on": D("2023-03-10"), "outcome": "disclosed"}
    )
    table = figures.disclosure_table(world.town, 2024)
    assert table["new"].cells[-1] == 2
    assert table["carried"].cells[-1] == 1
    assert table["handled"].cells[-1] == 2
    assert table["forward"].cells[-1] == 1
    assert (
        table["new"].cells[-1] + table["carried"].cells[-1]
        == table["handled"].cells[-1] + table["forward"].cells[-1]
    )
    withheld = next(r for r in table["outcomes"] if r.item == "4.保护第三方合法权益")
    assert withheld.cells[1] == 1 and withheld.cells[-1] == 1  # 商业企业
    page = (
        client_for(world.reporter)
        .get(reverse("ledgers:disclosure_table") + f"?unit={world.town.pk}&year=2024")
        .content.decode()
    )
    assert "保护第三方合法权益" in page and "结转下年度继续办理" in page
    xlsx = client_for(world.reporter).get(
        reverse("ledgers:disclosure_table") + f"?unit={world.town.pk}&year=2024&format=xlsx"
    )
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
