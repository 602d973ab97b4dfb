"""Board batch actions: 催报 and 延期 for the ticked rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi_web.audit import wording
from fazhi_web.audit.models import AuditEntry
from fazhi_web.reports import services as report_services
from fazhi_web.reports.models import Reminder
from fazhi_web.review.tests.conftest import hand_in, obligation_of

pytestmark = pytest.mark.django_db


def batch(client, obligations, action="remind", **extra):
    data = {"ids": [str(ob.pk) for ob in obligations], "action": action, **extra}
    return client.post(reverse("review:batch"), data, follow=True)


def test_reminders_are_recorded_counted_and_shown_to_the_unit(client, world, cycle, seed_bytes):
    town, bureau = obligation_of(cycle, world.town), obligation_of(cycle, world.bureau)
    handed = obligation_of(cycle, world.district_bureau)
    hand_in(world.admin, handed, seed_bytes["003"])
    client.force_login(world.reviewer)
    response = batch(client, [town, bureau, handed])
    assert "已向2个单位催报。另有1个单位已报送，未催报。" in response.content.decode()
    batch(client, [town])
    assert Reminder.objects.filter(obligation=town).count() == 2
    assert not Reminder.objects.filter(obligation=handed).exists()
    entries = AuditEntry.objects.filter(action="obligation.remind").order_by("id")
    assert [e.unit for e in entries] == [world.town, world.bureau, world.town]
    assert entries.last().after == {"reminders": 2}
    assert wording.sentence(entries.last()) == "催报 南湖区清河镇 的报告（第 2 次）"
    board = client.get(reverse("review:board")).content.decode()
    assert "已催报2次" in board and "已催报1次" in board

    client.force_login(world.reporter)
    page = client.get(reverse("reports:obligation", args=[town.pk])).content.decode()
    assert "上级已催报2次" in page


def test_nothing_to_remind_is_refused(client, world, cycle, seed_bytes):
    handed = obligation_of(cycle, world.district_bureau)
    hand_in(world.admin, handed, seed_bytes["003"])
    client.force_login(world.reviewer)
    assert "均已报送，无需催报" in batch(client, [handed]).content.decode()
    assert "请先勾选" in batch(client, []).content.decode()
    assert not Reminder.objects.exists()


def test_batch_extension(client, world, cycle, seed_bytes):
    town, bureau = obligation_of(cycle, world.town), obligation_of(cycle, world.bureau)
    handed = obligation_of(cycle, world.district_bureau)
    hand_in(world.admin, handed, seed_bytes["003"])
    client.force_login(world.reviewer)
    body = batch(
        client, [town, bureau, handed], "extend", until="2024-06-30", reason="机构改革"
    ).content.decode()
    assert "已同意2个单位延期至2024年6月30日" in body
    assert "南湖区市场监督管理局：报告已报送，无需延期" in body
    town.refresh_from_db()
    bureau.refresh_from_db()
    assert town.extended_to == bureau.extended_to == dt.date(2024, 6, 30)
    assert AuditEntry.objects.filter(action="obligation.extend").count() == 2
    body = batch(client, [town], "extend", until="", reason="").content.decode()
    assert "延期至" in body and "延期原因" in body


@pytest.mark.parametrize("username", ["other_reviewer", "reporter", "outsider", "other_reporter"])
def test_batch_across_the_boundary(client, world, cycle, username):
    town = obligation_of(cycle, world.town)
    client.force_login(getattr(world, username))
    assert batch(client, [town]).status_code == 404
    assert batch(client, [town], "extend", until="2024-06-30", reason="x").status_code == 404
    assert not Reminder.objects.exists()
    town.refresh_from_db()
    assert town.extended_to is None


def test_one_row_out_of_reach_spoils_the_batch(client, world, cycle):
    other = report_services.open_year(world.other_reviewer, world.other_city, 2023)
    mine = obligation_of(cycle, world.town)
    theirs = obligation_of(other, world.other_town)
    client.force_login(world.reviewer)
    assert batch(client, [mine, theirs]).status_code == 404
    assert not Reminder.objects.exists()


def test_batch_needs_login_and_post(client, world, cycle):
    town = obligation_of(cycle, world.town)
    response = client.post(reverse("review:batch"), {"ids": [town.pk], "action": "remind"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(world.reviewer)
    assert client.get(reverse("review:batch")).status_code == 405
    assert not Reminder.objects.exists()
