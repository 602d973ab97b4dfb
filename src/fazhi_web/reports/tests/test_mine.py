"""The reporter's list of obligations."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fazhi_web.reports import services


def mine(client):
    return client.get(reverse("reports:mine"))


def test_lists_the_units_obligation_with_state_deadline_and_overdue(client, world, obligation):
    client.force_login(world.reporter)
    response = mine(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "2023年度" in page
    assert "南湖区清河镇" in page
    assert '<span class="badge state-pending">未报送</span>' in page
    assert obligation.deadline.strftime("%Y年") in page
    # The 2023 deadline lies in 2024: long past.
    assert obligation.is_overdue()
    assert "已逾期" in page
    assert reverse("reports:obligation", args=[obligation.pk]) in page


def test_extended_deadline_is_shown_and_not_overdue(client, world, obligation):
    until = timezone.localdate() + dt.timedelta(days=30)
    services.grant_extension(world.admin, obligation, until, "镇政府换届")
    client.force_login(world.reporter)
    page = mine(client).content.decode()
    assert f"已延期至{until.year}年{until.month}月{until.day}日" in page
    assert "已逾期" not in page


def test_shows_latest_score(client, world, obligation, version):
    client.force_login(world.reporter)
    page = mine(client).content.decode()
    assert f"{version.score:g}" in page
    assert "第1版" in page


def test_only_own_units_are_listed(client, world, obligation, other_obligation):
    client.force_login(world.other_reporter)
    page = mine(client).content.decode()
    assert "西山市白石镇" in page
    assert "南湖区清河镇" not in page

    client.force_login(world.district_reporter)
    page = mine(client).content.decode()
    assert "东江市南湖区" in page
    assert "南湖区清河镇" not in page


def test_reviewer_has_nothing_to_report(client, world, obligation):
    client.force_login(world.reviewer)
    page = mine(client).content.decode()
    assert "南湖区清河镇" not in page
    assert "您不是任何单位的填报员" in page


def test_anonymous_goes_to_login(client, world):
    response = mine(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
