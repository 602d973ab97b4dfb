"""The working-day calendar and the statutory clocks, against dates counted by hand.

Each expected date below was counted day by day on the State Council's holiday notices
for 2024–2026; the comments show the count where it is not obvious.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi import calendar, clocks
from fazhi.calendar import DayKind, WorkCalendar
from fazhi.clocks import ClockError, ClockState, Pause

D = dt.date.fromisoformat
REPO = Path(__file__).resolve().parents[1]
NATIONAL = calendar.national()


def working(start: str, n: int) -> clocks.Deadline:
    return clocks.compute(clocks.plain(n), D(start), NATIONAL)


def reply(received: str, *pauses: Pause, extended: bool = False) -> clocks.Deadline:
    rule = clocks.rule("disclosure_reply")
    return clocks.compute(rule, D(received), NATIONAL, pauses=pauses, extended=extended)


# -- the calendar ----------------------------------------------------------------


def test_day_kinds_of_2024():
    assert NATIONAL.kind(D("2024-10-01")) == DayKind.HOLIDAY
    assert NATIONAL.name(D("2024-10-01")) == "国庆节"
    assert NATIONAL.kind(D("2024-09-29")) == DayKind.SHIFTED_WORKDAY  # a Sunday
    assert NATIONAL.kind(D("2024-09-28")) == DayKind.WEEKEND
    assert NATIONAL.kind(D("2024-09-30")) == DayKind.WORKDAY
    assert NATIONAL.is_working_day(D("2024-10-12"))  # Saturday, shifted for 国庆节


def test_announced_years_come_from_the_data_file():
    assert {2024, 2025, 2026} <= NATIONAL.announced
    assert not NATIONAL.is_announced(2027)


def test_the_data_file_matches_chinesecalendar():
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts/seed_calendar.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_a_local_holiday_added_to_the_calendar_moves_the_count():
    local = WorkCalendar.from_days(
        [*NATIONAL.holidays.items(), (D("2024-03-04"), "开斋节")],
        NATIONAL.workdays.items(),
        NATIONAL.announced,
    )
    assert clocks.compute(clocks.plain(1), D("2024-03-01"), NATIONAL).due == D("2024-03-04")
    assert clocks.compute(clocks.plain(1), D("2024-03-01"), local).due == D("2024-03-05")


# -- working days: holidays and 调休 ---------------------------------------------


def test_the_issue_example_national_day_2024():
    # 09-29 Sun (shifted) 1, 09-30 2, 10-01..07 holiday, 10-08..11 3-6, 10-12 Sat (shifted) 7,
    # 10-14..18 8-12, 10-21..25 13-17, 10-28..30 18-20.
    deadline = working("2024-09-27", 20)
    assert deadline.due == D("2024-10-30")
    assert [d for d, _ in deadline.shifted_workdays] == [D("2024-09-29"), D("2024-10-12")]
    assert (D("2024-10-01"), "国庆节") in deadline.skipped


def test_a_shifted_sunday_before_spring_festival_2024_counts():
    # 02-02 Fri 1, 02-03 Sat no, 02-04 Sun (shifted) 2, 02-05 Mon 3.
    assert working("2024-02-01", 3).due == D("2024-02-05")


def test_spring_festival_2025():
    # 01-26 Sun (shifted) 1, 01-27 2, 01-28..02-04 holiday, 02-05..07 3-5.
    assert working("2025-01-24", 5).due == D("2025-02-07")


def test_mid_autumn_and_national_day_2026():
    # 09-20 Sun (shifted) 1, 09-21..24 2-5, 09-25..27 中秋, 09-28..30 6-8, 10-01..07 国庆,
    # 10-08..09 9-10, 10-10 Sat (shifted) 11, 10-12..16 12-16, 10-19..22 17-20.
    assert working("2026-09-18", 20).due == D("2026-10-22")


def test_counting_starts_the_day_after_even_on_a_holiday():
    # Received on 国庆节 2025 (10-01..08): 10-09 Thu 1, 10-10 2, 10-11 Sat (shifted) 3.
    assert working("2025-10-01", 3).due == D("2025-10-11")


# -- calendar days and the last day --------------------------------------------------


def test_calendar_days_last_day_on_national_day_moves_to_the_next_working_day():
    deadline = clocks.compute(clocks.plain(30, calendar_days=True), D("2024-09-01"), NATIONAL)
    assert deadline.moved_from == D("2024-10-01")
    assert deadline.due == D("2024-10-08")
    assert any("顺延" in line for line in deadline.explain())


def test_calendar_days_last_day_on_a_shifted_saturday_stays():
    deadline = clocks.compute(clocks.plain(30, calendar_days=True), D("2024-09-12"), NATIONAL)
    assert deadline.due == D("2024-10-12")
    assert deadline.moved_from is None


def test_last_day_on_new_year_2026_moves_to_the_shifted_sunday():
    # 2026-01-01..03 元旦; 01-04 is a Sunday worked in lieu.
    deadline = clocks.compute(clocks.plain(30, calendar_days=True), D("2025-12-02"), NATIONAL)
    assert deadline.due == D("2026-01-04")


def test_normative_filing_is_30_calendar_days_with_the_last_day_moved():
    rule = clocks.rule("normative_filing")
    assert (rule.unit, rule.length) == (clocks.CALENDAR, 30)
    # Published 2025-05-02: day 30 is 06-01, inside 端午节 (05-31..06-02).
    assert clocks.compute(rule, D("2025-05-02"), NATIONAL).due == D("2025-06-03")


def test_a_calendar_day_rule_that_keeps_its_last_day():
    rule = clocks.rule("consultation_period")
    assert rule.last_day == clocks.AS_IS
    assert clocks.compute(rule, D("2024-09-01"), NATIONAL).due == D("2024-10-01")


# -- pauses and extensions ------------------------------------------------------------


def test_third_party_opinion_time_does_not_count():
    # Without the pause: 2024-03-29. The 10 working days of 03-11..03-22 push it by 10:
    # 04-01..03, 04-04..06 清明节, 04-07 Sun (shifted), 04-08..12, 04-15.
    assert reply("2024-03-01").due == D("2024-03-29")
    paused = reply("2024-03-01", Pause("third_party", D("2024-03-11"), D("2024-03-22")))
    assert paused.due == D("2024-04-15")
    assert any("征求第三方意见" in line for line in paused.explain())


def test_a_pause_still_running_has_no_due_date():
    deadline = reply("2024-03-01", Pause("third_party", D("2024-03-11")))
    assert deadline.due is None
    assert deadline.state(D("2030-01-01")) == ClockState.PAUSED
    assert "暂停计时" in deadline.explain()[-2]


def test_correction_restarts_the_count_from_the_corrected_application():
    # Corrected application received 2024-05-20: 05-21..06-07 1-14, 06-10 端午节,
    # 06-11..14 15-18, 06-17..18 19-20.
    deadline = reply("2024-05-06", Pause("correction", D("2024-05-08"), D("2024-05-20")))
    assert deadline.counting_from == D("2024-05-20")
    assert deadline.due == D("2024-06-18")
    assert reply("2024-05-06", Pause("correction", D("2024-05-08"))).due is None


def test_the_extension_adds_20_working_days():
    # 20 working days from 2025-04-25: 04-27 Sun (shifted) 1, ..., 05-27 is day 20.
    # 20 more: 05-28..30, 05-31..06-02 端午节, 06-03..25.
    assert reply("2025-04-25").due == D("2025-05-27")
    extended = reply("2025-04-25", extended=True)
    assert extended.due == D("2025-06-25")
    assert extended.length == 40


def test_a_clock_without_extension_cannot_be_extended():
    with pytest.raises(ClockError, match="不能延长"):
        clocks.compute(clocks.rule("normative_filing"), D("2024-01-02"), NATIONAL, extended=True)


@pytest.mark.parametrize(
    ("pause", "message"),
    [
        (Pause("holiday", D("2024-03-04"), D("2024-03-05")), "不能因"),
        (Pause("third_party", D("2024-03-05"), D("2024-03-04")), "早于开始日"),
        (Pause("third_party", D("2024-02-01"), D("2024-03-04")), "早于起算日"),
    ],
)
def test_bad_pauses_are_refused_in_chinese(pause, message):
    with pytest.raises(ClockError, match=message):
        reply("2024-03-01", pause)


# -- unannounced years -------------------------------------------------------------------


def test_a_deadline_running_into_an_unannounced_year_is_flagged():
    deadline = working("2026-12-20", 20)
    assert deadline.unannounced == (2027,)
    assert any("2027年的节假日安排尚未公布" in line for line in deadline.explain())


def test_a_deadline_within_announced_years_is_not_flagged():
    assert working("2024-09-27", 20).unannounced == ()


def test_a_year_removed_from_the_calendar_is_flagged_not_guessed():
    without_2025 = WorkCalendar.from_days(
        [(d, n) for d, n in NATIONAL.holidays.items() if d.year != 2025],
        [(d, n) for d, n in NATIONAL.workdays.items() if d.year != 2025],
        NATIONAL.announced - {2025},
    )
    deadline = clocks.compute(clocks.plain(5), D("2025-01-24"), without_2025)
    assert deadline.unannounced == (2025,)
    assert deadline.due == D("2025-01-31")  # weekends only: 01-27..31


# -- state --------------------------------------------------------------------------------


def test_states_derived_from_the_due_date():
    deadline = working("2024-09-27", 20)  # due 2024-10-30
    assert deadline.state(D("2024-10-31")) == ClockState.OVERDUE
    assert deadline.state(D("2024-10-24")) == ClockState.DUE_SOON  # 4 working days left
    assert deadline.state(D("2024-10-08")) == ClockState.RUNNING
    assert deadline.state(D("2024-11-05"), done_on=D("2024-10-30")) == ClockState.MET
    assert deadline.state(D("2024-11-05"), done_on=D("2024-10-31")) == ClockState.LATE


# -- rules as data, with regional overrides ------------------------------------------------


def _assert_sourced(slug: str, item: clocks.ClockRule | clocks.ValidityRule) -> None:
    """A verified rule quotes its text and names the page it was checked on; an
    unverified one says what was searched, so the next reader can carry on."""
    assert item.basis, slug
    if item.verified:
        assert item.text and item.checked.startswith("http"), slug
        assert not item.searched, slug
    else:
        assert item.searched, slug


@pytest.mark.parametrize("region", ["", "广东省东莞市", "宁夏回族自治区银川市"])
def test_every_clock_quotes_its_source_or_says_what_was_searched(region):
    for rule in clocks.rules(region).values():
        _assert_sourced(rule.slug, rule)
        assert rule.unit in (clocks.WORKING, clocks.CALENDAR), rule.slug
    _assert_sourced("validity", clocks.validity(region))


def test_the_regulation_texts_that_could_be_checked_are_marked_verified():
    verified = {slug for slug, rule in clocks.rules().items() if rule.verified}
    assert verified == {
        "disclosure_reply",
        "disclosure_correction_notice",
        "disclosure_third_party",
        "consultation_period",
    }
    consultation = clocks.rule("consultation_period")
    assert "第十五条" in consultation.basis
    assert "一般不少于30日" in consultation.text


def test_the_demo_provinces_mark_their_filing_period_unverified():
    for region in ("广东省东莞市", "宁夏回族自治区银川市"):
        filing = clocks.rule("normative_filing", region)
        assert filing.length == 30 and not filing.verified
        assert "未能核对" in clocks.compute(filing, D("2025-05-02"), NATIONAL).explain()[-1]
    assert "广东省行政规范性文件管理规定" in clocks.rule("normative_filing", "广东省").basis
    assert "宁夏" in clocks.rule("normative_filing", "宁夏回族自治区").basis
    assert "广东" not in clocks.rule("normative_filing", "广西壮族自治区").basis


def test_the_disclosure_clock_matches_the_regulation():
    rule = clocks.rule("disclosure_reply")
    assert (rule.unit, rule.length) == (clocks.WORKING, 20)
    assert rule.extension is not None and rule.extension.length == 20
    assert rule.pauses["correction"].effect == clocks.RESTART
    assert rule.pauses["third_party"].effect == clocks.SUSPEND
    assert "第三十三条" in rule.basis
    third_party = clocks.rule("disclosure_third_party")
    assert (third_party.unit, third_party.length) == (clocks.WORKING, 15)


def test_a_province_and_a_city_override_a_rule():
    table = {
        "clock": {"normative_filing": {"name": "备案", "start": "公布之日", "unit": "calendar", "length": 30}},
        "override": {
            "某省": {"clock": {"normative_filing": {"length": 15, "basis": "某省规定"}}},
            "某省某市": {"clock": {"normative_filing": {"length": 10}}},
        },
        "validity": {"years": 5, "provisional_years": 2, "provisional_words": ["暂行"], "reminder_months": 6},
    }  # fmt: skip
    assert clocks.rule("normative_filing", "", table).length == 30
    assert clocks.rule("normative_filing", "某省另一市", table).length == 15
    in_city = clocks.rule("normative_filing", "某省某市某区", table)
    assert (in_city.length, in_city.basis) == (10, "某省规定")
    with pytest.raises(ClockError, match="没有名为"):
        clocks.rule("nothing", "", table)


# -- validity -------------------------------------------------------------------------------


def test_validity_is_five_years_or_two_for_provisional_documents():
    rule = clocks.validity()
    assert rule.default_years("东江市物业管理办法") == 5
    assert rule.default_years("东江市物业管理暂行办法") == 2
    assert rule.default_years("东江市停车收费试行规定") == 2
    expires = rule.expires_on(D("2020-03-01"), 5)
    assert expires == D("2025-03-01")
    assert rule.reminder_on(expires) == D("2024-09-01")


def test_validity_from_a_leap_day_ends_on_the_month_end():
    assert clocks.validity().expires_on(D("2024-02-29"), 1) == D("2025-02-28")
    assert clocks.add_months(D("2024-08-31"), -6) == D("2024-02-29")


# -- the command ---------------------------------------------------------------------------


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "deadline", *argv], capture_output=True, text=True
    )


def test_the_command_prints_the_due_date_first_then_the_calculation():
    done = run_cli("2024-09-27", "20")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "2024-10-30"
    assert any("国庆节" in line for line in lines[1:])
    assert any("调休上班" in line for line in lines[1:])


def test_the_command_counts_calendar_days():
    done = run_cli("2024-09-01", "30", "--calendar-days")
    assert done.stdout.splitlines()[0] == "2024-10-08"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("2024-02-30", "5"), "不是有效日期"),
        (("2024-02-01", "五"), "不是整数天数"),
        (("2024-02-01", "0"), "期限长度应在"),
        (("9999-12-30", "5"), "超出可计算的范围"),
    ],
)
def test_the_command_refuses_bad_input_in_chinese(argv, message):
    done = run_cli(*argv)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
