"""The editable calendar table: seeded from the engine, edits audited, and every running
deadline derived from it, so a holiday added later moves them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from fazhi import calendar
from fazhi_web.audit.models import AuditEntry
from fazhi_web.ledgers import deadlines, services
from fazhi_web.ledgers.models import CalendarDay, CalendarYear
from fazhi_web.ledgers.tests.conftest import D, client_for
from fazhi_web.reports.services import ActionRefused


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="correct-horse-battery-staple")


def test_the_table_is_seeded_with_the_national_calendar(db):
    deadlines.ensure_seeded()
    national = calendar.national()
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(national.announced)
    assert CalendarDay.objects.filter(region="").count() == len(national.holidays) + len(
        national.workdays
    )
    built = deadlines.Calendars().for_region("广东省东莞市")
    assert built.holidays == national.holidays
    assert built.workdays == national.workdays


def test_an_empty_table_is_seeded_on_first_use(db):
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    assert deadlines.Calendars().for_region("").is_announced(2024)
    assert CalendarDay.objects.filter(date=D("2024-10-01")).exists()


def test_seeding_again_keeps_administrators_edits(db, superuser):
    services.hide_calendar_day(superuser, CalendarDay.objects.get(date=D("2024-10-07")), "测试")
    assert services.seed_calendar() == 0
    assert CalendarDay.objects.get(date=D("2024-10-07")).is_hidden


def test_a_holiday_added_later_moves_a_running_deadline_and_is_audited(
    world, superuser, request_in_town
):
    # Received 2024-09-27: due 2024-10-30. A national holiday on 2024-10-28 moves it a day.
    assert deadlines.request_clocks(request_in_town, deadlines.Calendars())[0].due == D(
        "2024-10-30"
    )
    _, moved = services.add_calendar_day(
        superuser, date=D("2024-10-28"), kind="holiday", name="测试假日"
    )
    request_in_town.refresh_from_db()
    assert deadlines.request_clocks(request_in_town, deadlines.Calendars())[0].due == D(
        "2024-10-31"
    )
    assert moved == 1
    entry = AuditEntry.objects.get(action="calendar.add")
    assert "1项计时中的期限随之变化" in entry.summary
    assert entry.after["moved"] == 1


def test_hiding_a_holiday_moves_the_deadline_back(world, superuser, request_in_town):
    day = CalendarDay.objects.get(date=D("2024-10-07"), region="")
    _, moved = services.hide_calendar_day(superuser, day, "调整")
    assert moved == 1
    assert deadlines.request_clocks(request_in_town, deadlines.Calendars())[0].due == D(
        "2024-10-29"
    )
    assert CalendarDay.objects.filter(pk=day.pk).exists()  # hidden, not deleted


def test_a_local_holiday_applies_only_in_its_region(world, request_in_town):
    # world.admin administers 东江市 (region "东江市") and the units below it.
    services.add_calendar_day(
        world.admin, date=D("2024-10-28"), kind="holiday", name="地方节日", region="东江市"
    )
    calendars = deadlines.Calendars()
    assert calendars.for_region("东江市南湖区清河镇").kind(D("2024-10-28")).value == "holiday"
    assert calendars.for_region("西山市").kind(D("2024-10-28")).value == "workday"
    assert deadlines.request_clocks(request_in_town, calendars)[0].due == D("2024-10-31")


def test_who_may_edit_the_calendar(world):
    with pytest.raises(ActionRefused, match="只能由系统管理员"):
        services.add_calendar_day(world.admin, date=D("2024-10-28"), kind="holiday", name="假日")
    with pytest.raises(ActionRefused, match="不在您管理的地区"):
        services.add_calendar_day(
            world.admin, date=D("2024-10-28"), kind="holiday", name="假日", region="西山市"
        )
    with pytest.raises(ActionRefused, match="不在您管理的地区"):
        services.add_calendar_day(
            world.reporter, date=D("2024-10-28"), kind="holiday", name="假日", region="东江市"
        )


def test_a_shifted_working_day_must_be_a_weekend(world, superuser):
    with pytest.raises(ActionRefused, match="本来就是工作日"):
        services.add_calendar_day(superuser, date=D("2024-10-28"), kind="workday", name="调休")


def test_a_day_already_recorded_must_be_hidden_first(world, superuser):
    with pytest.raises(ActionRefused, match="已有记录"):
        services.add_calendar_day(superuser, date=D("2024-10-01"), kind="holiday", name="国庆节")


def test_an_unannounced_year_is_flagged_until_it_is_announced(world, superuser):
    req = services.create(
        world.reporter, services.DisclosureRequest, world.town,
        {"applicant_type": "natural", "channel": "in_person", "submitted_on": D("2024-12-02")},
    )  # fmt: skip
    CalendarYear.objects.filter(year=2024).delete()  # pretend 2024 is not announced
    clock = deadlines.request_clocks(req, deadlines.Calendars())[0]
    assert clock.unannounced == (2024,)
    assert any("2024年的节假日安排尚未公布" in line for line in clock.lines)
    services.announce_year(superuser, 2024, "国务院办公厅关于2024年部分节假日安排的通知")
    assert deadlines.request_clocks(req, deadlines.Calendars())[0].unannounced == ()
    assert AuditEntry.objects.filter(action="calendar.announce").exists()


def test_announcing_a_year_needs_its_holidays_first(world, superuser):
    with pytest.raises(ActionRefused, match="请先录入2030年"):
        services.announce_year(superuser, 2030, "通知")


def test_the_calendar_page_adds_a_local_holiday(world):
    client = client_for(world.admin)
    response = client.post(
        reverse("ledgers:calendar"),
        {
            "add": "1",
            "date": "2024-10-28",
            "kind": "holiday",
            "name": "地方节日",
            "region": "东江市",
        },
        follow=True,
    )
    assert "已新增 2024-10-28 地方节日" in response.content.decode()
    assert CalendarDay.objects.filter(date=D("2024-10-28"), region="东江市").exists()


def test_the_calendar_page_shows_no_edit_forms_to_a_reporter(world):
    page = (
        client_for(world.reporter).get(reverse("ledgers:calendar") + "?year=2024").content.decode()
    )
    assert "国庆节" in page
    assert 'name="add"' not in page
