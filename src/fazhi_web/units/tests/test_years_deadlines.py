"""An office's deadlines per level, and opening its reporting years."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports.models import DeadlineRule, Obligation, ReportingYear


def test_deadlines_show_defaults(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("units:deadlines"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东江市" in body and "默认" in body
    assert "次年3月1日" in body  # departments, from the engine's statutory table
    assert "次年3月31日" in body
    assert "西山市" not in body


def test_set_deadline(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:deadlines"),
        {"office": world.city.pk, "level": "town", "month": 2, "day": 15},
        follow=True,
    )
    assert "已将乡镇（街道）的报送截止日期设为次年2月15日" in response.content.decode()
    rule = DeadlineRule.objects.get(office=world.city, level="town")
    assert (rule.month, rule.day) == (2, 15)
    assert AuditEntry.objects.get(action="deadline.set").unit == world.city
    body = client.get(reverse("units:deadlines")).content.decode()
    assert "次年2月15日" in body


def test_invalid_deadline_is_refused(client, world):
    client.force_login(world.admin)
    response = client.post(
        reverse("units:deadlines"),
        {"office": world.city.pk, "level": "town", "month": 2, "day": 30},
        follow=True,
    )
    assert "日期无效" in response.content.decode()
    response = client.post(
        reverse("units:deadlines"),
        {"office": world.city.pk, "level": "town", "month": 13, "day": 1},
        follow=True,
    )
    assert "请填写有效的" in response.content.decode()
    assert not DeadlineRule.objects.exists()


def test_deadlines_of_another_office_are_out_of_reach(client, world, other_admin):
    client.force_login(world.admin)
    assert (
        client.get(reverse("units:deadlines") + f"?office={world.other_city.pk}").status_code == 404
    )
    response = client.post(
        reverse("units:deadlines"),
        {"office": world.other_city.pk, "level": "town", "month": 2, "day": 1},
    )
    assert response.status_code == 404
    # Nor is a unit below the office an office of its own.
    response = client.post(
        reverse("units:deadlines"),
        {"office": world.district.pk, "level": "town", "month": 2, "day": 1},
    )
    assert response.status_code == 404
    assert not DeadlineRule.objects.exists()


def test_open_year(client, world):
    year = timezone.localdate().year - 1
    client.force_login(world.admin)
    response = client.post(
        reverse("units:years"), {"office": world.city.pk, "year": year}, follow=True
    )
    body = response.content.decode()
    assert f"已开启东江市{year}年度报告，共4个单位应报送" in body
    cycle = ReportingYear.objects.get(office=world.city, year=year)
    assert set(
        Obligation.objects.filter(reporting_year=cycle).values_list("unit__name", flat=True)
    ) == {"东江市南湖区", "南湖区清河镇", "东江市司法局", "南湖区市场监督管理局"}
    assert f"{year}年度" in body
    response = client.post(
        reverse("units:years"), {"office": world.city.pk, "year": year}, follow=True
    )
    assert f"{year}年度已经开启，无需重复开启" in response.content.decode()
    response = client.post(
        reverse("units:years"), {"office": world.city.pk, "year": year + 5}, follow=True
    )
    assert "报告年度无效" in response.content.decode()
    assert ReportingYear.objects.count() == 1
    assert AuditEntry.objects.filter(action="year.open").count() == 1


def test_years_list_counts_states(client, world):
    year = timezone.localdate().year - 1
    client.force_login(world.admin)
    client.post(reverse("units:years"), {"office": world.city.pk, "year": year})
    body = client.get(reverse("units:years")).content.decode()
    assert '<td class="num">4</td>' in body and "赵管理" in body


def test_cannot_open_a_year_for_another_office(client, world, other_admin):
    client.force_login(other_admin)
    ReportingYear.objects.create(office=world.city, year=2022, opened_by=world.admin)
    body = client.get(reverse("units:years")).content.decode()
    assert "东江市" not in body
    response = client.post(reverse("units:years"), {"office": world.city.pk, "year": 2023})
    assert response.status_code == 404
    assert not ReportingYear.objects.filter(year=2023).exists()


def test_deadline_rule_is_used_when_opening(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("units:deadlines"),
        {"office": world.city.pk, "level": "town", "month": 2, "day": 15},
    )
    year = timezone.localdate().year - 1
    client.post(reverse("units:years"), {"office": world.city.pk, "year": year})
    town = Obligation.objects.get(unit=world.town)
    assert town.deadline == dt.date(year + 1, 2, 15)
